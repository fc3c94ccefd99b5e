// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Test} from "./utils/Test.sol";
import {TensorLinkToken} from "../src/TensorLinkToken.sol";
import {StakeManager} from "../src/StakeManager.sol";
import {JobEscrow} from "../src/JobEscrow.sol";
import {PoLAnchor} from "../src/PoLAnchor.sol";
import {DisputeCourt} from "../src/DisputeCourt.sol";
import {IStakeManager} from "../src/interfaces/IStakeManager.sol";
import {IJobEscrow} from "../src/interfaces/IJobEscrow.sol";
import {IDisputeCourt} from "../src/interfaces/IDisputeCourt.sol";

/// The devnet genesis file deploys: every key docs/contracts.md names exists and lies within the
/// contracts' bounds (amounts are whole TL, converted with 18 decimals).
contract GenesisTest is Test {
    string internal json;

    function setUp() public {
        json = vm.readFile(string.concat(vm.projectRoot(), "/../genesis/devnet.json"));
    }

    function test_devnetGenesis_deploysTheSuite() public {
        uint256 n = 0;
        while (vm.keyExistsJson(json, _entry(n))) {
            ++n;
        }
        assertGt(n, 0, "allocation entries");
        address[] memory holders = new address[](n);
        uint256[] memory amounts = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            // Account indices stand for the devnet mnemonic's keys; any distinct addresses do here.
            holders[i] = vm.addr(1 + vm.parseJsonUint(json, string.concat(_entry(i), ".account")));
            amounts[i] = _tl(string.concat(_entry(i), ".amount"));
        }
        TensorLinkToken tl = new TensorLinkToken(
            vm.parseJsonString(json, ".token.name"), vm.parseJsonString(json, ".token.symbol"), holders, amounts
        );
        assertEq(tl.symbol(), "TL", "symbol");

        StakeManager sm = new StakeManager(
            IERC20(address(tl)),
            IStakeManager.Params({
                minValidatorStake: _tl(".staking.minValidatorStake"),
                minWorkerStake: _tl(".staking.minWorkerStake"),
                unbondingPeriod: uint64(vm.parseJsonUint(json, ".staking.unbondingPeriodSeconds"))
            }),
            vm.parseJsonUint(json, ".staking.maxValidators"),
            vm.parseJsonUint(json, ".staking.epochLengthSeconds"),
            address(this)
        );
        assertEq(sm.params().minValidatorStake, 39_900e18, "39,900 TL");
        assertEq(sm.maxValidators(), 20, "top 20");

        JobEscrow escrow = new JobEscrow(
            IERC20(address(tl)),
            sm,
            IJobEscrow.Params({
                challengeWindow: uint32(vm.parseJsonUint(json, ".escrow.challengeWindowSeconds")),
                validatorFeeBps: uint16(vm.parseJsonUint(json, ".escrow.validatorFeeBps")),
                protocolFeeBps: uint16(vm.parseJsonUint(json, ".escrow.protocolFeeBps")),
                maxWorkersPerJob: uint32(vm.parseJsonUint(json, ".escrow.maxWorkersPerJob")),
                treasury: vm.addr(1 + vm.parseJsonUint(json, ".escrow.treasuryAccount"))
            }),
            address(this)
        );
        PoLAnchor anchor = new PoLAnchor(sm, escrow);
        DisputeCourt court = new DisputeCourt(
            IERC20(address(tl)),
            sm,
            anchor,
            escrow,
            IDisputeCourt.Params({
                challengeBond: _tl(".disputes.challengeBond"),
                votingWindow: uint32(vm.parseJsonUint(json, ".disputes.votingWindowSeconds")),
                committeeSize: uint16(vm.parseJsonUint(json, ".disputes.committeeSize")),
                challengerRewardBps: uint16(vm.parseJsonUint(json, ".disputes.challengerRewardBps")),
                slashBps: uint16(vm.parseJsonUint(json, ".disputes.slashBps"))
            }),
            address(this)
        );
        sm.connect(address(escrow), address(court));
        escrow.connect(address(anchor), address(court));
        assertEq(escrow.anchor(), address(anchor), "wired");
        assertEq(sm.disputeCourt(), address(court), "wired");
    }

    function _entry(uint256 i) internal pure returns (string memory) {
        return string.concat(".token.allocations[", vm.toString(i), "]");
    }

    function _tl(string memory key) internal view returns (uint256) {
        return vm.parseUint(vm.parseJsonString(json, key)) * 1e18;
    }
}
