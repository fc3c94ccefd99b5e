// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {SuiteFixture} from "./utils/SuiteFixture.sol";
import {Merkle} from "./utils/Merkle.sol";
import {DisputeCourt} from "../src/DisputeCourt.sol";
import {IDisputeCourt} from "../src/interfaces/IDisputeCourt.sol";
import {IPullPayments} from "../src/interfaces/IPullPayments.sol";
import {IJobEscrow} from "../src/interfaces/IJobEscrow.sol";
import {IPoLAnchor} from "../src/interfaces/IPoLAnchor.sol";

/// Disputes (commit, reveal, draw, vote, resolve) and data-availability requests, one revert path at a
/// time, then the outcomes. The block under dispute: job `jobId` (3 workers, 4 steps), signed by 5 of 7
/// validators.
contract DisputeCourtTest is SuiteFixture {
    uint64 internal constant STEPS = 4;
    uint256 internal constant SIGNERS = 5;

    uint256 internal jobId;
    address[] internal workers;
    uint256[] internal amounts;
    bytes32[] internal payoutLeaves;
    bytes32[] internal stepLeaves;
    address internal challenger;
    IPoLAnchor.PoLBlock internal blk;
    address[] internal signers;

    function setUp() public override {
        super.setUp();
        (jobId, workers) = _activeJob(7, 3);
        challenger = _makeAddr("challenger");
        (blk, signers) = _anchorWithSteps(jobId);
        _fund(challenger, 10 * BOND);
        vm.prank(challenger);
        token.approve(address(court), type(uint256).max);
    }

    function _anchorWithSteps(uint256 id) internal returns (IPoLAnchor.PoLBlock memory h, address[] memory list) {
        amounts = _equalAmounts(STEPS, 3);
        payoutLeaves = _payoutLeaves(workers, amounts);
        stepLeaves = _stepLeaves(id, 0, STEPS, workers);
        (bytes32 lastHash, uint64 nextIndex,) = anchor.head(id);
        h = _header(id, nextIndex, lastHash, 0, STEPS, Merkle.root(payoutLeaves));
        h.stepsRoot = Merkle.root(stepLeaves);
        anchor.submit(h, _sign(h, SIGNERS));
        list = _signers(SIGNERS);
    }

    /// Evidence against worker 0's record at `step`.
    function _ev(uint64 step) internal view returns (IDisputeCourt.Evidence memory) {
        return _evidence(
            blk,
            signers,
            _stepRecord(jobId, step, workers[0]),
            stepLeaves,
            uint256(step) * 3,
            payoutLeaves,
            0,
            amounts[0]
        );
    }

    function _expectRevealRevert(address who, IDisputeCourt.Evidence memory ev, bytes memory err) internal {
        _commit(who, ev);
        vm.roll(block.number + 1);
        vm.prank(who);
        vm.expectRevert(err);
        court.challenge(ev);
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

    function test_setParams_boundsOwnerDelayAndEvent() public {
        IDisputeCourt.Params memory p = _courtParams();
        p.challengeBond = 0;
        vm.expectRevert(
            abi.encodeWithSelector(
                IDisputeCourt.DisputeCourtParamOutOfBounds.selector, "challengeBond", 0, 1e18, 1_000_000e18
            )
        );
        court.setParams(p);
        p = _courtParams();
        p.votingWindow = 2 days + 1;
        vm.expectRevert(
            abi.encodeWithSelector(
                IDisputeCourt.DisputeCourtParamOutOfBounds.selector, "votingWindow", 2 days + 1, 60, 2 days
            )
        );
        court.setParams(p);
        p = _courtParams();
        p.challengerRewardBps = 5_001;
        vm.expectRevert(
            abi.encodeWithSelector(
                IDisputeCourt.DisputeCourtParamOutOfBounds.selector, "challengerRewardBps", 5_001, 0, 5_000
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
        uint64 effectiveAt = uint64(block.timestamp) + court.PARAMS_DELAY();
        vm.expectEmit(false, false, false, true, address(court));
        emit IDisputeCourt.ParamsScheduled(p, effectiveAt);
        court.setParams(p);
        assertEq(court.params().committeeSize, COMMITTEE, "not yet");
        (IDisputeCourt.Params memory pending, uint64 at) = court.pendingParams();
        assertEq(pending.committeeSize, 3, "pending");
        assertEq(at, effectiveAt, "effective at");
        vm.warp(effectiveAt);
        assertEq(court.params().committeeSize, 3, "in effect");
        (, at) = court.pendingParams();
        assertEq(at, 0, "nothing pending");
        assertEq(court.stakeManager(), address(stakeManager), "stakeManager");
        assertEq(court.anchor(), address(anchor), "anchor");
        assertEq(court.escrow(), address(escrow), "escrow");
    }

    /* ------------------------------------------------------------------ COMMIT */

    function test_commitChallenge_eventAndNoDuplicate() public {
        bytes32 c = keccak256("c");
        vm.expectEmit(true, true, false, true, address(court));
        emit IDisputeCourt.ChallengeCommitted(c, challenger);
        vm.prank(challenger);
        court.commitChallenge(c);
        assertEq(court.commitmentBlock(c), block.number, "block recorded");
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtAlreadyCommitted.selector, c));
        court.commitChallenge(c);
    }

    /* ------------------------------------------------------------------ CHALLENGE REVERTS */

    function test_challenge_revertsWithoutEarlierCommitment() public {
        IDisputeCourt.Evidence memory ev = _ev(0);
        bytes32 c = court.challengeCommitment(challenger, jobId, 0, _stepLeaf(ev.record), ev.salt);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtNoCommitment.selector, c));
        court.challenge(ev);
        // Committed in the same block as the reveal: still refused.
        _commit(challenger, ev);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtNoCommitment.selector, c));
        court.challenge(ev);
    }

    function test_challenge_revertsOnJobMismatch() public {
        IDisputeCourt.Evidence memory ev = _ev(0);
        ev.record.jobId = jobId + 1;
        _expectRevealRevert(
            challenger, ev, abi.encodeWithSelector(IDisputeCourt.DisputeCourtJobMismatch.selector, jobId, jobId + 1)
        );
    }

    function test_challenge_revertsOnSelfChallenge() public {
        _expectRevealRevert(
            workers[0], _ev(0), abi.encodeWithSelector(IDisputeCourt.DisputeCourtSelfChallenge.selector, workers[0])
        );
    }

    function test_challenge_revertsOnStepOutsideBlock() public {
        IDisputeCourt.Evidence memory ev = _ev(0);
        ev.record.step = STEPS;
        _expectRevealRevert(
            challenger, ev, abi.encodeWithSelector(IDisputeCourt.DisputeCourtStepOutOfBlock.selector, STEPS, 0, STEPS)
        );
    }

    function test_challenge_revertsOnUnanchoredBlockOrWrongSigners() public {
        IDisputeCourt.Evidence memory ev = _ev(0);
        ev.header.index = 1;
        _expectRevealRevert(challenger, ev, abi.encodeWithSelector(IPoLAnchor.PoLAnchorUnknownBlock.selector, jobId, 1));
        ev = _ev(0);
        ev.signers = _signers(SIGNERS - 1);
        ev.salt = keccak256("other salt");
        bytes32 expected = anchor.blockCommitment(jobId, 0);
        bytes32 got = keccak256(abi.encode(anchor.hashBlock(ev.header), anchor.hashSigners(ev.signers)));
        _expectRevealRevert(
            challenger,
            ev,
            abi.encodeWithSelector(IPoLAnchor.PoLAnchorCommitmentMismatch.selector, jobId, 0, expected, got)
        );
    }

    function test_challenge_revertsAfterWindow() public {
        uint256 closedAt = block.timestamp + CHALLENGE_WINDOW;
        vm.warp(closedAt);
        _expectRevealRevert(
            challenger,
            _ev(0),
            abi.encodeWithSelector(IDisputeCourt.DisputeCourtChallengeWindowClosed.selector, jobId, 0, closedAt)
        );
    }

    function test_challenge_revertsOnBadStepProof() public {
        IDisputeCourt.Evidence memory ev = _ev(0);
        ev.record.gradRoot = keccak256("tampered");
        ev.signature = _recordSig(ev.record);
        _expectRevealRevert(
            challenger,
            ev,
            abi.encodeWithSelector(IDisputeCourt.DisputeCourtInvalidStepProof.selector, jobId, 0, _stepLeaf(ev.record))
        );
    }

    function test_challenge_revertsOnSignatureNotByTheWorker() public {
        IDisputeCourt.Evidence memory ev = _ev(0);
        bytes32 digest = court.recordDigest(ev.record);
        ev.signature = _sig(pkOf[workers[1]], digest);
        _expectRevealRevert(
            challenger,
            ev,
            abi.encodeWithSelector(IDisputeCourt.DisputeCourtBadWorkerSignature.selector, workers[0], workers[1])
        );
        ev.signature = hex"00";
        ev.salt = keccak256("malformed");
        _expectRevealRevert(
            challenger,
            ev,
            abi.encodeWithSelector(IDisputeCourt.DisputeCourtBadWorkerSignature.selector, workers[0], address(0))
        );
    }

    function test_challenge_revertsOnBadPayoutProof() public {
        IDisputeCourt.Evidence memory ev = _ev(0);
        ev.payoutAmount = amounts[0] - 1;
        _expectRevealRevert(
            challenger,
            ev,
            abi.encodeWithSelector(
                IDisputeCourt.DisputeCourtInvalidPayoutProof.selector, jobId, 0, workers[0], amounts[0] - 1
            )
        );
    }

    function test_challenge_revertsWithoutBondAllowance() public {
        vm.prank(challenger);
        token.approve(address(court), 0);
        _expectRevealRevert(
            challenger,
            _ev(0),
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(court), 0, BOND)
        );
    }

    function test_challenge_revertsWhileTheRecordIsDisputed() public {
        _challenge(challenger, _ev(0));
        IDisputeCourt.Evidence memory again = _ev(0);
        again.salt = keccak256("again");
        _expectRevealRevert(
            challenger,
            again,
            abi.encodeWithSelector(
                IDisputeCourt.DisputeCourtAlreadyDisputed.selector, jobId, 0, _stepLeaf(again.record)
            )
        );
    }

    /* ------------------------------------------------------------------ CHALLENGE */

    function test_challenge_opensDisputeAndFreezesClaim() public {
        uint256 before = token.balanceOf(challenger);
        IDisputeCourt.Evidence memory ev = _ev(1);
        uint256 id = _challenge(challenger, ev);
        assertEq(id, 1, "first dispute");
        assertEq(court.disputeCount(), 1, "count");
        IDisputeCourt.Dispute memory d = court.getDispute(id);
        assertEq(d.worker, workers[0], "worker");
        assertEq(d.challenger, challenger, "challenger");
        assertEq(d.step, 1, "step");
        assertEq(uint256(d.status), uint256(IDisputeCourt.DisputeStatus.Drawing), "drawing");
        assertEq(d.drawBlock, block.number + court.DRAW_DELAY(), "draw block in the future");
        assertEq(d.payoutAmount, amounts[0], "payout");
        assertEq(d.bond, BOND, "bond");
        assertEq(d.slashBps, SLASH_BPS, "slash term fixed");
        assertEq(d.recordHash, court.recordHash(ev.record), "record hash");
        assertEq(before - token.balanceOf(challenger), BOND, "bond pulled");
        assertEq(court.committee(id).length, 0, "no committee before the draw");
        assertTrue(court.hasOpenDispute(jobId, 0, workers[0]), "open flag");
        assertFalse(court.hasOpenDispute(jobId, 0, workers[1]), "other workers unaffected");
        vm.warp(block.timestamp + CHALLENGE_WINDOW);
        vm.prank(workers[0]);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowDisputeOpen.selector, jobId, 0, workers[0]));
        escrow.claim(jobId, 0, amounts[0], Merkle.proof(payoutLeaves, 0));
        _assertBooksBalance();
    }

    function test_challenge_recordsExactlyTheSampledSigners() public {
        uint256 id = _challenge(challenger, _ev(2));
        address[] memory sampled = court.sampledSigners(id);
        bytes32 leaf = court.getDispute(id).recordHash;
        uint256 n = 0;
        for (uint256 i = 0; i < signers.length; ++i) {
            if (anchor.isSampled(blk.randomness, signers[i], leaf, RATE_PPM)) {
                assertEq(sampled[n++], signers[i], "sampled signer in order");
            }
        }
        assertEq(sampled.length, n, "no other signer");
    }

    /* ------------------------------------------------------------------ DRAW */

    function test_draw_revertsUnknownEarlyExpiredAndTwice() public {
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtUnknownDispute.selector, 9));
        court.draw(9);
        uint256 id = _challenge(challenger, _ev(0));
        uint64 drawBlock = court.getDispute(id).drawBlock;
        vm.roll(drawBlock);
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtDrawTooEarly.selector, id, drawBlock));
        court.draw(id);
        vm.roll(drawBlock + court.DRAW_WINDOW() + 1);
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtDrawExpired.selector, id, drawBlock));
        court.draw(id);
        uint256 id2 = _challenge(challenger, _ev(1));
        _draw(id2);
        vm.expectRevert(
            abi.encodeWithSelector(
                IDisputeCourt.DisputeCourtWrongStatus.selector, id2, IDisputeCourt.DisputeStatus.Voting
            )
        );
        court.draw(id2);
    }

    function test_draw_committeeExcludesWorkerChallengerAndSampledSigners() public {
        IDisputeCourt.Params memory p = _courtParams();
        p.committeeSize = 64;
        court.setParams(p);
        vm.warp(block.timestamp + court.PARAMS_DELAY());
        // A fresh block inside its window (the delay outlived the first one's).
        vm.roll(block.number + 1);
        uint256 id2 = _createJob(BUDGET, PRICE);
        _assign(id2, workers);
        jobId = id2;
        (blk, signers) = _anchorWithSteps(id2);
        uint256 id = _challenge(challenger, _ev(0));
        vm.roll(court.getDispute(id).drawBlock + 1);
        vm.recordLogs();
        court.draw(id);
        address[] memory members = court.committee(id);
        address[] memory sampled = court.sampledSigners(id);
        assertEq(members.length, 7 - sampled.length, "every eligible validator");
        for (uint256 i = 0; i < members.length; ++i) {
            assertTrue(stakeManager.snapshotStakeOf(members[i]) > 0, "member can sign this epoch");
            for (uint256 j = 0; j < sampled.length; ++j) {
                assertTrue(members[i] != sampled[j], "sampled signer excluded");
            }
            for (uint256 j = 0; j < i; ++j) {
                assertTrue(members[i] != members[j], "distinct members");
            }
        }
        assertEq(uint256(court.getDispute(id).status), uint256(IDisputeCourt.DisputeStatus.Voting), "voting");
        assertEq(court.getDispute(id).votingEndsAt, block.timestamp + VOTING_WINDOW, "voting end");
    }

    /* ------------------------------------------------------------------ VOTE */

    function test_vote_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtUnknownDispute.selector, 9));
        court.vote(9, true);
        uint256 id = _challenge(challenger, _ev(0));
        vm.expectRevert(
            abi.encodeWithSelector(
                IDisputeCourt.DisputeCourtWrongStatus.selector, id, IDisputeCourt.DisputeStatus.Drawing
            )
        );
        court.vote(id, true);
        _draw(id);
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

    function test_resolve_revertsUnknownUndrawnAndUndecided() public {
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtUnknownDispute.selector, 5));
        court.resolve(5);
        uint256 id = _challenge(challenger, _ev(0));
        vm.expectRevert(
            abi.encodeWithSelector(
                IDisputeCourt.DisputeCourtWrongStatus.selector, id, IDisputeCourt.DisputeStatus.Drawing
            )
        );
        court.resolve(id);
        _draw(id);
        _votes(id, 2, 1);
        uint64 endsAt = court.getDispute(id).votingEndsAt;
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtVotingOpen.selector, id, endsAt));
        court.resolve(id);
    }

    function test_resolve_fraudSlashesWorkerAndSampledSignersVoidsAndRewards() public {
        // A job whose every signer had to check every record (rate 100%).
        uint256 id2 = _createJobAt(BUDGET, PRICE, 1_000_000);
        _assign(id2, workers);
        jobId = id2;
        (blk, signers) = _anchorWithSteps(id2);
        uint256 id = _challenge(challenger, _ev(0));
        assertEq(court.sampledSigners(id).length, SIGNERS, "all signers sampled");
        _draw(id);
        _votes(id, court.committee(id).length / 2 + 1, 0);
        uint256 workerStake = stakeManager.stakeOf(workers[0]);
        uint256 signerStake = stakeManager.stakeOf(signers[0]);
        uint256 slashed = workerStake * SLASH_BPS / 10_000 + SIGNERS * (signerStake * SLASH_BPS / 10_000);
        uint256 reward = slashed * REWARD_BPS / 10_000;
        uint256 fees = (STEPS * PRICE * VALIDATOR_FEE_BPS / 10_000) / SIGNERS * SIGNERS;
        assertTrue(court.feesHeld(jobId, 0), "fees held during the dispute");
        vm.expectEmit(true, false, false, true, address(court));
        emit IDisputeCourt.DisputeResolved(id, IDisputeCourt.DisputeStatus.Fraud, slashed, reward, amounts[0] + fees);
        court.resolve(id);
        assertFalse(court.feesHeld(jobId, 0), "released");
        assertEq(uint256(court.getDispute(id).status), uint256(IDisputeCourt.DisputeStatus.Fraud), "fraud");
        assertEq(stakeManager.stakeOf(workers[0]), workerStake - workerStake * SLASH_BPS / 10_000, "worker slashed");
        for (uint256 i = 0; i < SIGNERS; ++i) {
            assertEq(stakeManager.stakeOf(signers[i]), signerStake - signerStake * SLASH_BPS / 10_000, "signer slashed");
        }
        (, uint256 slashes,) = stakeManager.reputation(workers[0]);
        assertEq(slashes, 1, "reputation");
        assertEq(court.creditOf(challenger), BOND + reward, "challenger credit");
        assertEq(court.creditOf(treasury), slashed - reward, "treasury credit");
        assertTrue(escrow.isVoided(jobId, 0, workers[0]), "voided");
        assertEq(escrow.creditOf(client), amounts[0] + fees, "client refunded the payout and the signers' fees");
        assertFalse(court.hasOpenDispute(jobId, 0, workers[0]), "closed");
        IDisputeCourt.Evidence memory again = _ev(0);
        again.salt = keccak256("again");
        _expectRevealRevert(
            challenger,
            again,
            abi.encodeWithSelector(
                IDisputeCourt.DisputeCourtAlreadyDisputed.selector, jobId, 0, _stepLeaf(again.record)
            )
        );
        vm.expectRevert(
            abi.encodeWithSelector(
                IDisputeCourt.DisputeCourtWrongStatus.selector, id, IDisputeCourt.DisputeStatus.Fraud
            )
        );
        court.resolve(id);
        vm.warp(block.timestamp + CHALLENGE_WINDOW);
        vm.prank(workers[0]);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowPayoutVoided.selector, jobId, 0, workers[0]));
        escrow.claim(jobId, 0, amounts[0], Merkle.proof(payoutLeaves, 0));
        // Signers obliged to check the record are not paid for signing it.
        vm.prank(signers[0]);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowPayoutVoided.selector, jobId, 0, signers[0]));
        escrow.claimFee(blk, signers, 0);
        _assertBooksBalance();
    }

    function test_claimFee_waitsWhileADisputeOnTheBlockIsOpen() public {
        uint256 id = _challenge(challenger, _ev(0));
        vm.warp(block.timestamp + CHALLENGE_WINDOW);
        vm.prank(signers[0]);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowDisputeOpen.selector, jobId, 0, address(0)));
        escrow.claimFee(blk, signers, 0);
        _draw(id);
        _votes(id, 0, (court.committee(id).length + 1) / 2);
        court.resolve(id);
        vm.prank(signers[0]);
        escrow.claimFee(blk, signers, 0);
        assertTrue(escrow.isFeeClaimed(jobId, 0, signers[0]), "paid once the dispute is over");
    }

    function test_resolve_fraudSparesSignersNotObligedToCheck() public {
        // Rate 1 ppm: with overwhelming probability no signer had the record in its sample.
        uint256 id2 = _createJobAt(BUDGET, PRICE, 1);
        _assign(id2, workers);
        jobId = id2;
        (blk, signers) = _anchorWithSteps(id2);
        uint256 id = _challenge(challenger, _ev(0));
        address[] memory sampled = court.sampledSigners(id);
        uint256 stakeBefore = stakeManager.stakeOf(signers[0]);
        _draw(id);
        _votes(id, court.committee(id).length / 2 + 1, 0);
        court.resolve(id);
        for (uint256 i = 0; i < SIGNERS; ++i) {
            bool isSampled = false;
            for (uint256 j = 0; j < sampled.length; ++j) {
                if (sampled[j] == signers[i]) isSampled = true;
            }
            if (!isSampled) assertEq(stakeManager.stakeOf(signers[i]), stakeBefore, "unsampled signer untouched");
        }
        assertEq(sampled.length, 0, "nobody sampled at 1 ppm here");
    }

    function test_resolve_rejectedForfeitsBondAndUnfreezes() public {
        uint256 id = _challenge(challenger, _ev(0));
        _draw(id);
        _votes(id, 0, (court.committee(id).length + 1) / 2);
        vm.expectEmit(true, false, false, true, address(court));
        emit IDisputeCourt.DisputeResolved(id, IDisputeCourt.DisputeStatus.Rejected, 0, 0, 0);
        court.resolve(id);
        assertEq(court.creditOf(treasury), BOND, "bond forfeited");
        assertEq(court.creditOf(challenger), 0, "nothing back");
        vm.warp(block.timestamp + CHALLENGE_WINDOW);
        vm.prank(workers[0]);
        escrow.claim(jobId, 0, amounts[0], Merkle.proof(payoutLeaves, 0));
        assertEq(token.balanceOf(workers[0]), amounts[0], "paid after rejection");
        _assertBooksBalance();
    }

    function test_resolve_noQuorumReturnsBondAndChargesSilentMembers() public {
        uint256 id = _challenge(challenger, _ev(0));
        _draw(id);
        _votes(id, 1, 1);
        address[] memory members = court.committee(id);
        vm.warp(court.getDispute(id).votingEndsAt);
        vm.expectEmit(true, false, false, true, address(court));
        emit IDisputeCourt.DisputeResolved(id, IDisputeCourt.DisputeStatus.NoQuorum, 0, 0, 0);
        court.resolve(id);
        assertEq(court.creditOf(challenger), BOND, "bond returned");
        for (uint256 i = 0; i < members.length; ++i) {
            (,, uint256 missed) = stakeManager.reputation(members[i]);
            assertEq(missed, i < 2 ? 0 : 1, "only the silent members lose reputation");
        }
        assertFalse(court.hasOpenDispute(jobId, 0, workers[0]), "claims unfrozen");
        _assertBooksBalance();
    }

    function test_resolve_undrawnDisputeExpiresAndForfeitsBond() public {
        uint256 id = _challenge(challenger, _ev(0));
        vm.roll(court.getDispute(id).drawBlock + court.DRAW_WINDOW() + 1);
        court.resolve(id);
        assertEq(uint256(court.getDispute(id).status), uint256(IDisputeCourt.DisputeStatus.Expired), "expired");
        assertEq(court.creditOf(treasury), BOND, "bond forfeited");
        _assertBooksBalance();
    }

    /* ------------------------------------------------------------------ DATA AVAILABILITY */

    function test_requestData_reverts() public {
        vm.startPrank(challenger);
        IPoLAnchor.PoLBlock memory wrong = blk;
        wrong.index = 1;
        vm.expectRevert(abi.encodeWithSelector(IPoLAnchor.PoLAnchorUnknownBlock.selector, jobId, 1));
        court.requestData(wrong, signers, 0, 0, 0);
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtStepOutOfBlock.selector, STEPS, 0, STEPS));
        court.requestData(blk, signers, STEPS, 0, 0);
        court.requestData(blk, signers, 0, 0, 0);
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtAlreadyRequested.selector, jobId, 0));
        court.requestData(blk, signers, 0, 0, 0);
        token.approve(address(court), 0);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(court), 0, BOND)
        );
        court.requestData(blk, signers, 1, 0, 0);
        uint256 closedAt = block.timestamp + CHALLENGE_WINDOW;
        vm.warp(closedAt);
        vm.expectRevert(
            abi.encodeWithSelector(IDisputeCourt.DisputeCourtChallengeWindowClosed.selector, jobId, 0, closedAt)
        );
        court.requestData(blk, signers, 1, 0, 0);
        vm.stopPrank();
    }

    function test_provideData_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtRequestNotOpen.selector, 1));
        court.provideData(1, _stepRecord(jobId, 0, workers[0]), "", new bytes32[](0));
        vm.prank(challenger);
        uint256 rid = court.requestData(blk, signers, 1, 0, 0);
        IDisputeCourt.StepRecord memory r = _stepRecord(jobId, 0, workers[0]);
        bytes memory sig = _recordSig(r);
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtWrongRecord.selector, rid));
        court.provideData(rid, r, sig, Merkle.proof(stepLeaves, 0));
        r = _stepRecord(jobId, 1, workers[0]);
        sig = _recordSig(r);
        vm.expectRevert(
            abi.encodeWithSelector(IDisputeCourt.DisputeCourtInvalidStepProof.selector, jobId, 0, _stepLeaf(r))
        );
        court.provideData(rid, r, sig, Merkle.proof(stepLeaves, 0));
        bytes memory wrongSig = _sig(pkOf[workers[1]], court.recordDigest(r));
        vm.expectRevert(
            abi.encodeWithSelector(IDisputeCourt.DisputeCourtBadWorkerSignature.selector, workers[0], workers[1])
        );
        court.provideData(rid, r, wrongSig, Merkle.proof(stepLeaves, 3));
        // A record of a worker never assigned to the job does not answer.
        uint64 deadline = court.getDataRequest(rid).deadline;
        vm.warp(deadline);
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtDataWindowClosed.selector, rid, deadline));
        court.provideData(rid, r, sig, Merkle.proof(stepLeaves, 3));
    }

    function test_provideData_revertsForARecordOfAnUnassignedWorker() public {
        // A block whose stepsRoot holds a record signed by an address never assigned to the job.
        address[] memory strangers = new address[](1);
        strangers[0] = outsider;
        bytes32[] memory leaves = _stepLeaves(jobId, STEPS, STEPS + 1, strangers);
        vm.roll(block.number + 1);
        (bytes32 lastHash, uint64 nextIndex,) = anchor.head(jobId);
        IPoLAnchor.PoLBlock memory h = _header(jobId, nextIndex, lastHash, STEPS, STEPS + 1, bytes32(uint256(1)));
        h.stepsRoot = Merkle.root(leaves);
        anchor.submit(h, _sign(h, SIGNERS));
        vm.prank(challenger);
        uint256 rid = court.requestData(h, signers, STEPS, 0, 0);
        IDisputeCourt.StepRecord memory r = _stepRecord(jobId, STEPS, outsider);
        bytes memory sig = _recordSig(r);
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtWorkerNotAssigned.selector, jobId, outsider));
        court.provideData(rid, r, sig, Merkle.proof(leaves, 0));
    }

    function test_provideData_paysProviderAndKeepsTheBlockChallengeable() public {
        vm.prank(challenger);
        uint256 rid = court.requestData(blk, signers, 1, 0, 0);
        assertTrue(court.hasOpenDispute(jobId, 0, address(0)), "block held");
        IDisputeCourt.StepRecord memory r = _stepRecord(jobId, 1, workers[0]);
        address provider = signers[0];
        bytes memory sig = _recordSig(r);
        vm.expectEmit(true, true, false, true, address(court));
        emit IDisputeCourt.DataProvided(rid, _stepLeaf(r), provider);
        vm.prank(provider);
        court.provideData(rid, r, sig, Merkle.proof(stepLeaves, 3));
        assertEq(uint256(court.getDataRequest(rid).status), uint256(IDisputeCourt.RequestStatus.Answered), "answered");
        assertEq(court.creditOf(provider), BOND, "provider paid the bond");
        // Past the window, the published record can still be challenged for DATA_WINDOW.
        vm.warp(block.timestamp + CHALLENGE_WINDOW);
        assertTrue(court.hasOpenDispute(jobId, 0, workers[1]), "claims wait for the grace period");
        _challenge(challenger, _ev(1));
        vm.warp(block.timestamp + court.DATA_WINDOW());
        assertFalse(court.hasOpenDispute(jobId, 0, workers[1]), "grace over");
        _assertBooksBalance();
    }

    function test_provideData_outOfRangeRequestIsAnsweredByAnyRecordOfTheStep() public {
        vm.prank(challenger);
        uint256 rid = court.requestData(blk, signers, 2, 5, 0);
        IDisputeCourt.StepRecord memory r = _stepRecord(jobId, 2, workers[1]);
        bytes memory sig = _recordSig(r);
        court.provideData(rid, r, sig, Merkle.proof(stepLeaves, 7));
        assertEq(uint256(court.getDataRequest(rid).status), uint256(IDisputeCourt.RequestStatus.Answered), "answered");
    }

    function test_resolveData_revertsAndSlashesEverySignerWhenWithheld() public {
        vm.prank(challenger);
        uint256 rid = court.requestData(blk, signers, 1, 0, 0);
        uint64 deadline = court.getDataRequest(rid).deadline;
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtDataWindowOpen.selector, rid, deadline));
        court.resolveData(rid, signers);
        vm.warp(deadline);
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtSignersMismatch.selector, rid));
        court.resolveData(rid, _signers(SIGNERS - 1));
        uint256 signerStake = stakeManager.stakeOf(signers[0]);
        uint256 clientBefore = escrow.creditOf(client);
        court.resolveData(rid, signers);
        assertEq(uint256(court.getDataRequest(rid).status), uint256(IDisputeCourt.RequestStatus.Failed), "failed");
        for (uint256 i = 0; i < SIGNERS; ++i) {
            assertEq(stakeManager.stakeOf(signers[i]), signerStake - signerStake * SLASH_BPS / 10_000, "signer slashed");
        }
        uint256 slashed = SIGNERS * (signerStake * SLASH_BPS / 10_000);
        assertEq(court.creditOf(challenger), BOND + slashed * REWARD_BPS / 10_000, "requester rewarded");
        uint256 gross = STEPS * PRICE;
        uint256 fees = (gross * VALIDATOR_FEE_BPS / 10_000) / SIGNERS * SIGNERS;
        assertEq(
            escrow.creditOf(client) - clientBefore,
            gross * (10_000 - VALIDATOR_FEE_BPS - PROTOCOL_FEE_BPS) / 10_000 + fees,
            "pool and fees back"
        );
        vm.expectRevert(abi.encodeWithSelector(IDisputeCourt.DisputeCourtRequestNotOpen.selector, rid));
        court.resolveData(rid, signers);
        vm.prank(workers[0]);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowBlockPoolExceeded.selector, jobId, 0, amounts[0], 0));
        escrow.claim(jobId, 0, amounts[0], Merkle.proof(payoutLeaves, 0));
        _assertBooksBalance();
    }

    /* ------------------------------------------------------------------ WITHDRAW */

    function test_withdraw_revertsWhenEmptyAndPays() public {
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(IPullPayments.PullPaymentsNothingToWithdraw.selector, challenger));
        court.withdraw();
        uint256 id = _challenge(challenger, _ev(0));
        _draw(id);
        _votes(id, court.committee(id).length / 2 + 1, 0);
        court.resolve(id);
        uint256 credit = court.creditOf(challenger);
        uint256 before = token.balanceOf(challenger);
        vm.prank(challenger);
        vm.expectEmit(true, false, false, true, address(court));
        emit IPullPayments.Withdrawn(challenger, credit);
        court.withdraw();
        assertEq(token.balanceOf(challenger) - before, credit, "paid");
        assertEq(court.totalCredits(), court.creditOf(treasury), "only treasury left");
        _assertBooksBalance();
    }

    /* ------------------------------------------------------------------ FUZZ */

    /// Fraud iff more than half of the committee voted fraud; rejected iff at least half voted valid;
    /// otherwise no quorum, whatever the vote pattern.
    function test_fuzz_majorityRule(uint8 fraudRaw, uint8 validRaw) public {
        uint256 id = _challenge(challenger, _ev(0));
        _draw(id);
        uint256 size = court.committee(id).length;
        uint256 fraud = bound(fraudRaw, 0, size);
        uint256 valid = bound(validRaw, 0, size - fraud);
        _votes(id, fraud, valid);
        vm.warp(court.getDispute(id).votingEndsAt);
        court.resolve(id);
        IDisputeCourt.DisputeStatus expected = fraud * 2 > size
            ? IDisputeCourt.DisputeStatus.Fraud
            : valid * 2 >= size ? IDisputeCourt.DisputeStatus.Rejected : IDisputeCourt.DisputeStatus.NoQuorum;
        assertEq(uint256(court.getDispute(id).status), uint256(expected), "outcome");
        _assertBooksBalance();
    }

    /* ------------------------------------------------------------------ HELPERS */

    function _votes(uint256 id, uint256 fraud, uint256 valid) internal {
        address[] memory members = court.committee(id);
        for (uint256 i = 0; i < fraud + valid; ++i) {
            vm.prank(members[i]);
            court.vote(id, i < fraud);
        }
    }
}
