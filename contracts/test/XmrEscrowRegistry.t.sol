// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {SuiteFixture} from "./utils/SuiteFixture.sol";
import {XmrEscrowRegistry} from "../src/XmrEscrowRegistry.sol";
import {IJobEscrow} from "../src/interfaces/IJobEscrow.sol";

contract XmrEscrowRegistryTest is SuiteFixture {
    event XmrEscrowCommitted(uint256 indexed jobId, address indexed worker, bytes32 addressHash);

    XmrEscrowRegistry internal registry;
    uint256 internal jobId;
    address[] internal workers;
    bytes32 internal constant ADDRESS_HASH = keccak256(
        "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A"
    );

    function setUp() public override {
        super.setUp();
        (jobId, workers) = _activeJob(3, 2);
        registry = new XmrEscrowRegistry(IJobEscrow(address(escrow)));
    }

    function test_constructor_revertsOnZeroAddress() public {
        vm.expectRevert(XmrEscrowRegistry.XmrEscrowZeroAddress.selector);
        new XmrEscrowRegistry(IJobEscrow(address(0)));
    }

    function test_commit_recordsOnceAndEmits() public {
        assertEq(registry.commitmentOf(jobId, workers[0]), bytes32(0), "nothing committed yet");
        vm.expectEmit(true, true, false, true, address(registry));
        emit XmrEscrowCommitted(jobId, workers[0], ADDRESS_HASH);
        vm.prank(client);
        registry.commit(jobId, workers[0], ADDRESS_HASH);
        assertEq(registry.commitmentOf(jobId, workers[0]), ADDRESS_HASH, "committed");
        assertEq(registry.commitmentOf(jobId, workers[1]), bytes32(0), "other worker untouched");
        assertEq(address(registry.jobs()), address(escrow), "jobs");
    }

    function test_commit_revertsOnASecondCommitment_soTheAddressCannotBeSwapped() public {
        vm.startPrank(client);
        registry.commit(jobId, workers[0], ADDRESS_HASH);
        vm.expectRevert(
            abi.encodeWithSelector(
                XmrEscrowRegistry.XmrEscrowAlreadyCommitted.selector, jobId, workers[0], ADDRESS_HASH
            )
        );
        registry.commit(jobId, workers[0], keccak256("another address"));
        vm.stopPrank();
        assertEq(registry.commitmentOf(jobId, workers[0]), ADDRESS_HASH, "unchanged");
    }

    function test_commit_revertsForAnyoneButTheClient() public {
        vm.prank(workers[0]);
        vm.expectRevert(abi.encodeWithSelector(XmrEscrowRegistry.XmrEscrowNotClient.selector, jobId, workers[0]));
        registry.commit(jobId, workers[0], ADDRESS_HASH);
    }

    function test_commit_revertsForAnUnassignedWorker() public {
        address stranger = _makeAddr("stranger");
        vm.prank(client);
        vm.expectRevert(abi.encodeWithSelector(XmrEscrowRegistry.XmrEscrowNotAssigned.selector, jobId, stranger));
        registry.commit(jobId, stranger, ADDRESS_HASH);
    }

    function test_commit_revertsOnAZeroHash() public {
        vm.prank(client);
        vm.expectRevert(XmrEscrowRegistry.XmrEscrowZeroHash.selector);
        registry.commit(jobId, workers[0], bytes32(0));
    }

    function test_commit_revertsForAJobThatDoesNotExist() public {
        vm.prank(client);
        vm.expectRevert(abi.encodeWithSelector(XmrEscrowRegistry.XmrEscrowNotClient.selector, jobId + 100, client));
        registry.commit(jobId + 100, workers[0], ADDRESS_HASH);
    }
}
