// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {SuiteFixture} from "./utils/SuiteFixture.sol";
import {Merkle} from "./utils/Merkle.sol";
import {StakeManager} from "../src/StakeManager.sol";
import {JobEscrow} from "../src/JobEscrow.sol";
import {DisputeCourt} from "../src/DisputeCourt.sol";
import {PoLAnchor} from "../src/PoLAnchor.sol";
import {IDisputeCourt} from "../src/interfaces/IDisputeCourt.sol";
import {IJobEscrow} from "../src/interfaces/IJobEscrow.sol";
import {IPoLAnchor} from "../src/interfaces/IPoLAnchor.sol";
import {IStakeManager} from "../src/interfaces/IStakeManager.sol";

/// The adversarial review's findings (issue 9), each replayed against v2: the attack is attempted as
/// described and the test shows what now stops it. One block of job `jobId` (3 workers, 4 steps) is
/// anchored by 5 of 7 validators; worker 0's record at step 1 is the fraudulent one.
contract AttacksTest is SuiteFixture {
    uint64 internal constant STEPS = 4;

    uint256 internal jobId;
    address[] internal workers;
    uint256[] internal amounts;
    bytes32[] internal payoutLeaves;
    bytes32[] internal stepLeaves;
    IPoLAnchor.PoLBlock internal blk;
    address[] internal signers;
    address internal honest;
    address internal accomplice;

    function setUp() public override {
        super.setUp();
        (jobId, workers) = _activeJob(7, 3);
        amounts = _equalAmounts(STEPS, 3);
        payoutLeaves = _payoutLeaves(workers, amounts);
        stepLeaves = _stepLeaves(jobId, 0, STEPS, workers);
        (bytes32 lastHash, uint64 nextIndex,) = anchor.head(jobId);
        blk = _header(jobId, nextIndex, lastHash, 0, STEPS, Merkle.root(payoutLeaves));
        blk.stepsRoot = Merkle.root(stepLeaves);
        anchor.submit(blk, _sign(blk, 5));
        signers = _signers(5);
        honest = _makeAddr("honest challenger");
        accomplice = _makeAddr("accomplice");
        for (uint256 i = 0; i < 2; ++i) {
            address a = i == 0 ? honest : accomplice;
            _fund(a, 10 * BOND);
            vm.prank(a);
            token.approve(address(court), type(uint256).max);
        }
    }

    /// Evidence against worker 0's record at `step`, salted per challenger.
    function _ev(uint64 step, address who) internal view returns (IDisputeCourt.Evidence memory ev) {
        ev = _evidence(
            blk,
            signers,
            _stepRecord(jobId, step, workers[0]),
            stepLeaves,
            uint256(step) * 3,
            payoutLeaves,
            0,
            amounts[0]
        );
        ev.salt = keccak256(abi.encode(who, step));
    }

    function _decide(uint256 id, bool fraud) internal {
        _draw(id);
        address[] memory members = court.committee(id);
        for (uint256 i = 0; i < members.length / 2 + 1; ++i) {
            vm.prank(members[i]);
            court.vote(id, fraud);
        }
        court.resolve(id);
    }

    /// Squatting: the cheater's second account disputes one of the cheater's honest records first.
    /// Disputes are keyed by record, so the real challenge opens next to the decoy, and the decoy's
    /// rejection (or re-opening) changes nothing for it.
    function test_attack_disputeSquatting() public {
        uint256 decoy = _challenge(accomplice, _ev(0, accomplice));
        uint256 real = _challenge(honest, _ev(1, honest));
        assertEq(real, decoy + 1, "the real dispute opened despite the decoy");
        _decide(decoy, false);
        assertEq(court.creditOf(treasury), BOND, "the rejected decoy cost its bond");
        // Re-opening the decoy after its rejection is allowed (a new bond), and still blocks nothing.
        IDisputeCourt.Evidence memory again = _ev(0, accomplice);
        again.salt = keccak256("again");
        _challenge(accomplice, again);
        uint256 stake = stakeManager.stakeOf(workers[0]);
        _decide(real, true);
        assertLt(stakeManager.stakeOf(workers[0]), stake, "the cheater is slashed");
        assertTrue(escrow.isVoided(jobId, 0, workers[0]), "and not paid");
    }

    /// Grinding: the challenger would read the committee in its own transaction and revert until a
    /// friendly one comes up. The committee does not exist at reveal time; it is drawn from the hash
    /// of a block mined DRAW_DELAY blocks later, which nobody knows when the reveal is sent.
    function test_attack_committeeGrinding() public {
        uint256 id = _challenge(honest, _ev(1, honest));
        IDisputeCourt.Dispute memory d = court.getDispute(id);
        assertEq(court.committee(id).length, 0, "no committee to read in the challenge transaction");
        assertGt(d.drawBlock, block.number, "the seed block is in the future");
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtDrawTooEarly.selector, id, d.drawBlock));
        court.draw(id);
        // Refusing to draw does not help either: anyone may draw, and an undrawn dispute expires
        // with its bond forfeited.
        vm.roll(d.drawBlock + 1);
        vm.prank(workers[1]);
        court.draw(id);
        assertGt(court.committee(id).length, 0, "drawn by a third party");
    }

    /// Front-running: the worker's second account copies the honest challenger's public evidence and
    /// challenges first. A reveal needs the revealer's own commitment from an earlier block, and the
    /// commitment binds the challenger's address, so copying the reveal (or its commitment) fails.
    function test_attack_frontRunningAChallenge() public {
        IDisputeCourt.Evidence memory ev = _ev(1, honest);
        _commit(honest, ev);
        vm.roll(block.number + 1);
        // The copier sees the reveal in the mempool and sends it first, same evidence, same salt.
        bytes32 copierCommitment = court.challengeCommitment(accomplice, jobId, 0, _stepLeaf(ev.record), ev.salt);
        vm.prank(accomplice);
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtNoCommitment.selector, copierCommitment));
        court.challenge(ev);
        // Committing in the same block as its copy does not help.
        vm.prank(accomplice);
        court.commitChallenge(copierCommitment);
        vm.prank(accomplice);
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtNoCommitment.selector, copierCommitment));
        court.challenge(ev);
        vm.prank(honest);
        uint256 id = court.challenge(ev);
        assertEq(court.getDispute(id).challenger, honest, "the honest challenger holds the dispute");
        // An accomplice who pre-committed on its own fraud gets back at most half of the slash.
        assertEq(court.CHALLENGER_REWARD_CEIL_BPS(), 5_000, "reward ceiling");
    }

    /// Stake leaves after assignment: the worker unstakes right after `assign`. Its minimum stake is
    /// locked until the job's deadline; past it, the unbonding floor outlasts every dispute window.
    function test_attack_stakeLeavesAfterAssignment() public {
        address w = workers[2];
        uint64 deadline = escrow.getJob(jobId).deadline;
        vm.prank(w);
        vm.expectRevert(
            abi.encodeWithSelector(IStakeManager.StakeManagerStakeLocked.selector, w, MIN_WORKER_STAKE, deadline)
        );
        stakeManager.requestUnstake(MIN_WORKER_STAKE);
        vm.warp(deadline);
        vm.prank(w);
        stakeManager.requestUnstake(MIN_WORKER_STAKE);
    }

    /// Unbonding vs windows: no parameter combination lets stake finish unbonding before a dispute
    /// about work it backed can end; governance cannot set a shorter unbonding period.
    function test_attack_unbondingShorterThanWindows() public {
        uint256 blockTime = 12;
        uint256 longestDispute = escrow.CHALLENGE_WINDOW_CEIL() + court.DATA_WINDOW() + court.VOTING_WINDOW_CEIL()
            + (anchor.RANDOMNESS_MAX_AGE() + court.DRAW_DELAY() + court.DRAW_WINDOW()) * blockTime;
        assertGt(stakeManager.UNBONDING_PERIOD_FLOOR(), longestDispute, "floor outlasts the longest dispute");
        IStakeManager.Params memory p = _stakingParams();
        p.unbondingPeriod = 1 days;
        vm.expectRevert(
            abi.encodeWithSelector(
                IStakeManager.StakeManagerParamOutOfBounds.selector, "unbondingPeriod", 1 days, 7 days, 90 days
            )
        );
        stakeManager.setParams(p);
        // A signer that starts unbonding right after signing is still slashable at the verdict.
        uint256 id2 = _createJobAt(BUDGET, PRICE, 1_000_000);
        _assign(id2, workers);
        vm.roll(block.number + 1);
        IPoLAnchor.PoLBlock memory h = _header(id2, 0, bytes32(0), 0, STEPS, Merkle.root(payoutLeaves));
        bytes32[] memory leaves2 = _stepLeaves(id2, 0, STEPS, workers);
        h.stepsRoot = Merkle.root(leaves2);
        anchor.submit(h, _sign(h, 5));
        vm.prank(signers[0]);
        stakeManager.requestUnstake(40_000 * TL);
        IDisputeCourt.Evidence memory ev =
            _evidence(h, signers, _stepRecord(id2, 1, workers[0]), leaves2, 3, payoutLeaves, 0, amounts[0]);
        vm.warp(block.timestamp + CHALLENGE_WINDOW - 1);
        uint256 id = _challenge(honest, ev);
        vm.roll(court.getDispute(id).drawBlock + 1);
        court.draw(id);
        address[] memory members = court.committee(id);
        for (uint256 i = 0; i < members.length / 2 + 1; ++i) {
            vm.prank(members[i]);
            court.vote(id, true);
        }
        vm.warp(block.timestamp + VOTING_WINDOW - 1);
        court.resolve(id);
        (uint256 unbonding,) = stakeManager.unbondingOf(signers[0]);
        assertEq(unbonding, 40_000 * TL - 40_000 * TL * SLASH_BPS / 10_000, "slashed while unbonding");
    }

    /// Fraud signed by a 2/3 quorum: a block pays an address that was never assigned and its records
    /// are withheld. The payee cannot claim; a data request the signers cannot answer slashes every
    /// signer and voids the block.
    function test_attack_fraudSignedByAQuorum() public {
        address sybil = _makeAddr("sybil payee");
        address[] memory payees = new address[](1);
        payees[0] = sybil;
        uint256[] memory pay = _equalAmounts(STEPS, 1);
        vm.roll(block.number + 1);
        (IPoLAnchor.PoLBlock memory h, bytes32[] memory leaves) = _anchorBlock(jobId, STEPS, 2 * STEPS, payees, pay, 5);
        // Nobody can publish a worker-signed record for it: request one.
        vm.prank(honest);
        uint256 rid = court.requestData(h, signers, STEPS, 0, 0);
        vm.warp(block.timestamp + CHALLENGE_WINDOW);
        vm.prank(sybil);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowNotAssigned.selector, jobId, sybil));
        escrow.claim(jobId, 1, pay[0], Merkle.proof(leaves, 0));
        vm.warp(court.getDataRequest(rid).deadline);
        uint256 stakeBefore = stakeManager.stakeOf(signers[0]);
        court.resolveData(rid, signers);
        for (uint256 i = 0; i < signers.length; ++i) {
            assertLt(stakeManager.stakeOf(signers[i]), i == 0 ? stakeBefore + 1 : type(uint256).max, "slashed");
            (, uint256 slashes,) = stakeManager.reputation(signers[i]);
            assertEq(slashes, 1, "every signer slashed");
        }
        (uint256 pool, uint256 paid) = escrow.blockPayout(jobId, 1);
        assertEq(paid, pool, "nothing more can leave the block");
        _assertBooksBalance();
    }

    /// Governance mid-dispute: raising slashBps / lowering the reward after a dispute opened does not
    /// change its outcome, and a bond raise takes effect only PARAMS_DELAY later (longer than any
    /// challenge + voting window), so a job's challengers are never surprised inside a window.
    function test_attack_governanceMidDispute() public {
        uint256 id = _challenge(honest, _ev(1, honest));
        IDisputeCourt.Params memory p = _courtParams();
        p.slashBps = 10_000;
        p.challengerRewardBps = 0;
        p.challengeBond = 1_000_000 * TL;
        court.setParams(p);
        assertEq(court.params().challengeBond, BOND, "the bond in force is unchanged");
        assertGt(court.PARAMS_DELAY(), escrow.CHALLENGE_WINDOW_CEIL() + court.VOTING_WINDOW_CEIL(), "delay > windows");
        uint256 stake = stakeManager.stakeOf(workers[0]);
        _decide(id, true);
        uint256 slashed = stake * SLASH_BPS / 10_000;
        assertEq(stakeManager.stakeOf(workers[0]), stake - slashed, "slashed at the dispute's own rate");
        assertGe(court.creditOf(honest), BOND + slashed * REWARD_BPS / 10_000, "rewarded at the dispute's own rate");
    }

    /// Cancel front-runs anchoring: the client cancels just before the block for finished work is
    /// anchored. Cancelling a running job only pulls the deadline in to now + CANCEL_NOTICE; the
    /// block still anchors and pays.
    function test_attack_cancelFrontRunsAnchoring() public {
        vm.prank(client);
        escrow.cancelJob(jobId);
        vm.roll(block.number + 1);
        (, bytes32[] memory leaves) = _anchorBlock(jobId, STEPS, 2 * STEPS, workers, amounts, 5);
        vm.warp(block.timestamp + CHALLENGE_WINDOW);
        vm.prank(workers[1]);
        escrow.claim(jobId, 1, amounts[1], Merkle.proof(leaves, 1));
        assertEq(token.balanceOf(workers[1]), amounts[1], "the finished work was paid");
        vm.warp(escrow.getJob(jobId).deadline + 1);
        escrow.refund(jobId);
        assertEq(escrow.creditOf(client), BUDGET - 2 * STEPS * PRICE, "the client gets only the rest");
    }

    /// Epoch snapshot cost: the first stake change of an epoch used to copy the whole active set
    /// (1.66M gas at 64). Now every stake operation touches O(1) checkpoint slots, at 64 validators
    /// as at 1.
    function test_attack_epochSnapshotCost() public {
        StakeManager big = new StakeManager(token, _stakingParams(), 64, EPOCH, address(this));
        big.connect(address(escrow), address(court));
        address last;
        for (uint256 i = 0; i < 64; ++i) {
            Key memory k = _newKey();
            _fund(k.addr, 40_000 * TL);
            vm.startPrank(k.addr);
            token.approve(address(big), 40_000 * TL);
            big.stake(40_000 * TL);
            big.registerValidator();
            vm.stopPrank();
            last = k.addr;
        }
        vm.warp(block.timestamp + 5 * EPOCH);
        vm.prank(last);
        uint256 before = gasleft();
        big.requestUnstake(1 * TL);
        uint256 used = before - gasleft();
        assertLt(used, 120_000, "first stake operation of an epoch, 64 validators");
        (, address[] memory vals,, uint256 total) = big.activeSnapshot();
        assertEq(vals.length, 64, "all 64 still sign this epoch");
        assertEq(total, 64 * 40_000 * TL, "with the epoch-start total");
    }
}
