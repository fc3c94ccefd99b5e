// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {SuiteFixture} from "../utils/SuiteFixture.sol";
import {SuiteHandler} from "./SuiteHandler.sol";
import {IJobEscrow} from "../../src/interfaces/IJobEscrow.sol";

/// Invariants of the whole suite under random sequences of staking, jobs, anchoring, claims,
/// disputes, refunds, withdrawals and time jumps (foundry.toml: 256 runs x depth 64).
contract SuiteInvariantTest is SuiteFixture {
    SuiteHandler internal handler;

    function setUp() public override {
        super.setUp();
        _addValidators(5, 40_000 * TL);
        _nextEpoch();
        address[] memory ws = _stakedWorkers(4);
        address ch = _makeAddr("challenger");
        _stake(ch, MIN_WORKER_STAKE);
        uint256[] memory wPks = new uint256[](ws.length);
        for (uint256 i = 0; i < ws.length; ++i) {
            wPks[i] = pkOf[ws[i]];
        }
        address[] memory cs = new address[](2);
        cs[0] = client;
        cs[1] = _makeAddr("client2");
        address[] memory vAddrs = new address[](validators.length);
        uint256[] memory vPks = new uint256[](validators.length);
        for (uint256 i = 0; i < validators.length; ++i) {
            vAddrs[i] = validators[i].addr;
            vPks[i] = validators[i].pk;
        }
        handler = new SuiteHandler(token, stakeManager, escrow, anchor, court, vAddrs, vPks, ws, wPks, cs, ch);
        _fund(address(handler), 10_000_000 * TL);

        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](22);
        selectors[0] = SuiteHandler.stake.selector;
        selectors[1] = SuiteHandler.requestUnstake.selector;
        selectors[2] = SuiteHandler.withdrawStake.selector;
        selectors[3] = SuiteHandler.registerValidator.selector;
        selectors[4] = SuiteHandler.unauthorizedSlash.selector;
        selectors[5] = SuiteHandler.createJob.selector;
        selectors[6] = SuiteHandler.assign.selector;
        selectors[7] = SuiteHandler.cancelJob.selector;
        selectors[8] = SuiteHandler.refund.selector;
        selectors[9] = SuiteHandler.anchorBlock.selector;
        selectors[10] = SuiteHandler.claim.selector;
        selectors[11] = SuiteHandler.withdrawEscrow.selector;
        selectors[12] = SuiteHandler.challenge.selector;
        selectors[13] = SuiteHandler.vote.selector;
        selectors[14] = SuiteHandler.resolve.selector;
        selectors[15] = SuiteHandler.withdrawCourt.selector;
        selectors[16] = SuiteHandler.warp.selector;
        selectors[17] = SuiteHandler.sweep.selector;
        selectors[18] = SuiteHandler.draw.selector;
        selectors[19] = SuiteHandler.requestData.selector;
        selectors[20] = SuiteHandler.provideData.selector;
        selectors[21] = SuiteHandler.resolveData.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// The handler is not vacuous: a fixed walk through it reaches every stage, fraud included.
    function test_handler_reachesEveryStage() public {
        handler.createJob(0, 500 * TL, 1 * TL);
        handler.assign(0);
        handler.anchorBlock(0, 4, 7);
        handler.challenge(0, 1, 2);
        handler.draw(0);
        for (uint256 m = 0; m < 5; ++m) {
            handler.vote(0, m, true);
        }
        handler.resolve(0);
        handler.warp(CHALLENGE_WINDOW);
        handler.claim(0, 0);
        handler.withdrawEscrow(0);
        handler.withdrawCourt(handler.stakerCount() - 1);
        for (uint256 d = 0; d < 3; ++d) {
            handler.warp(1 days); // bounded to a day per call
        }
        handler.refund(0);
        handler.warp(16); // the long jump, past the claim period
        handler.sweep(0);
        assertEq(handler.ghost_anchors(), 1, "anchored");
        assertEq(handler.ghost_sweeps(), 1, "swept");
        assertEq(handler.ghost_disputes(), 1, "disputed");
        assertEq(handler.ghost_fraudVerdicts(), 1, "fraud found");
        assertEq(handler.ghost_claims(), 1, "claimed");
        assertEq(uint256(escrow.getJob(1).status), uint256(IJobEscrow.JobStatus.Refunded), "refunded");
        // Data availability: one request answered, one left to fail.
        handler.createJob(1, 500 * TL, 1 * TL);
        handler.stake(6, 1_000 * TL); // stakers[6] is worker 1, slashed below minWorkerStake above
        handler.assign(1);
        handler.anchorBlock(1, 4, 9);
        handler.requestData(1, 0);
        handler.provideData(0, 2);
        handler.requestData(1, 1);
        handler.warp(1 days);
        handler.resolveData(1);
        assertEq(handler.ghost_dataAnswered(), 1, "answered");
        assertEq(handler.ghost_dataFailed(), 1, "failed");
        invariant_tokenHeldEqualsInternalBalances();
        invariant_slashingOnlyThroughCourt();
        invariant_stakeAccountingAddsUp();
    }

    /// The TL each contract holds equals the sum of its internal balances.
    function invariant_tokenHeldEqualsInternalBalances() public view {
        _assertBooksBalance();
    }

    /// No job releases more than it reserved, nor reserves more than its budget; the locked total
    /// is the sum over jobs.
    function invariant_noJobPaysMoreThanBudget() public view {
        uint256 locked = 0;
        uint256 n = escrow.jobCount();
        for (uint256 id = 1; id <= n; ++id) {
            IJobEscrow.Job memory j = escrow.getJob(id);
            assertLe(j.released, j.reserved, "released <= reserved");
            assertLe(j.reserved, j.budget, "reserved <= budget");
            locked += j.budget - j.released;
        }
        assertEq(locked, escrow.totalLocked(), "totalLocked");
    }

    /// A block's payout leaf is claimed at most once and a block never pays beyond its pool.
    function invariant_blockPayoutClaimedAtMostOnce() public view {
        assertFalse(handler.ghost_doubleClaim(), "a leaf was paid twice");
        uint256 n = handler.blockCount();
        for (uint256 i = 0; i < n; ++i) {
            (uint256 jobId, uint64 index) = handler.blockAt(i);
            (uint256 pool, uint256 paid) = escrow.blockPayout(jobId, index);
            assertLe(paid, pool, "paid <= pool");
        }
    }

    /// Bonded and unbonding totals are the sums over accounts; the active set's total is the sum of
    /// its members' stakes, each equal to the member's bonded stake, and it never exceeds the cap.
    function invariant_stakeAccountingAddsUp() public view {
        uint256 bonded = 0;
        uint256 unbonding = 0;
        uint256 n = handler.stakerCount();
        for (uint256 i = 0; i < n; ++i) {
            address a = handler.stakers(i);
            bonded += stakeManager.stakeOf(a);
            (uint256 u,) = stakeManager.unbondingOf(a);
            unbonding += u;
        }
        assertEq(bonded, stakeManager.totalBonded(), "totalBonded");
        assertEq(unbonding, stakeManager.totalUnbonding(), "totalUnbonding");
        (address[] memory vals, uint256[] memory stakes, uint256 total) = stakeManager.activeValidators();
        assertLe(vals.length, MAX_VALIDATORS, "cap");
        uint256 sum = 0;
        for (uint256 i = 0; i < vals.length; ++i) {
            assertEq(stakes[i], stakeManager.stakeOf(vals[i]), "member stake");
            assertGe(stakes[i], stakeManager.params().minValidatorStake, "member above minimum");
            sum += stakes[i];
        }
        assertEq(sum, total, "active total");
    }

    /// Nothing is ever paid out of a block before its challenge window has passed.
    function invariant_nothingClaimedBeforeWindow() public view {
        assertFalse(handler.ghost_earlyClaim(), "claim inside the challenge window");
    }

    /// Stake is slashed only through DisputeCourt fraud verdicts.
    function invariant_slashingOnlyThroughCourt() public view {
        assertFalse(handler.ghost_unauthorizedSlash(), "slash by someone other than the court");
        uint256 slashes = 0;
        uint256 n = handler.stakerCount();
        for (uint256 i = 0; i < n; ++i) {
            (, uint256 s,) = stakeManager.reputation(handler.stakers(i));
            slashes += s;
        }
        assertEq(slashes, handler.ghost_slashedAccounts(), "slashes == accounts slashed by fraud verdicts");
    }
}
