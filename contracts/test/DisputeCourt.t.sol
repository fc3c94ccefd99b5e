// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {SuiteFixture} from "./utils/SuiteFixture.sol";
import {Merkle} from "./utils/Merkle.sol";
import {DisputeCourt} from "../src/DisputeCourt.sol";
import {IDisputeCourt} from "../src/interfaces/IDisputeCourt.sol";
import {IJobEscrow} from "../src/interfaces/IJobEscrow.sol";
import {IPoLAnchor} from "../src/interfaces/IPoLAnchor.sol";
import {IStakeManager} from "../src/interfaces/IStakeManager.sol";

contract DisputeCourtTest is SuiteFixture {
    uint64 internal constant STEPS = 4;

    uint256 internal jobId;
    address[] internal workers;
    uint256[] internal amounts;
    bytes32[] internal payoutLeaves;
    bytes32[] internal stepLeaves;
    address internal challenger;

    function setUp() public override {
        super.setUp();
        (jobId, workers) = _activeJob(7, 3);
        challenger = workers[2];
        amounts = _equalAmounts(STEPS, 3);
        payoutLeaves = _payoutLeaves(workers, amounts);
        stepLeaves = _stepLeaves(jobId, 0, STEPS, workers);
        (bytes32 lastHash, uint64 nextIndex,) = anchor.head(jobId);
        IPoLAnchor.PoLBlock memory h = _header(jobId, nextIndex, lastHash, 0, STEPS, Merkle.root(payoutLeaves));
        h.stepsRoot = Merkle.root(stepLeaves);
        anchor.submit(h, _sign(h, 5));
        _fund(challenger, 10 * BOND);
        vm.prank(challenger);
        token.approve(address(court), type(uint256).max);
    }

    /* ------------------------------------------------------------------ CONSTRUCTOR / GOVERNANCE */

    function test_constructor_revertsOnZeroAndBadParams() public {
        vm.expectRevert(IDisputeCourt.DisputeCourtZeroAddress.selector);
        new DisputeCourt(IERC20(address(0)), stakeManager, anchor, escrow, _courtParams(), address(this));
        vm.expectRevert(IDisputeCourt.DisputeCourtZeroAddress.selector);
        new DisputeCourt(token, stakeManager, IPoLAnchor(address(0)), escrow, _courtParams(), address(this));
        IDisputeCourt.Params memory p = _courtParams();
        p.committeeSize = 65;
        vm.expectRevert(
            abi.encodeWithSelector(IDisputeCourt.DisputeCourtParamOutOfBounds.selector, "committeeSize", 65, 1, 64)
        );
        new DisputeCourt(token, stakeManager, anchor, escrow, p, address(this));
    }

    function test_setParams_boundsOwnerAndEvent() public {
        IDisputeCourt.Params memory p = _courtParams();
        p.challengeBond = 0;
        vm.expectRevert(
            abi.encodeWithSelector(
                IDisputeCourt.DisputeCourtParamOutOfBounds.selector, "challengeBond", 0, 1e18, 1_000_000e18
            )
        );
        court.setParams(p);
        p = _courtParams();
        p.votingWindow = 30 days + 1;
        vm.expectRevert(
            abi.encodeWithSelector(
                IDisputeCourt.DisputeCourtParamOutOfBounds.selector, "votingWindow", 30 days + 1, 60, 30 days
            )
        );
        court.setParams(p);
        p = _courtParams();
        p.challengerRewardBps = 10_001;
        vm.expectRevert(
            abi.encodeWithSelector(
                IDisputeCourt.DisputeCourtParamOutOfBounds.selector, "challengerRewardBps", 10_001, 0, 10_000
            )
        );
        court.setParams(p);
        p = _courtParams();
        p.slashBps = 0;
        vm.expectRevert(
            abi.encodeWithSelector(IDisputeCourt.DisputeCourtParamOutOfBounds.selector, "slashBps", 0, 1, 10_000)
        );
        court.setParams(p);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, challenger));
        court.setParams(_courtParams());
        p = _courtParams();
        p.committeeSize = 3;
        vm.expectEmit(false, false, false, true, address(court));
        emit IDisputeCourt.ParamsUpdated(_courtParams(), p);
        court.setParams(p);
        assertEq(court.params().committeeSize, 3, "updated");
        assertEq(court.stakeManager(), address(stakeManager), "stakeManager");
        assertEq(court.anchor(), address(anchor), "anchor");
        assertEq(court.escrow(), address(escrow), "escrow");
    }

    /* ------------------------------------------------------------------ CHALLENGE REVERTS */

    function test_challenge_revertsOnJobMismatch() public {
        IDisputeCourt.StepRecord memory r = _stepRecord(jobId + 1, 0, workers[0]);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtJobMismatch.selector, jobId, jobId + 1));
        court.challenge(jobId, 0, r, new bytes32[](0), amounts[0], new bytes32[](0));
    }

    function test_challenge_revertsOnSelfChallenge() public {
        vm.prank(workers[0]);
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtSelfChallenge.selector, workers[0]));
        court.challenge(jobId, 0, _stepRecord(jobId, 0, workers[0]), new bytes32[](0), 0, new bytes32[](0));
    }

    function test_challenge_revertsWithoutStake() public {
        vm.prank(outsider);
        vm.expectRevert(
            abi.encodeWithSelector(IDisputeCourt.DisputeCourtInsufficientStake.selector, outsider, 0, MIN_WORKER_STAKE)
        );
        court.challenge(jobId, 0, _stepRecord(jobId, 0, workers[0]), new bytes32[](0), 0, new bytes32[](0));
    }

    function test_challenge_revertsOnUnanchoredBlock() public {
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtBlockNotAnchored.selector, jobId, 1));
        court.challenge(jobId, 1, _stepRecord(jobId, 0, workers[0]), new bytes32[](0), 0, new bytes32[](0));
    }

    function test_challenge_revertsAfterWindow() public {
        uint256 closedAt = block.timestamp + CHALLENGE_WINDOW;
        vm.warp(closedAt);
        _expectChallengeRevert(
            0, abi.encodeWithSelector(IDisputeCourt.DisputeCourtChallengeWindowClosed.selector, jobId, 0, closedAt)
        );
    }

    function test_challenge_revertsOnBadStepProof() public {
        IDisputeCourt.StepRecord memory r = _stepRecord(jobId, 0, workers[0]);
        r.gradRoot = keccak256("tampered");
        bytes32[] memory stepProof = Merkle.proof(stepLeaves, 0);
        bytes32[] memory payoutProof = Merkle.proof(payoutLeaves, 0);
        vm.prank(challenger);
        vm.expectRevert(
            abi.encodeWithSelector(IDisputeCourt.DisputeCourtInvalidStepProof.selector, jobId, 0, _stepLeaf(r))
        );
        court.challenge(jobId, 0, r, stepProof, amounts[0], payoutProof);
    }

    function test_challenge_revertsOnBadPayoutProof() public {
        IDisputeCourt.StepRecord memory r = _stepRecord(jobId, 0, workers[0]);
        bytes32[] memory stepProof = Merkle.proof(stepLeaves, 0);
        bytes32[] memory payoutProof = Merkle.proof(payoutLeaves, 0);
        vm.prank(challenger);
        vm.expectRevert(
            abi.encodeWithSelector(
                IDisputeCourt.DisputeCourtInvalidPayoutProof.selector, jobId, 0, workers[0], amounts[0] - 1
            )
        );
        court.challenge(jobId, 0, r, stepProof, amounts[0] - 1, payoutProof);
    }

    function test_challenge_revertsWithoutBondAllowance() public {
        vm.prank(challenger);
        token.approve(address(court), 0);
        _expectChallengeRevert(
            0, abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(court), 0, BOND)
        );
    }

    function test_challenge_revertsWhenAlreadyOpen() public {
        _open(0);
        _expectChallengeRevert(
            0, abi.encodeWithSelector(IDisputeCourt.DisputeCourtAlreadyDisputed.selector, jobId, 0, workers[0])
        );
    }

    function test_challenge_revertsWithoutEligibleCommittee() public {
        // Only validator is the challenger itself.
        _deploySuite(token);
        delete validators;
        _addValidators(1, 40_000 * TL);
        address v = validators[0].addr;
        _nextEpoch();
        address[] memory ws = _stakedWorkers(1);
        uint256 id = _createJob(BUDGET, PRICE);
        _assign(id, ws);
        uint256[] memory amts = _equalAmounts(1, 1);
        bytes32[] memory sl = _stepLeaves(id, 0, 1, ws);
        IPoLAnchor.PoLBlock memory h = _header(id, 0, bytes32(0), 0, 1, Merkle.root(_payoutLeaves(ws, amts)));
        h.stepsRoot = Merkle.root(sl);
        anchor.submit(h, _sign(h, 1));
        _fund(v, BOND);
        vm.startPrank(v);
        token.approve(address(court), BOND);
        vm.expectRevert(IDisputeCourt.DisputeCourtNoCommittee.selector);
        court.challenge(id, 0, _stepRecord(id, 0, ws[0]), new bytes32[](0), amts[0], new bytes32[](0));
        vm.stopPrank();
    }

    /* ------------------------------------------------------------------ CHALLENGE */

    function test_challenge_opensDisputeAndFreezesClaim() public {
        uint256 before = token.balanceOf(challenger);
        uint256 id = _open(1);
        assertEq(id, 1, "first dispute");
        assertEq(court.disputeCount(), 1, "count");
        IDisputeCourt.Dispute memory d = court.getDispute(id);
        assertEq(d.worker, workers[0], "worker");
        assertEq(d.challenger, challenger, "challenger");
        assertEq(d.step, 1, "step");
        assertEq(uint256(d.status), uint256(IDisputeCourt.DisputeStatus.Open), "open");
        assertEq(d.votingEndsAt, block.timestamp + VOTING_WINDOW, "voting end");
        assertEq(d.payoutAmount, amounts[0], "payout");
        assertEq(d.bond, BOND, "bond");
        assertEq(before - token.balanceOf(challenger), BOND, "bond pulled");
        address[] memory members = court.committee(id);
        assertEq(members.length, COMMITTEE, "committee size");
        for (uint256 i = 0; i < members.length; ++i) {
            assertTrue(stakeManager.isActiveValidator(members[i]), "member is a validator");
            for (uint256 j = 0; j < i; ++j) {
                assertTrue(members[i] != members[j], "distinct members");
            }
        }
        assertTrue(court.hasOpenDispute(jobId, 0, workers[0]), "open flag");
        vm.warp(block.timestamp + CHALLENGE_WINDOW);
        vm.prank(workers[0]);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowDisputeOpen.selector, jobId, 0, workers[0]));
        escrow.claim(jobId, 0, amounts[0], Merkle.proof(payoutLeaves, 0));
        _assertBooksBalance();
    }

    function test_challenge_committeeShrinksToSnapshot() public {
        IDisputeCourt.Params memory p = _courtParams();
        p.committeeSize = 64;
        court.setParams(p);
        uint256 id = _open(0);
        assertEq(court.committee(id).length, 7, "all seven validators");
    }

    /* ------------------------------------------------------------------ VOTE */

    function test_vote_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtUnknownDispute.selector, 9));
        court.vote(9, true);
        uint256 id = _open(0);
        vm.prank(outsider);
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtNotCommitteeMember.selector, id, outsider));
        court.vote(id, true);
        address m = court.committee(id)[0];
        vm.prank(m);
        vm.expectEmit(true, true, false, true, address(court));
        emit IDisputeCourt.Voted(id, m, true);
        court.vote(id, true);
        vm.prank(m);
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtAlreadyVoted.selector, id, m));
        court.vote(id, false);
        uint64 endsAt = court.getDispute(id).votingEndsAt;
        vm.warp(endsAt);
        address m2 = court.committee(id)[1];
        vm.prank(m2);
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtVotingClosed.selector, id, endsAt));
        court.vote(id, true);
    }

    /* ------------------------------------------------------------------ RESOLVE */

    function test_resolve_revertsWhileUndecided() public {
        uint256 id = _open(0);
        _votes(id, 2, 2);
        uint64 endsAt = court.getDispute(id).votingEndsAt;
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtVotingOpen.selector, id, endsAt));
        court.resolve(id);
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtUnknownDispute.selector, 5));
        court.resolve(5);
    }

    function test_resolve_fraudSlashesVoidsAndRewards() public {
        uint256 id = _open(0);
        _votes(id, 3, 0);
        uint256 workerStake = stakeManager.stakeOf(workers[0]);
        uint256 slashed = workerStake * SLASH_BPS / 10_000;
        uint256 reward = slashed * REWARD_BPS / 10_000;
        vm.expectEmit(true, false, false, true, address(court));
        emit IDisputeCourt.DisputeResolved(id, true, slashed, reward, amounts[0]);
        court.resolve(id);
        assertEq(uint256(court.getDispute(id).status), uint256(IDisputeCourt.DisputeStatus.Fraud), "fraud");
        assertEq(stakeManager.stakeOf(workers[0]), workerStake - slashed, "slashed");
        (, uint256 slashes) = stakeManager.reputation(workers[0]);
        assertEq(slashes, 1, "reputation");
        assertEq(court.creditOf(challenger), BOND + reward, "challenger credit");
        assertEq(court.creditOf(treasury), slashed - reward, "treasury credit");
        assertTrue(escrow.isVoided(jobId, 0, workers[0]), "voided");
        assertEq(escrow.creditOf(client), amounts[0], "client refunded the payout");
        assertFalse(court.hasOpenDispute(jobId, 0, workers[0]), "closed");
        // No second dispute on the same leaf, no second resolve, no vote after.
        _expectChallengeRevert(
            0, abi.encodeWithSelector(IDisputeCourt.DisputeCourtAlreadyDisputed.selector, jobId, 0, workers[0])
        );
        vm.expectRevert(
            abi.encodeWithSelector(IDisputeCourt.DisputeCourtNotOpen.selector, id, IDisputeCourt.DisputeStatus.Fraud)
        );
        court.resolve(id);
        // The worker cannot claim the voided payout.
        vm.warp(block.timestamp + CHALLENGE_WINDOW);
        vm.prank(workers[0]);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowPayoutVoided.selector, jobId, 0, workers[0]));
        escrow.claim(jobId, 0, amounts[0], Merkle.proof(payoutLeaves, 0));
        _assertBooksBalance();
    }

    function test_resolve_rejectedForfeitsBondAndUnfreezes() public {
        uint256 id = _open(0);
        _votes(id, 1, 3);
        vm.expectEmit(true, false, false, true, address(court));
        emit IDisputeCourt.DisputeResolved(id, false, 0, 0, 0);
        court.resolve(id);
        assertEq(uint256(court.getDispute(id).status), uint256(IDisputeCourt.DisputeStatus.Rejected), "rejected");
        assertEq(court.creditOf(treasury), BOND, "bond forfeited");
        assertEq(court.creditOf(challenger), 0, "nothing back");
        vm.warp(block.timestamp + CHALLENGE_WINDOW);
        vm.prank(workers[0]);
        escrow.claim(jobId, 0, amounts[0], Merkle.proof(payoutLeaves, 0));
        assertEq(token.balanceOf(workers[0]), amounts[0], "paid after rejection");
        _assertBooksBalance();
    }

    function test_resolve_noVotesAfterWindowIsRejected() public {
        uint256 id = _open(0);
        vm.warp(court.getDispute(id).votingEndsAt);
        court.resolve(id);
        assertEq(uint256(court.getDispute(id).status), uint256(IDisputeCourt.DisputeStatus.Rejected), "rejected");
    }

    /* ------------------------------------------------------------------ WITHDRAW */

    function test_withdraw_revertsWhenEmptyAndPays() public {
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtNothingToWithdraw.selector, challenger));
        court.withdraw();
        uint256 id = _open(0);
        _votes(id, 3, 0);
        court.resolve(id);
        uint256 credit = court.creditOf(challenger);
        uint256 before = token.balanceOf(challenger);
        vm.prank(challenger);
        vm.expectEmit(true, false, false, true, address(court));
        emit IDisputeCourt.Withdrawn(challenger, credit);
        court.withdraw();
        assertEq(token.balanceOf(challenger) - before, credit, "paid");
        assertEq(court.totalCredits(), court.creditOf(treasury), "only treasury left");
        _assertBooksBalance();
    }

    /* ------------------------------------------------------------------ FUZZ */

    /// Fraud iff more than half of the committee voted fraud, whatever the vote pattern.
    function test_fuzz_majorityRule(uint8 fraudRaw, uint8 validRaw) public {
        uint256 fraud = bound(fraudRaw, 0, COMMITTEE);
        uint256 valid = bound(validRaw, 0, COMMITTEE - fraud);
        uint256 id = _open(0);
        _votes(id, fraud, valid);
        vm.warp(court.getDispute(id).votingEndsAt);
        court.resolve(id);
        IDisputeCourt.DisputeStatus expected =
            fraud * 2 > COMMITTEE ? IDisputeCourt.DisputeStatus.Fraud : IDisputeCourt.DisputeStatus.Rejected;
        assertEq(uint256(court.getDispute(id).status), uint256(expected), "outcome");
        _assertBooksBalance();
    }

    /* ------------------------------------------------------------------ HELPERS */

    /// Opens a dispute against worker 0's record at `step`.
    function _open(uint64 step) internal returns (uint256 id) {
        IDisputeCourt.StepRecord memory r = _stepRecord(jobId, step, workers[0]);
        bytes32[] memory stepProof = Merkle.proof(stepLeaves, uint256(step) * workers.length);
        bytes32[] memory payoutProof = Merkle.proof(payoutLeaves, 0);
        vm.prank(challenger);
        id = court.challenge(jobId, 0, r, stepProof, amounts[0], payoutProof);
    }

    function _expectChallengeRevert(uint64 step, bytes memory err) internal {
        IDisputeCourt.StepRecord memory r = _stepRecord(jobId, step, workers[0]);
        bytes32[] memory stepProof = Merkle.proof(stepLeaves, uint256(step) * workers.length);
        bytes32[] memory payoutProof = Merkle.proof(payoutLeaves, 0);
        vm.prank(challenger);
        vm.expectRevert(err);
        court.challenge(jobId, 0, r, stepProof, amounts[0], payoutProof);
    }

    function _votes(uint256 id, uint256 fraud, uint256 valid) internal {
        address[] memory members = court.committee(id);
        for (uint256 i = 0; i < fraud + valid; ++i) {
            vm.prank(members[i]);
            court.vote(id, i < fraud);
        }
    }
}
