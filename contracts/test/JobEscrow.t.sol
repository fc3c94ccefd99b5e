// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {SuiteFixture} from "./utils/SuiteFixture.sol";
import {Merkle} from "./utils/Merkle.sol";
import {JobEscrow} from "../src/JobEscrow.sol";
import {IJobEscrow} from "../src/interfaces/IJobEscrow.sol";
import {IStakeManager} from "../src/interfaces/IStakeManager.sol";
import {IPoLAnchor} from "../src/interfaces/IPoLAnchor.sol";
import {IPullPayments} from "../src/interfaces/IPullPayments.sol";

contract JobEscrowTest is SuiteFixture {
    uint256 internal jobId;
    address[] internal workers;

    function setUp() public override {
        super.setUp();
        (jobId, workers) = _activeJob(3, 2);
    }

    /* ------------------------------------------------------------------ CONSTRUCTOR / GOVERNANCE */

    function test_constructor_revertsOnZeroAddresses() public {
        vm.expectRevert(IJobEscrow.JobEscrowZeroAddress.selector);
        new JobEscrow(IERC20(address(0)), stakeManager, _escrowParams(), address(this));
        vm.expectRevert(IJobEscrow.JobEscrowZeroAddress.selector);
        new JobEscrow(token, IStakeManager(address(0)), _escrowParams(), address(this));
        IJobEscrow.Params memory p = _escrowParams();
        p.treasury = address(0);
        vm.expectRevert(IJobEscrow.JobEscrowZeroAddress.selector);
        new JobEscrow(token, stakeManager, p, address(this));
    }

    function test_setParams_boundsAndOwner() public {
        IJobEscrow.Params memory p = _escrowParams();
        p.challengeWindow = 59;
        vm.expectRevert(
            abi.encodeWithSelector(IJobEscrow.JobEscrowParamOutOfBounds.selector, "challengeWindow", 59, 60, 2 days)
        );
        escrow.setParams(p);
        p = _escrowParams();
        p.validatorFeeBps = 2_001;
        vm.expectRevert(
            abi.encodeWithSelector(IJobEscrow.JobEscrowParamOutOfBounds.selector, "validatorFeeBps", 2_001, 0, 2_000)
        );
        escrow.setParams(p);
        p = _escrowParams();
        p.protocolFeeBps = 1_001;
        vm.expectRevert(
            abi.encodeWithSelector(IJobEscrow.JobEscrowParamOutOfBounds.selector, "protocolFeeBps", 1_001, 0, 1_000)
        );
        escrow.setParams(p);
        p = _escrowParams();
        p.maxWorkersPerJob = 0;
        vm.expectRevert(
            abi.encodeWithSelector(IJobEscrow.JobEscrowParamOutOfBounds.selector, "maxWorkersPerJob", 0, 1, 1_024)
        );
        escrow.setParams(p);
        vm.prank(client);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, client));
        escrow.setParams(_escrowParams());
        p = _escrowParams();
        p.protocolFeeBps = 200;
        vm.expectEmit(false, false, false, true, address(escrow));
        emit IJobEscrow.ParamsUpdated(_escrowParams(), p);
        escrow.setParams(p);
        assertEq(escrow.params().protocolFeeBps, 200, "updated");
        assertEq(escrow.getJob(jobId).protocolFeeBps, PROTOCOL_FEE_BPS, "running job keeps its rate");
    }

    function test_connect_onlyOnce() public {
        vm.expectRevert(IJobEscrow.JobEscrowAlreadyConnected.selector);
        escrow.connect(client, client);
        JobEscrow fresh = new JobEscrow(token, stakeManager, _escrowParams(), address(this));
        vm.expectRevert(IJobEscrow.JobEscrowZeroAddress.selector);
        fresh.connect(client, address(0));
        vm.prank(client);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, client));
        fresh.connect(client, client);
        assertEq(escrow.anchor(), address(anchor), "anchor");
        assertEq(escrow.disputeCourt(), address(court), "court");
        assertEq(escrow.stakeManager(), address(stakeManager), "stakeManager");
        assertEq(address(escrow.token()), address(token), "token");
        assertEq(escrow.treasury(), treasury, "treasury");
    }

    /* ------------------------------------------------------------------ CREATE JOB */

    function test_createJob_revertsOnBadBudget() public {
        vm.startPrank(client);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowInvalidBudget.selector, 10, 0));
        escrow.createJob(bytes32(0), 10, 0, uint64(block.timestamp + 1), bytes32(0), RATE_PPM, 0, 0);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowInvalidBudget.selector, 9, 10));
        escrow.createJob(bytes32(0), 9, 10, uint64(block.timestamp + 1), bytes32(0), RATE_PPM, 0, 0);
        vm.stopPrank();
    }

    function test_createJob_revertsOnPastDeadline() public {
        vm.prank(client);
        vm.expectRevert(
            abi.encodeWithSelector(
                IJobEscrow.JobEscrowDeadlineInPast.selector, uint64(block.timestamp), block.timestamp
            )
        );
        escrow.createJob(bytes32(0), 10, 1, uint64(block.timestamp), bytes32(0), RATE_PPM, 0, 0);
    }

    function test_createJob_revertsWithoutFunds() public {
        vm.startPrank(outsider);
        token.approve(address(escrow), 10);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, outsider, 0, 10));
        escrow.createJob(bytes32(0), 10, 1, uint64(block.timestamp + 1), bytes32(0), RATE_PPM, 0, 0);
        vm.stopPrank();
    }

    function test_createJob_revertsOnBadVerificationTerms() public {
        uint64 deadline = uint64(block.timestamp + 1);
        vm.startPrank(client);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowInvalidVerification.selector, 0, 0, 0));
        escrow.createJob(bytes32(0), 10, 1, deadline, bytes32(0), 0, 0, 0);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowInvalidVerification.selector, 1_000_001, 0, 0));
        escrow.createJob(bytes32(0), 10, 1, deadline, bytes32(0), 1_000_001, 0, 0);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowInvalidVerification.selector, 1, 2, 0));
        escrow.createJob(bytes32(0), 10, 1, deadline, bytes32(0), 1, 2, 0);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowInvalidVerification.selector, 1, 0, 5));
        escrow.createJob(bytes32(0), 10, 1, deadline, bytes32(0), 1, 0, 5);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowInvalidVerification.selector, 1, 1, 0));
        escrow.createJob(bytes32(0), 10, 1, deadline, bytes32(0), 1, 1, 0);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowInvalidVerification.selector, 1, 1, 1_000_001));
        escrow.createJob(bytes32(0), 10, 1, deadline, bytes32(0), 1, 1, 1_000_001);
        vm.stopPrank();
    }

    function test_createJob_locksBudgetAndRecordsJob() public {
        _fund(client, 500 * TL);
        vm.startPrank(client);
        token.approve(address(escrow), 500 * TL);
        uint64 deadline = uint64(block.timestamp + 2 days);
        vm.expectEmit(true, true, false, true, address(escrow));
        emit IJobEscrow.JobCreated(2, client, keccak256("s"), keccak256("q"), 500 * TL, 2 * TL, deadline);
        vm.expectEmit(true, false, false, true, address(escrow));
        emit IJobEscrow.JobVerificationSet(2, 50_000, 1, 1_000);
        uint256 id = escrow.createJob(keccak256("s"), 500 * TL, 2 * TL, deadline, keccak256("q"), 50_000, 1, 1_000);
        vm.stopPrank();
        assertEq(id, 2, "second job");
        assertEq(escrow.jobCount(), 2, "count");
        IJobEscrow.Job memory j = escrow.getJob(id);
        assertEq(j.client, client, "client");
        assertEq(uint256(j.status), uint256(IJobEscrow.JobStatus.Open), "open");
        assertEq(j.budget, 500 * TL, "budget");
        assertEq(j.pricePerStep, 2 * TL, "price");
        assertEq(j.deadline, deadline, "deadline");
        assertEq(j.challengeWindow, CHALLENGE_WINDOW, "window copied");
        assertEq(j.validatorFeeBps, VALIDATOR_FEE_BPS, "fee copied");
        assertEq(j.specHash, keccak256("s"), "spec");
        assertEq(j.paramsHash, keccak256("q"), "params");
        assertEq(j.verifyRatePpm, 50_000, "rate stored");
        assertEq(j.verifyMode, 1, "mode stored");
        assertEq(j.tolerancePpmL2, 1_000, "tolerance stored");
        assertEq(escrow.totalLocked(), BUDGET + 500 * TL, "locked");
        _assertBooksBalance();
    }

    /* ------------------------------------------------------------------ ASSIGN */

    function test_assign_revertsForUnknownJobAndNonClient() public {
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowUnknownJob.selector, 99));
        escrow.assign(99, workers, bytes32(0));
        vm.prank(outsider);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowNotClient.selector, jobId, outsider));
        escrow.assign(jobId, workers, bytes32(0));
    }

    function test_assign_revertsOnBadWorkerLists() public {
        address[] memory none = new address[](0);
        vm.startPrank(client);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowBadWorkerCount.selector, 0, MAX_WORKERS));
        escrow.assign(jobId, none, bytes32(0));
        address[] memory tooMany = new address[](MAX_WORKERS + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IJobEscrow.JobEscrowBadWorkerCount.selector, MAX_WORKERS + 1, MAX_WORKERS)
        );
        escrow.assign(jobId, tooMany, bytes32(0));
        address[] memory unstaked = new address[](2);
        unstaked[0] = workers[0];
        unstaked[1] = outsider;
        vm.expectRevert(
            abi.encodeWithSelector(IStakeManager.StakeManagerInsufficientStake.selector, outsider, 0, MIN_WORKER_STAKE)
        );
        escrow.assign(jobId, unstaked, bytes32(0));
        vm.stopPrank();
    }

    function test_assign_revertsAfterDeadlineOrCancel() public {
        uint64 deadline = escrow.getJob(jobId).deadline;
        vm.warp(deadline + 1);
        vm.prank(client);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowDeadlinePassed.selector, jobId, deadline));
        escrow.assign(jobId, workers, bytes32(0));
        vm.warp(deadline);
        uint256 open = _createJob(BUDGET, PRICE);
        vm.startPrank(client);
        escrow.cancelJob(open);
        vm.expectRevert(
            abi.encodeWithSelector(IJobEscrow.JobEscrowWrongStatus.selector, open, IJobEscrow.JobStatus.Cancelled)
        );
        escrow.assign(open, workers, bytes32(0));
        vm.stopPrank();
    }

    function test_assign_recordsHashAndActivates() public {
        vm.prank(client);
        vm.expectEmit(true, false, false, true, address(escrow));
        emit IJobEscrow.JobAssigned(jobId, keccak256("a2"), workers);
        escrow.assign(jobId, workers, keccak256("a2"));
        IJobEscrow.Job memory j = escrow.getJob(jobId);
        assertEq(j.assignmentHash, keccak256("a2"), "hash");
        assertEq(uint256(j.status), uint256(IJobEscrow.JobStatus.Active), "active");
        assertTrue(escrow.isAssigned(jobId, workers[0]), "assigned");
        assertFalse(escrow.isAssigned(jobId, outsider), "not assigned");
        (uint256 locked, uint64 until) = stakeManager.lockOf(workers[0]);
        assertEq(locked, MIN_WORKER_STAKE, "stake locked");
        assertEq(until, j.deadline, "until the deadline");
    }

    /* ------------------------------------------------------------------ CANCEL / REFUND */

    function test_cancelJob_revertsForNonClientAndTwice() public {
        vm.prank(outsider);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowNotClient.selector, jobId, outsider));
        escrow.cancelJob(jobId);
        uint256 open = _createJob(BUDGET, PRICE);
        vm.startPrank(client);
        vm.expectEmit(true, false, false, true, address(escrow));
        emit IJobEscrow.JobCancelled(open, BUDGET);
        escrow.cancelJob(open);
        vm.expectRevert(
            abi.encodeWithSelector(IJobEscrow.JobEscrowWrongStatus.selector, open, IJobEscrow.JobStatus.Cancelled)
        );
        escrow.cancelJob(open);
        vm.stopPrank();
        assertEq(escrow.creditOf(client), BUDGET, "never-assigned job refunded at once");
    }

    function test_cancelJob_runningJobGetsANoticePeriod() public {
        _anchorBlock(jobId, 0, 100, workers, _equalAmounts(100, 2), 2);
        uint64 noticeEnds = uint64(block.timestamp) + escrow.CANCEL_NOTICE();
        vm.prank(client);
        vm.expectEmit(true, false, false, true, address(escrow));
        emit IJobEscrow.JobCancellationScheduled(jobId, noticeEnds);
        escrow.cancelJob(jobId);
        assertEq(escrow.getJob(jobId).deadline, noticeEnds, "deadline pulled in");
        assertEq(escrow.creditOf(client), 0, "nothing refunded before the notice ends");
        // Work finished before the cancellation is still anchored during the notice.
        vm.roll(block.number + 1);
        _anchorBlock(jobId, 100, 150, workers, _equalAmounts(50, 2), 2);
        vm.warp(noticeEnds + 1);
        vm.roll(block.number + 1);
        (bytes32 lastHash,,) = anchor.head(jobId);
        IPoLAnchor.PoLBlock memory h = _header(jobId, 2, lastHash, 150, 160, bytes32(uint256(1)));
        bytes[] memory sigs = _sign(h, 2);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowDeadlinePassed.selector, jobId, noticeEnds));
        anchor.submit(h, sigs);
        escrow.refund(jobId);
        assertEq(escrow.creditOf(client), 850 * TL, "the rest refunded after the notice");
        _claim(0, 0, _equalAmounts(100, 2));
        _assertBooksBalance();
    }

    function test_refund_revertsBeforeDeadline() public {
        uint64 deadline = escrow.getJob(jobId).deadline;
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowDeadlineNotPassed.selector, jobId, deadline));
        escrow.refund(jobId);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowUnknownJob.selector, 77));
        escrow.refund(77);
    }

    function test_refund_afterDeadlineThenNeverAgain() public {
        _anchorBlock(jobId, 0, 250, workers, _equalAmounts(250, 2), 2);
        vm.warp(escrow.getJob(jobId).deadline + 1);
        vm.expectEmit(true, false, false, true, address(escrow));
        emit IJobEscrow.JobRefunded(jobId, 750 * TL);
        escrow.refund(jobId);
        vm.expectRevert(
            abi.encodeWithSelector(IJobEscrow.JobEscrowWrongStatus.selector, jobId, IJobEscrow.JobStatus.Refunded)
        );
        escrow.refund(jobId);
        vm.prank(client);
        escrow.withdraw();
        assertEq(token.balanceOf(client), 750 * TL, "refunded");
        _assertBooksBalance();
    }

    function test_refund_afterCompletion() public {
        uint256 id = _createJob(1_000 * TL + 5, PRICE);
        _assign(id, workers);
        vm.expectEmit(true, false, false, false, address(escrow));
        emit IJobEscrow.JobCompleted(id);
        _anchorBlock(id, 0, 1_000, workers, _equalAmounts(1_000, 2), 2);
        assertEq(uint256(escrow.getJob(id).status), uint256(IJobEscrow.JobStatus.Completed), "completed");
        escrow.refund(id);
        assertEq(escrow.creditOf(client), 5, "dust below one step refunded");
    }

    function test_refund_revertsWhenCancelled() public {
        uint256 open = _createJob(BUDGET, PRICE);
        vm.prank(client);
        escrow.cancelJob(open);
        vm.expectRevert(
            abi.encodeWithSelector(IJobEscrow.JobEscrowWrongStatus.selector, open, IJobEscrow.JobStatus.Cancelled)
        );
        escrow.refund(open);
    }

    /* ------------------------------------------------------------------ BLOCK FUNDING */

    function test_onBlockAnchored_onlyAnchor() public {
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowUnauthorized.selector, address(this)));
        escrow.onBlockAnchored(jobId, 0, 0, 1, bytes32(0), 2);
    }

    function test_onBlockAnchored_checksJob() public {
        vm.startPrank(address(anchor));
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowUnknownJob.selector, 42));
        escrow.onBlockAnchored(42, 0, 0, 1, bytes32(0), 2);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowBudgetExceeded.selector, jobId, 1_001 * TL, BUDGET));
        escrow.onBlockAnchored(jobId, 0, 0, 1_001, bytes32(0), 2);
        uint64 deadline = escrow.getJob(jobId).deadline;
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowDeadlinePassed.selector, jobId, deadline));
        escrow.onBlockAnchored(jobId, 0, 0, 1, bytes32(0), 2);
        vm.stopPrank();
        vm.warp(deadline);
        uint256 open = _createJob(BUDGET, PRICE);
        vm.prank(address(anchor));
        vm.expectRevert(
            abi.encodeWithSelector(IJobEscrow.JobEscrowWrongStatus.selector, open, IJobEscrow.JobStatus.Open)
        );
        escrow.onBlockAnchored(open, 0, 0, 1, bytes32(0), 2);
    }

    function test_onBlockAnchored_splitsFees() public {
        // 100 steps x 1 TL = 100 TL gross: 5 TL validator fee over 3 signers, 1 TL protocol fee, 94 TL pool.
        vm.expectEmit(true, true, false, true, address(escrow));
        emit IJobEscrow.BlockFunded(jobId, 0, 100 * TL, 94 * TL, uint256(5 * TL) / 3, 3, 1 * TL);
        (IPoLAnchor.PoLBlock memory h,) = _anchorBlock(jobId, 0, 100, workers, _equalAmounts(100, 2), 3);
        uint256 each = uint256(5 * TL) / 3;
        uint256 dust = 5 * TL - 3 * each;
        assertEq(escrow.creditOf(treasury), 1 * TL + dust, "protocol fee + dust");
        (uint256 pool, uint256 paid) = escrow.blockPayout(jobId, 0);
        assertEq(pool, 94 * TL, "pool");
        assertEq(paid, 0, "paid");
        IJobEscrow.Job memory j = escrow.getJob(jobId);
        assertEq(j.reserved, 100 * TL, "reserved");
        assertEq(j.released, 1 * TL + dust, "treasury share released, signer fees wait");
        // Each signer pulls its fee after the window.
        vm.warp(block.timestamp + CHALLENGE_WINDOW);
        address[] memory signers = _signers(3);
        for (uint256 i = 0; i < 3; ++i) {
            vm.prank(signers[i]);
            vm.expectEmit(true, true, true, true, address(escrow));
            emit IJobEscrow.FeeClaimed(jobId, 0, signers[i], each);
            escrow.claimFee(h, signers, i);
            assertEq(token.balanceOf(signers[i]), each, "signer fee");
            assertTrue(escrow.isFeeClaimed(jobId, 0, signers[i]), "fee flag");
        }
        assertEq(escrow.getJob(jobId).released, 6 * TL, "all fees released");
        _assertBooksBalance();
    }

    function test_claimFee_reverts() public {
        (IPoLAnchor.PoLBlock memory h,) = _anchorBlock(jobId, 0, 100, workers, _equalAmounts(100, 2), 3);
        address[] memory signers = _signers(3);
        uint256 claimable = block.timestamp + CHALLENGE_WINDOW;
        vm.prank(signers[0]);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowChallengeWindowOpen.selector, jobId, 0, claimable));
        escrow.claimFee(h, signers, 0);
        vm.warp(claimable);
        vm.prank(signers[1]);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowNotSigner.selector, jobId, 0, signers[1], 0));
        escrow.claimFee(h, signers, 0);
        vm.prank(signers[1]);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowNotSigner.selector, jobId, 0, signers[1], 3));
        escrow.claimFee(h, signers, 3);
        IPoLAnchor.PoLBlock memory other = _header(jobId, 1, bytes32(0), 100, 200, bytes32(0));
        vm.prank(signers[0]);
        vm.expectRevert(abi.encodeWithSelector(IPoLAnchor.PoLAnchorUnknownBlock.selector, jobId, 1));
        escrow.claimFee(other, signers, 0);
        vm.startPrank(signers[0]);
        escrow.claimFee(h, signers, 0);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowAlreadyClaimed.selector, jobId, 0, signers[0]));
        escrow.claimFee(h, signers, 0);
        vm.stopPrank();
    }

    function test_voidFees_onlyCourtSkipsClaimedFeesAndBlocksClaims() public {
        address[] memory signers = _signers(3);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowUnauthorized.selector, address(this)));
        escrow.voidFees(jobId, 0, signers, 3);
        vm.prank(address(court));
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowUnknownBlock.selector, jobId, 0));
        escrow.voidFees(jobId, 0, signers, 3);
        (IPoLAnchor.PoLBlock memory h,) = _anchorBlock(jobId, 0, 100, workers, _equalAmounts(100, 2), 3);
        vm.warp(block.timestamp + CHALLENGE_WINDOW);
        vm.prank(signers[0]);
        escrow.claimFee(h, signers, 0);
        uint256 each = uint256(5 * TL) / 3;
        vm.prank(address(court));
        vm.expectEmit(true, true, false, true, address(escrow));
        emit IJobEscrow.FeesVoided(jobId, 0, signers, 2 * each);
        assertEq(escrow.voidFees(jobId, 0, signers, 3), 2 * each, "the two unclaimed fees");
        assertEq(escrow.creditOf(client), 2 * each, "back to the client");
        vm.prank(signers[1]);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowPayoutVoided.selector, jobId, 0, signers[1]));
        escrow.claimFee(h, signers, 1);
        vm.prank(address(court));
        assertEq(escrow.voidFees(jobId, 0, signers, 3), 0, "nothing twice");
        _assertBooksBalance();
    }

    function test_voidBlock_onlyCourtOnceAndRefundsPoolAndFees() public {
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowUnauthorized.selector, address(this)));
        escrow.voidBlock(jobId, 0, _signers(3));
        (IPoLAnchor.PoLBlock memory h,) = _anchorBlock(jobId, 0, 100, workers, _equalAmounts(100, 2), 3);
        vm.startPrank(address(court));
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowUnknownBlock.selector, jobId, 1));
        escrow.voidBlock(jobId, 1, _signers(3));
        uint256 each = uint256(5 * TL) / 3;
        vm.expectEmit(true, true, false, true, address(escrow));
        emit IJobEscrow.BlockVoided(jobId, 0, 94 * TL + 3 * each);
        escrow.voidBlock(jobId, 0, _signers(3));
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowBlockVoided.selector, jobId, 0));
        escrow.voidBlock(jobId, 0, _signers(3));
        vm.stopPrank();
        assertEq(escrow.creditOf(client), 94 * TL + 3 * each, "client refunded");
        vm.warp(block.timestamp + CHALLENGE_WINDOW);
        address[] memory signers = _signers(3);
        vm.prank(signers[0]);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowBlockVoided.selector, jobId, 0));
        escrow.claimFee(h, signers, 0);
        _assertBooksBalance();
    }

    /* ------------------------------------------------------------------ CLAIM */

    function test_claim_revertsForUnknownBlock() public {
        bytes32[] memory proof = new bytes32[](0);
        vm.prank(workers[0]);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowUnknownBlock.selector, jobId, 0));
        escrow.claim(jobId, 0, 1, proof);
    }

    function test_claim_revertsInsideChallengeWindow() public {
        uint256[] memory amounts = _equalAmounts(100, 2);
        (, bytes32[] memory leaves) = _anchorBlock(jobId, 0, 100, workers, amounts, 2);
        uint256 claimable = block.timestamp + CHALLENGE_WINDOW;
        assertEq(escrow.claimableAt(jobId, 0), claimable, "claimableAt");
        vm.warp(claimable - 1);
        vm.prank(workers[0]);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowChallengeWindowOpen.selector, jobId, 0, claimable));
        escrow.claim(jobId, 0, amounts[0], Merkle.proof(leaves, 0));
    }

    function test_claim_revertsOnBadProofAndWrongWorker() public {
        uint256[] memory amounts = _equalAmounts(100, 2);
        (, bytes32[] memory leaves) = _anchorBlock(jobId, 0, 100, workers, amounts, 2);
        vm.warp(block.timestamp + CHALLENGE_WINDOW);
        bytes32[] memory proof = Merkle.proof(leaves, 0);
        vm.prank(workers[0]);
        vm.expectRevert(
            abi.encodeWithSelector(IJobEscrow.JobEscrowInvalidProof.selector, jobId, 0, workers[0], amounts[0] + 1)
        );
        escrow.claim(jobId, 0, amounts[0] + 1, proof);
        vm.prank(workers[1]);
        vm.expectRevert(
            abi.encodeWithSelector(IJobEscrow.JobEscrowInvalidProof.selector, jobId, 0, workers[1], amounts[0])
        );
        escrow.claim(jobId, 0, amounts[0], proof);
    }

    function test_claim_paysOnceAndCountsSteps() public {
        uint256[] memory amounts = _equalAmounts(100, 2);
        (, bytes32[] memory leaves) = _anchorBlock(jobId, 0, 100, workers, amounts, 2);
        vm.warp(block.timestamp + CHALLENGE_WINDOW);
        bytes32[] memory proof = Merkle.proof(leaves, 0);
        vm.prank(workers[0]);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit IJobEscrow.PayoutClaimed(jobId, 0, workers[0], amounts[0]);
        escrow.claim(jobId, 0, amounts[0], proof);
        assertEq(token.balanceOf(workers[0]), amounts[0], "paid");
        assertTrue(escrow.isClaimed(jobId, 0, workers[0]), "claimed");
        (uint256 steps,,) = stakeManager.reputation(workers[0]);
        assertEq(steps, 100, "verified steps");
        vm.prank(workers[0]);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowAlreadyClaimed.selector, jobId, 0, workers[0]));
        escrow.claim(jobId, 0, amounts[0], proof);
        _assertBooksBalance();
    }

    function test_claim_revertsForAnUnassignedPayee() public {
        // A quorum signs a block paying an address that was never assigned: it cannot be paid.
        address[] memory payees = new address[](2);
        payees[0] = workers[0];
        payees[1] = outsider;
        uint256[] memory amounts = _equalAmounts(100, 2);
        (, bytes32[] memory leaves) = _anchorBlock(jobId, 0, 100, payees, amounts, 2);
        vm.warp(block.timestamp + CHALLENGE_WINDOW);
        vm.prank(outsider);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowNotAssigned.selector, jobId, outsider));
        escrow.claim(jobId, 0, amounts[1], Merkle.proof(leaves, 1));
    }

    function test_claim_cappedByBlockPool() public {
        // A payouts tree that over-promises: each leaf is the whole pool.
        uint256[] memory amounts = new uint256[](2);
        amounts[0] = 94 * TL;
        amounts[1] = 94 * TL;
        (, bytes32[] memory leaves) = _anchorBlock(jobId, 0, 100, workers, amounts, 2);
        vm.warp(block.timestamp + CHALLENGE_WINDOW);
        vm.prank(workers[0]);
        escrow.claim(jobId, 0, 94 * TL, Merkle.proof(leaves, 0));
        vm.prank(workers[1]);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowBlockPoolExceeded.selector, jobId, 0, 94 * TL, 0));
        escrow.claim(jobId, 0, 94 * TL, Merkle.proof(leaves, 1));
    }

    function test_claim_twoBlocksIndependently() public {
        uint256[] memory amounts = _equalAmounts(100, 2);
        (, bytes32[] memory leaves0) = _anchorBlock(jobId, 0, 100, workers, amounts, 2);
        (, bytes32[] memory leaves1) = _anchorBlock(jobId, 100, 200, workers, amounts, 2);
        vm.warp(block.timestamp + CHALLENGE_WINDOW);
        vm.startPrank(workers[1]);
        escrow.claim(jobId, 0, amounts[1], Merkle.proof(leaves0, 1));
        escrow.claim(jobId, 1, amounts[1], Merkle.proof(leaves1, 1));
        vm.stopPrank();
        assertEq(token.balanceOf(workers[1]), 2 * amounts[1], "both blocks");
    }

    /* ------------------------------------------------------------------ VOID / WITHDRAW */

    function test_voidPayout_onlyCourt() public {
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowUnauthorized.selector, address(this)));
        escrow.voidPayout(jobId, 0, workers[0], 1);
    }

    function test_voidPayout_creditsClientAndBlocksClaim() public {
        uint256[] memory amounts = _equalAmounts(100, 2);
        (, bytes32[] memory leaves) = _anchorBlock(jobId, 0, 100, workers, amounts, 2);
        vm.startPrank(address(court));
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowUnknownBlock.selector, jobId, 5));
        escrow.voidPayout(jobId, 5, workers[0], 1);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit IJobEscrow.PayoutVoided(jobId, 0, workers[0], amounts[0]);
        uint256 voided = escrow.voidPayout(jobId, 0, workers[0], amounts[0]);
        assertEq(escrow.voidPayout(jobId, 0, workers[0], amounts[0]), 0, "voiding twice voids nothing more");
        vm.stopPrank();
        assertEq(voided, amounts[0], "voided");
        assertTrue(escrow.isVoided(jobId, 0, workers[0]), "flag");
        assertEq(escrow.creditOf(client), amounts[0], "client credited");
        vm.warp(block.timestamp + CHALLENGE_WINDOW);
        vm.prank(workers[0]);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowPayoutVoided.selector, jobId, 0, workers[0]));
        escrow.claim(jobId, 0, amounts[0], Merkle.proof(leaves, 0));
        vm.prank(workers[1]);
        escrow.claim(jobId, 0, amounts[1], Merkle.proof(leaves, 1));
        vm.prank(address(court));
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowAlreadyClaimed.selector, jobId, 0, workers[1]));
        escrow.voidPayout(jobId, 0, workers[1], amounts[1]);
        _assertBooksBalance();
    }

    function test_withdraw_revertsWhenEmptyAndPaysCredits() public {
        vm.prank(outsider);
        vm.expectRevert(abi.encodeWithSelector(IPullPayments.PullPaymentsNothingToWithdraw.selector, outsider));
        escrow.withdraw();
        _anchorBlock(jobId, 0, 100, workers, _equalAmounts(100, 2), 3);
        uint256 fee = escrow.creditOf(treasury);
        assertGt(fee, 0, "treasury credited");
        vm.prank(treasury);
        vm.expectEmit(true, false, false, true, address(escrow));
        emit IPullPayments.Withdrawn(treasury, fee);
        escrow.withdraw();
        assertEq(token.balanceOf(treasury), fee, "fee paid");
        assertEq(escrow.creditOf(treasury), 0, "credit cleared");
        _assertBooksBalance();
    }

    /* ------------------------------------------------------------------ SWEEP */

    function test_sweep_revertsForUnknownBlockAndDuringClaimPeriod() public {
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowUnknownBlock.selector, jobId, 0));
        escrow.sweep(jobId, 0);
        _anchorBlock(jobId, 0, 100, workers, _equalAmounts(100, 2), 2);
        uint256 sweepableAt = block.timestamp + CHALLENGE_WINDOW + escrow.CLAIM_PERIOD();
        vm.warp(sweepableAt - 1);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowClaimPeriodOpen.selector, jobId, 0, sweepableAt));
        escrow.sweep(jobId, 0);
    }

    function test_sweep_returnsUnpaidRestToClient() public {
        uint256[] memory amounts = _equalAmounts(100, 2);
        (, bytes32[] memory leaves) = _anchorBlock(jobId, 0, 100, workers, amounts, 2);
        vm.warp(block.timestamp + CHALLENGE_WINDOW);
        vm.prank(workers[0]);
        escrow.claim(jobId, 0, amounts[0], Merkle.proof(leaves, 0));
        vm.warp(block.timestamp + escrow.CLAIM_PERIOD());
        uint256 rest = 94 * TL - amounts[0];
        vm.expectEmit(true, true, false, true, address(escrow));
        emit IJobEscrow.BlockSwept(jobId, 0, rest);
        escrow.sweep(jobId, 0);
        assertEq(escrow.creditOf(client), rest, "client credited");
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowNothingToSweep.selector, jobId, 0));
        escrow.sweep(jobId, 0);
        vm.prank(workers[1]);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowBlockPoolExceeded.selector, jobId, 0, amounts[1], 0));
        escrow.claim(jobId, 0, amounts[1], Merkle.proof(leaves, 1));
        _assertBooksBalance();
    }

    /* ------------------------------------------------------------------ FUZZ */

    /// Whatever the block sizes and payout trees, a job never pays out more than its budget and the
    /// books balance.
    function test_fuzz_neverPaysMoreThanBudget(uint64 s1, uint64 s2, uint256 a0, uint256 a1) public {
        s1 = uint64(bound(s1, 1, 600));
        s2 = uint64(bound(s2, s1 + 1, 1_000));
        uint256[] memory amounts = new uint256[](2);
        amounts[0] = bound(a0, 0, 2 * BUDGET);
        amounts[1] = bound(a1, 0, 2 * BUDGET);
        (, bytes32[] memory l0) = _anchorBlock(jobId, 0, s1, workers, amounts, 2);
        (, bytes32[] memory l1) = _anchorBlock(jobId, s1, s2, workers, amounts, 2);
        vm.warp(block.timestamp + CHALLENGE_WINDOW);
        uint256 claims = 0;
        uint256 poolPaidOut = 0;
        for (uint256 b = 0; b < 2; ++b) {
            for (uint256 w = 0; w < 2; ++w) {
                vm.prank(workers[w]);
                try escrow.claim(jobId, b, amounts[w], Merkle.proof(b == 0 ? l0 : l1, w)) {
                    ++claims;
                    poolPaidOut += amounts[w];
                } catch {}
            }
        }
        vm.warp(escrow.getJob(jobId).deadline + 1);
        bool refunded = false;
        try escrow.refund(jobId) {
            refunded = true;
        } catch {}
        // The loop must exercise the money path, not just survive reverts: a leaf no larger than its
        // block's pool is always claimable, and a job that is not Completed is always refundable.
        (uint256 pool0,) = escrow.blockPayout(jobId, 0);
        if (amounts[0] <= pool0) assertGe(claims, 1, "a fitting leaf was paid");
        assertTrue(refunded || escrow.getJob(jobId).status == IJobEscrow.JobStatus.Refunded, "refund ran");
        assertTrue(claims > 0 || refunded, "something was paid");
        assertEq(token.balanceOf(workers[0]) + token.balanceOf(workers[1]), poolPaidOut, "claims paid what they said");
        IJobEscrow.Job memory j = escrow.getJob(jobId);
        assertLe(j.released, j.reserved, "released <= reserved");
        assertLe(j.reserved, j.budget, "reserved <= budget");
        uint256 paidOut = token.balanceOf(workers[0]) + token.balanceOf(workers[1]) + escrow.totalCredits();
        assertLe(paidOut, BUDGET, "total out <= budget");
        _assertBooksBalance();
    }

    /* ------------------------------------------------------------------ HELPERS */

    function _claim(uint256 blockIndex, uint256 w, uint256[] memory amounts) internal {
        bytes32[] memory leaves = _payoutLeaves(workers, amounts);
        vm.prank(workers[w]);
        escrow.claim(jobId, blockIndex, amounts[w], Merkle.proof(leaves, w));
    }
}
