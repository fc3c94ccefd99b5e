// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SuiteFixture} from "./utils/SuiteFixture.sol";
import {Merkle} from "./utils/Merkle.sol";
import {HookToken} from "./utils/mocks/HookToken.sol";
import {ReentrantReceiver} from "./utils/mocks/ReentrantReceiver.sol";
import {IJobEscrow} from "../src/interfaces/IJobEscrow.sol";
import {IStakeManager} from "../src/interfaces/IStakeManager.sol";
import {IPullPayments} from "../src/interfaces/IPullPayments.sol";
import {IDisputeCourt} from "../src/interfaces/IDisputeCourt.sol";
import {IPoLAnchor} from "../src/interfaces/IPoLAnchor.sol";

/// Runs the suite on a token with ERC-777-style receive hooks and lets a malicious receiver call back
/// into the paying function. Each payout must happen exactly once and the books must balance.
contract ReentrancyTest is SuiteFixture {
    HookToken internal hookToken;
    ReentrantReceiver internal attacker;

    function setUp() public override {
        hookToken = new HookToken(address(this), SUPPLY);
        _deploySuite(IERC20(address(hookToken)));
        attacker = new ReentrantReceiver(hookToken);
        vm.label(address(attacker), "attacker");
    }

    function test_reentrancy_escrowClaimCannotPayTwice() public {
        (uint256 jobId, uint256 amount, bytes32[] memory proof) = _attackerPayout();
        bytes memory claimCall = abi.encodeCall(IJobEscrow.claim, (jobId, 0, amount, proof));
        attacker.arm(address(escrow), claimCall);
        attacker.exec(address(escrow), claimCall);
        _assertBlocked();
        assertEq(hookToken.balanceOf(address(attacker)), amount, "paid once");
        (uint256 pool, uint256 paid) = escrow.blockPayout(jobId, 0);
        assertLe(paid, pool, "pool");
        assertEq(paid, amount, "one claim recorded");
        _assertBooksBalance();
    }

    function test_reentrancy_escrowWithdrawCannotPayTwice() public {
        _attackerCancelledJob(500 * TL);
        bytes memory withdrawCall = abi.encodeCall(IPullPayments.withdraw, ());
        attacker.arm(address(escrow), withdrawCall);
        attacker.exec(address(escrow), withdrawCall);
        _assertBlocked();
        assertEq(hookToken.balanceOf(address(attacker)), 500 * TL, "refund paid once");
        _assertBooksBalance();
    }

    function test_reentrancy_escrowWithdrawCannotReenterClaim() public {
        (uint256 jobId, uint256 amount, bytes32[] memory proof) = _attackerPayout();
        // Cross-function: a cancelled job gives the attacker an escrow credit; withdrawing it re-enters claim.
        _attackerCancelledJob(10 * TL);
        attacker.arm(address(escrow), abi.encodeCall(IJobEscrow.claim, (jobId, 0, amount, proof)));
        attacker.exec(address(escrow), abi.encodeCall(IPullPayments.withdraw, ()));
        _assertBlocked();
        assertFalse(escrow.isClaimed(jobId, 0, address(attacker)), "claim inside withdraw did not happen");
        _assertBooksBalance();
    }

    function test_reentrancy_stakeWithdrawCannotPayTwice() public {
        _attackerStake(2_000 * TL);
        attacker.exec(address(stakeManager), abi.encodeCall(IStakeManager.requestUnstake, (2_000 * TL)));
        vm.warp(block.timestamp + UNBONDING);
        bytes memory withdrawCall = abi.encodeCall(IStakeManager.withdraw, ());
        attacker.arm(address(stakeManager), withdrawCall);
        attacker.exec(address(stakeManager), withdrawCall);
        _assertBlocked();
        assertEq(hookToken.balanceOf(address(attacker)), 2_000 * TL, "paid once");
        _assertBooksBalance();
    }

    function test_reentrancy_courtWithdrawCannotPayTwice() public {
        (uint256 jobId, address[] memory workers) = _activeJob(5, 1);
        uint256[] memory amounts = _equalAmounts(2, 1);
        bytes32[] memory payoutLeaves = _payoutLeaves(workers, amounts);
        bytes32[] memory stepLeaves = _stepLeaves(jobId, 0, 2, workers);
        IPoLAnchor.PoLBlock memory h = _header(jobId, 0, bytes32(0), 0, 2, Merkle.root(payoutLeaves));
        h.stepsRoot = Merkle.root(stepLeaves);
        anchor.submit(h, _sign(h, 4));
        // The attacker commits, then reveals a challenge.
        hookToken.transfer(address(attacker), BOND);
        attacker.exec(address(hookToken), abi.encodeCall(IERC20.approve, (address(court), BOND)));
        IDisputeCourt.Evidence memory ev =
            _evidence(h, _signers(4), _stepRecord(jobId, 0, workers[0]), stepLeaves, 0, payoutLeaves, 0, amounts[0]);
        bytes32 c = court.challengeCommitment(address(attacker), jobId, 0, _stepLeaf(ev.record), ev.salt);
        attacker.exec(address(court), abi.encodeCall(IDisputeCourt.commitChallenge, (c)));
        vm.roll(block.number + 1);
        attacker.exec(address(court), abi.encodeCall(IDisputeCourt.challenge, (ev)));
        _draw(1);
        address[] memory members = court.committee(1);
        for (uint256 i = 0; i < members.length / 2 + 1; ++i) {
            vm.prank(members[i]);
            court.vote(1, true);
        }
        court.resolve(1);
        uint256 credit = court.creditOf(address(attacker));
        bytes memory withdrawCall = abi.encodeCall(IPullPayments.withdraw, ());
        attacker.arm(address(court), withdrawCall);
        attacker.exec(address(court), withdrawCall);
        _assertBlocked();
        assertEq(hookToken.balanceOf(address(attacker)), credit, "paid once");
        _assertBooksBalance();
    }

    /* ------------------------------------------------------------------ HELPERS */

    /// An active job whose block 0 pays the attacker (a staked worker); the window has passed.
    function _attackerPayout() internal returns (uint256 jobId, uint256 amount, bytes32[] memory proof) {
        _addValidators(3, 40_000 * TL);
        _nextEpoch();
        _attackerStake(MIN_WORKER_STAKE);
        address[] memory ws = new address[](2);
        ws[0] = address(attacker);
        ws[1] = _worker(1);
        _stake(ws[1], MIN_WORKER_STAKE);
        jobId = _createJob(BUDGET, PRICE);
        _assign(jobId, ws);
        uint256[] memory amounts = _equalAmounts(100, 2);
        (, bytes32[] memory leaves) = _anchorBlock(jobId, 0, 100, ws, amounts, 2);
        vm.warp(block.timestamp + CHALLENGE_WINDOW);
        return (jobId, amounts[0], Merkle.proof(leaves, 0));
    }

    /// The attacker stakes `amount` of TL it is given.
    function _attackerStake(uint256 amount) internal {
        hookToken.transfer(address(attacker), amount);
        attacker.exec(address(hookToken), abi.encodeCall(IERC20.approve, (address(stakeManager), amount)));
        attacker.exec(address(stakeManager), abi.encodeCall(IStakeManager.stake, (amount)));
    }

    /// The attacker, as a client, funds a job with `budget` of TL it is given and cancels it: an escrow credit.
    function _attackerCancelledJob(uint256 budget) internal {
        hookToken.transfer(address(attacker), budget);
        attacker.exec(address(hookToken), abi.encodeCall(IERC20.approve, (address(escrow), budget)));
        bytes memory create = attacker.exec(
            address(escrow),
            abi.encodeCall(
                IJobEscrow.createJob, (bytes32(0), budget, TL, uint64(block.timestamp + 1 days), bytes32(0), 1, 0, 0)
            )
        );
        attacker.exec(address(escrow), abi.encodeCall(IJobEscrow.cancelJob, (abi.decode(create, (uint256)))));
    }

    function _assertBlocked() internal view {
        assertEq(attacker.attempts(), 1, "re-entry attempted");
        assertFalse(attacker.lastSucceeded(), "re-entry failed");
        assertEq(
            keccak256(attacker.lastRevertData()),
            keccak256(abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector)),
            "stopped by the reentrancy guard"
        );
    }
}
