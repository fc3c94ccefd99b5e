// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IJobEscrow} from "./interfaces/IJobEscrow.sol";
import {IStakeManager} from "./interfaces/IStakeManager.sol";
import {IPoLAnchor} from "./interfaces/IPoLAnchor.sol";
import {IDisputeCourt} from "./interfaces/IDisputeCourt.sol";
import {Leaves} from "./libraries/Leaves.sol";
import {PullPayments} from "./PullPayments.sol";

/// @title JobEscrow
/// @notice Holds each job's budget from creation. An anchored PoL block reserves (steps x pricePerStep)
/// of it: the validator fee is left for the block's signers to claim (`claimFee`), the protocol fee
/// is credited to the treasury, and the rest is the block's worker pool, paid leaf by leaf against the
/// block's payoutsRoot, to assigned workers only, once its challenge window has passed. Anchoring is
/// O(1) whatever the number of workers or signers. Accounting: for every job,
/// released <= reserved <= budget, and the TL this contract holds equals
/// sum(budget - released) + sum(credits).
contract JobEscrow is IJobEscrow, Ownable2Step, PullPayments {
    using SafeERC20 for IERC20;

    /* ------------------------------------------------------------------ BOUNDS */

    /// @notice Bounds of `challengeWindow` (seconds). The ceiling keeps every dispute inside the
    /// StakeManager's unbonding floor (see StakeManager.UNBONDING_PERIOD_FLOOR).
    uint32 public constant CHALLENGE_WINDOW_FLOOR = 60;
    uint32 public constant CHALLENGE_WINDOW_CEIL = 2 days;
    /// @notice Upper bounds of the fee rates (basis points).
    uint16 public constant VALIDATOR_FEE_CEIL_BPS = 2_000;
    uint16 public constant PROTOCOL_FEE_CEIL_BPS = 1_000;
    /// @notice Upper bound of `maxWorkersPerJob`.
    uint32 public constant MAX_WORKERS_CEIL = 1_024;
    /// @notice Time workers have, after a block's challenge window, to claim before `sweep` may return
    /// the rest of its pool to the client.
    uint256 public constant CLAIM_PERIOD = 90 days;
    /// @notice Notice a running job's cancellation gives: blocks for finished work can still be
    /// anchored for this long (longer than the 256-block randomness window at 12 s a block).
    uint64 public constant CANCEL_NOTICE = 1 hours;

    uint256 private constant BPS = 10_000;
    uint256 private constant PPM = 1_000_000;

    /* ------------------------------------------------------------------ IMMUTABLES */

    IERC20 private immutable _token;
    IStakeManager private immutable _stakeManager;

    /* ------------------------------------------------------------------ STORAGE */

    /// What the escrow keeps per anchored block (two slots). claimableAt is a uint32 timestamp
    /// (good until 2106); the pool fits in 96 bits (7.9e28 wei).
    struct BlockPayout {
        bytes32 payoutsRoot;
        uint96 pool;
        uint96 paid;
        uint32 claimableAt;
        uint32 steps;
    }

    Params private _params;
    IPoLAnchor private _anchor;
    IDisputeCourt private _disputeCourt;

    uint256 private _jobCount;
    mapping(uint256 jobId => Job) private _jobs;
    mapping(uint256 jobId => mapping(uint256 blockIndex => BlockPayout)) private _blocks;
    mapping(uint256 jobId => mapping(address worker => bool)) private _assigned;
    /// Two bits per block (claimed, voided), 128 blocks per word, keyed by (kind, jobId, account,
    /// blockIndex / 128): a worker's claims after its first in a job rewrite a warm, non-zero word.
    mapping(bytes32 key => uint256) private _bits;
    mapping(uint256 jobId => mapping(uint256 blockIndex => bool)) private _voidedBlocks;
    uint256 private _totalLocked;

    uint256 private constant KIND_PAYOUT = 0;
    uint256 private constant KIND_FEE = 1;
    uint256 private constant CLAIMED = 1;
    uint256 private constant VOIDED = 2;

    /* ------------------------------------------------------------------ CONSTRUCTOR */

    /// @param token_ the payment token (TL)
    /// @param stakeManager_ the StakeManager
    /// @param params_ initial parameters (bounded)
    /// @param owner_ governance
    constructor(IERC20 token_, IStakeManager stakeManager_, Params memory params_, address owner_)
        Ownable(owner_)
        PullPayments(token_)
    {
        if (address(token_) == address(0) || address(stakeManager_) == address(0)) {
            revert JobEscrowZeroAddress();
        }
        _validate(params_);
        _token = token_;
        _stakeManager = stakeManager_;
        _params = params_;
        emit ParamsUpdated(Params(0, 0, 0, 0, address(0)), params_);
    }

    /* ------------------------------------------------------------------ MODIFIERS */

    modifier onlyAnchor() {
        _checkCaller(address(_anchor));
        _;
    }

    modifier onlyDisputeCourt() {
        _checkCaller(address(_disputeCourt));
        _;
    }

    /* ------------------------------------------------------------------ CLIENT */

    /// @inheritdoc IJobEscrow
    function createJob(
        bytes32 specHash,
        uint256 budget,
        uint256 pricePerStep,
        uint64 deadline,
        bytes32 paramsHash,
        uint32 verifyRatePpm,
        uint8 verifyMode,
        uint32 tolerancePpmL2
    ) external nonReentrant returns (uint256 jobId) {
        if (pricePerStep == 0 || budget < pricePerStep) {
            revert JobEscrowInvalidBudget(budget, pricePerStep);
        }
        if (deadline <= block.timestamp) revert JobEscrowDeadlineInPast(deadline, block.timestamp);
        _checkVerification(verifyRatePpm, verifyMode, tolerancePpmL2);
        // Deposit: pull before recording, so a hooked token never sees an unbacked job.
        _token.safeTransferFrom(msg.sender, address(this), budget);
        jobId = ++_jobCount;
        Job storage job = _jobs[jobId];
        _initJob(job, budget, pricePerStep, deadline);
        job.specHash = specHash;
        job.paramsHash = paramsHash;
        job.verifyRatePpm = verifyRatePpm;
        job.verifyMode = verifyMode;
        job.tolerancePpmL2 = tolerancePpmL2;
        _totalLocked += budget;
        emit JobCreated(jobId, msg.sender, specHash, paramsHash, budget, pricePerStep, deadline);
        emit JobVerificationSet(jobId, verifyRatePpm, verifyMode, tolerancePpmL2);
    }

    /// @inheritdoc IJobEscrow
    function assign(uint256 jobId, address[] calldata workers, bytes32 assignmentHash) external {
        Job storage job = _clientJob(jobId);
        JobStatus status = job.status;
        if (status != JobStatus.Open && status != JobStatus.Active) revert JobEscrowWrongStatus(jobId, status);
        uint64 deadline = job.deadline;
        if (block.timestamp > deadline) revert JobEscrowDeadlinePassed(jobId, deadline);
        uint256 count = workers.length;
        uint256 max = _params.maxWorkersPerJob;
        if (count == 0 || count > max) revert JobEscrowBadWorkerCount(count, max);
        // Checks each worker's stake and locks minWorkerStake of it until the deadline: blocks are
        // anchored no later than the deadline, and the unbonding floor outlasts their disputes.
        _stakeManager.lockWorkers(workers, deadline);
        // Bounded by maxWorkersPerJob.
        for (uint256 i = 0; i < count; ++i) {
            _assigned[jobId][workers[i]] = true;
        }
        job.assignmentHash = assignmentHash;
        job.status = JobStatus.Active;
        emit JobAssigned(jobId, assignmentHash, workers);
    }

    /// @inheritdoc IJobEscrow
    function cancelJob(uint256 jobId) external {
        Job storage job = _clientJob(jobId);
        JobStatus status = job.status;
        if (status == JobStatus.Open) {
            // Never assigned: no work can exist, nothing to wait for.
            job.status = JobStatus.Cancelled;
            uint256 amount = _releaseUnreserved(job);
            emit JobCancelled(jobId, amount);
            return;
        }
        if (status != JobStatus.Active) revert JobEscrowWrongStatus(jobId, status);
        uint64 noticeEnds = uint64(block.timestamp) + CANCEL_NOTICE;
        uint64 deadline = job.deadline;
        // Never lengthens the job: one that ends within the notice simply runs to its deadline.
        if (noticeEnds < deadline) {
            deadline = noticeEnds;
            job.deadline = noticeEnds;
        }
        emit JobCancellationScheduled(jobId, deadline);
    }

    /// @inheritdoc IJobEscrow
    function refund(uint256 jobId) external {
        Job storage job = _jobs[jobId];
        JobStatus status = job.status;
        if (status == JobStatus.None) revert JobEscrowUnknownJob(jobId);
        if (status == JobStatus.Open || status == JobStatus.Active) {
            if (block.timestamp <= job.deadline) revert JobEscrowDeadlineNotPassed(jobId, job.deadline);
        } else if (status != JobStatus.Completed) {
            revert JobEscrowWrongStatus(jobId, status);
        }
        job.status = JobStatus.Refunded;
        uint256 amount = _releaseUnreserved(job);
        emit JobRefunded(jobId, amount);
    }

    /* ------------------------------------------------------------------ WORKERS AND SIGNERS */

    /// @inheritdoc IJobEscrow
    function claim(uint256 jobId, uint256 blockIndex, uint256 amount, bytes32[] calldata proof) external nonReentrant {
        BlockPayout storage bp = _blocks[jobId][blockIndex];
        BlockPayout memory b = bp;
        if (b.claimableAt == 0) revert JobEscrowUnknownBlock(jobId, blockIndex);
        if (block.timestamp < b.claimableAt) revert JobEscrowChallengeWindowOpen(jobId, blockIndex, b.claimableAt);
        if (!_assigned[jobId][msg.sender]) revert JobEscrowNotAssigned(jobId, msg.sender);
        (bytes32 key, uint256 shift) = _bitKey(KIND_PAYOUT, jobId, blockIndex, msg.sender);
        uint256 word = _bits[key];
        uint256 state = (word >> shift) & 3;
        if (state & CLAIMED != 0) revert JobEscrowAlreadyClaimed(jobId, blockIndex, msg.sender);
        if (state & VOIDED != 0) revert JobEscrowPayoutVoided(jobId, blockIndex, msg.sender);
        if (_disputeCourt.hasOpenDispute(jobId, blockIndex, msg.sender)) {
            revert JobEscrowDisputeOpen(jobId, blockIndex, msg.sender);
        }
        if (!MerkleProof.verifyCalldata(proof, b.payoutsRoot, Leaves.payout(msg.sender, amount))) {
            revert JobEscrowInvalidProof(jobId, blockIndex, msg.sender, amount);
        }
        uint256 remaining = b.pool - b.paid;
        if (amount > remaining) revert JobEscrowBlockPoolExceeded(jobId, blockIndex, amount, remaining);

        _bits[key] = word | (CLAIMED << shift);
        // amount <= remaining <= pool, a uint96; released stays <= reserved <= budget.
        bp.paid = b.paid + uint96(amount);
        _jobs[jobId].released += uint128(amount);
        _totalLocked -= amount;
        emit PayoutClaimed(jobId, blockIndex, msg.sender, amount);

        _stakeManager.recordVerifiedSteps(msg.sender, b.steps);
        if (amount != 0) _token.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc IJobEscrow
    function claimFee(IPoLAnchor.PoLBlock calldata header, address[] calldata signers, uint256 position)
        external
        nonReentrant
    {
        uint256 jobId = header.jobId;
        uint256 blockIndex = header.index;
        // Reverts unless (header, signers) is what was anchored at (jobId, index).
        _anchor.checkBlock(header, signers);
        if (position >= signers.length || signers[position] != msg.sender) {
            revert JobEscrowNotSigner(jobId, blockIndex, msg.sender, position);
        }
        BlockPayout memory b = _blocks[jobId][blockIndex];
        if (block.timestamp < b.claimableAt) revert JobEscrowChallengeWindowOpen(jobId, blockIndex, b.claimableAt);
        if (_voidedBlocks[jobId][blockIndex]) revert JobEscrowBlockVoided(jobId, blockIndex);
        if (_disputeCourt.feesHeld(jobId, blockIndex)) revert JobEscrowDisputeOpen(jobId, blockIndex, address(0));
        (bytes32 key, uint256 shift) = _bitKey(KIND_FEE, jobId, blockIndex, msg.sender);
        uint256 word = _bits[key];
        uint256 state = (word >> shift) & 3;
        if (state & CLAIMED != 0) revert JobEscrowAlreadyClaimed(jobId, blockIndex, msg.sender);
        if (state & VOIDED != 0) revert JobEscrowPayoutVoided(jobId, blockIndex, msg.sender);
        _bits[key] = word | (CLAIMED << shift);
        Job storage job = _jobs[jobId];
        uint256 fee = _validatorFee(job, b.steps) / signers.length;
        // fee <= the block's validator fee, part of reserved: released stays <= reserved.
        job.released += uint128(fee);
        _totalLocked -= fee;
        emit FeeClaimed(jobId, blockIndex, msg.sender, fee);
        if (fee != 0) _token.safeTransfer(msg.sender, fee);
    }

    /// @inheritdoc IJobEscrow
    function sweep(uint256 jobId, uint256 blockIndex) external {
        BlockPayout storage bp = _blocks[jobId][blockIndex];
        uint256 claimable = bp.claimableAt;
        if (claimable == 0) revert JobEscrowUnknownBlock(jobId, blockIndex);
        uint256 sweepableAt = claimable + CLAIM_PERIOD;
        if (block.timestamp < sweepableAt) revert JobEscrowClaimPeriodOpen(jobId, blockIndex, sweepableAt);
        uint256 rest = bp.pool - bp.paid;
        if (rest == 0) revert JobEscrowNothingToSweep(jobId, blockIndex);
        // rest <= pool: fits in uint96, and paid reaches pool so nothing is paid from it again.
        bp.paid += uint96(rest);
        Job storage job = _jobs[jobId];
        job.released += uint128(rest);
        _totalLocked -= rest;
        _credit(job.client, rest);
        emit BlockSwept(jobId, blockIndex, rest);
    }

    /* ------------------------------------------------------------------ PRIVILEGED */

    /// @inheritdoc IJobEscrow
    function onBlockAnchored(
        uint256 jobId,
        uint256 blockIndex,
        uint64 stepFrom,
        uint64 stepTo,
        bytes32 payoutsRoot_,
        uint256 signerCount
    ) external onlyAnchor {
        Job storage job = _jobs[jobId];
        JobStatus status = job.status;
        if (status == JobStatus.None) revert JobEscrowUnknownJob(jobId);
        if (status != JobStatus.Active) revert JobEscrowWrongStatus(jobId, status);
        if (block.timestamp > job.deadline) revert JobEscrowDeadlinePassed(jobId, job.deadline);

        uint256 steps = stepTo - stepFrom;
        uint256 gross = steps * job.pricePerStep;
        uint256 available = job.budget - job.reserved;
        if (gross > available) revert JobEscrowBudgetExceeded(jobId, gross, available);
        // gross <= available <= budget, a uint128.
        job.reserved += uint128(gross);
        _fundBlock(jobId, blockIndex, gross, steps, payoutsRoot_, signerCount);

        if (job.budget - job.reserved < job.pricePerStep) {
            job.status = JobStatus.Completed;
            emit JobCompleted(jobId);
        }
    }

    /// @inheritdoc IJobEscrow
    function voidPayout(uint256 jobId, uint256 blockIndex, address worker, uint256 amount)
        external
        onlyDisputeCourt
        returns (uint256 voided)
    {
        BlockPayout storage bp = _blocks[jobId][blockIndex];
        if (bp.claimableAt == 0) revert JobEscrowUnknownBlock(jobId, blockIndex);
        (bytes32 key, uint256 shift) = _bitKey(KIND_PAYOUT, jobId, blockIndex, worker);
        uint256 word = _bits[key];
        uint256 state = (word >> shift) & 3;
        if (state & CLAIMED != 0) revert JobEscrowAlreadyClaimed(jobId, blockIndex, worker);
        if (state & VOIDED != 0) return 0;
        _bits[key] = word | (VOIDED << shift);
        uint256 remaining = bp.pool - bp.paid;
        voided = amount < remaining ? amount : remaining;
        Job storage job = _jobs[jobId];
        // voided <= remaining <= pool: fits in uint96 and keeps released <= reserved.
        bp.paid += uint96(voided);
        job.released += uint128(voided);
        _totalLocked -= voided;
        _credit(job.client, voided);
        emit PayoutVoided(jobId, blockIndex, worker, voided);
    }

    /// @inheritdoc IJobEscrow
    function voidBlock(uint256 jobId, uint256 blockIndex, address[] calldata signers)
        external
        onlyDisputeCourt
        returns (uint256 refund_)
    {
        BlockPayout storage bp = _blocks[jobId][blockIndex];
        if (bp.claimableAt == 0) revert JobEscrowUnknownBlock(jobId, blockIndex);
        if (_voidedBlocks[jobId][blockIndex]) revert JobEscrowBlockVoided(jobId, blockIndex);
        _voidedBlocks[jobId][blockIndex] = true;
        uint256 rest = bp.pool - bp.paid;
        bp.paid = bp.pool;
        refund_ = rest + _voidUnclaimedFees(jobId, blockIndex, bp.steps, signers, signers.length);
        Job storage job = _jobs[jobId];
        // rest <= pool and the fees are part of reserved: released stays <= reserved.
        job.released += uint128(refund_);
        _totalLocked -= refund_;
        _credit(job.client, refund_);
        emit BlockVoided(jobId, blockIndex, refund_);
    }

    /// @inheritdoc IJobEscrow
    function voidFees(uint256 jobId, uint256 blockIndex, address[] calldata signers, uint256 signerCount)
        external
        onlyDisputeCourt
        returns (uint256 refund_)
    {
        BlockPayout storage bp = _blocks[jobId][blockIndex];
        if (bp.claimableAt == 0) revert JobEscrowUnknownBlock(jobId, blockIndex);
        refund_ = _voidUnclaimedFees(jobId, blockIndex, bp.steps, signers, signerCount);
        Job storage job = _jobs[jobId];
        job.released += uint128(refund_);
        _totalLocked -= refund_;
        _credit(job.client, refund_);
        emit FeesVoided(jobId, blockIndex, signers, refund_);
    }

    /// @inheritdoc IJobEscrow
    function setParams(Params calldata newParams) external onlyOwner {
        _validate(newParams);
        Params memory old = _params;
        _params = newParams;
        emit ParamsUpdated(old, newParams);
    }

    /// @inheritdoc IJobEscrow
    function connect(address anchor_, address disputeCourt_) external onlyOwner {
        if (address(_anchor) != address(0)) revert JobEscrowAlreadyConnected();
        if (anchor_ == address(0) || disputeCourt_ == address(0)) revert JobEscrowZeroAddress();
        _anchor = IPoLAnchor(anchor_);
        _disputeCourt = IDisputeCourt(disputeCourt_);
        emit Connected(anchor_, disputeCourt_);
    }

    /* ------------------------------------------------------------------ VIEWS */

    /// @inheritdoc IJobEscrow
    function token() external view returns (IERC20) {
        return _token;
    }

    /// @inheritdoc IJobEscrow
    function stakeManager() external view returns (address) {
        return address(_stakeManager);
    }

    /// @inheritdoc IJobEscrow
    function anchor() external view returns (address) {
        return address(_anchor);
    }

    /// @inheritdoc IJobEscrow
    function disputeCourt() external view returns (address) {
        return address(_disputeCourt);
    }

    /// @inheritdoc IJobEscrow
    function params() external view returns (Params memory) {
        return _params;
    }

    /// @inheritdoc IJobEscrow
    function treasury() external view returns (address) {
        return _params.treasury;
    }

    /// @inheritdoc IJobEscrow
    function getJob(uint256 jobId) external view returns (Job memory) {
        return _jobs[jobId];
    }

    /// @inheritdoc IJobEscrow
    function jobCount() external view returns (uint256) {
        return _jobCount;
    }

    /// @inheritdoc IJobEscrow
    function blockPayout(uint256 jobId, uint256 blockIndex) external view returns (uint256 pool, uint256 paid) {
        BlockPayout memory bp = _blocks[jobId][blockIndex];
        return (bp.pool, bp.paid);
    }

    /// @inheritdoc IJobEscrow
    function claimableAt(uint256 jobId, uint256 blockIndex) external view returns (uint256) {
        return _blocks[jobId][blockIndex].claimableAt;
    }

    /// @inheritdoc IJobEscrow
    function payoutsRoot(uint256 jobId, uint256 blockIndex) external view returns (bytes32) {
        return _blocks[jobId][blockIndex].payoutsRoot;
    }

    /// @inheritdoc IJobEscrow
    function isAssigned(uint256 jobId, address worker) external view returns (bool) {
        return _assigned[jobId][worker];
    }

    /// @inheritdoc IJobEscrow
    function isClaimed(uint256 jobId, uint256 blockIndex, address worker) external view returns (bool) {
        return _state(KIND_PAYOUT, jobId, blockIndex, worker) & CLAIMED != 0;
    }

    /// @inheritdoc IJobEscrow
    function isVoided(uint256 jobId, uint256 blockIndex, address worker) external view returns (bool) {
        return _state(KIND_PAYOUT, jobId, blockIndex, worker) & VOIDED != 0;
    }

    /// @inheritdoc IJobEscrow
    function isFeeClaimed(uint256 jobId, uint256 blockIndex, address validator) external view returns (bool) {
        return _state(KIND_FEE, jobId, blockIndex, validator) & CLAIMED != 0;
    }

    /// @inheritdoc IJobEscrow
    function totalLocked() external view returns (uint256) {
        return _totalLocked;
    }

    /* ------------------------------------------------------------------ INTERNAL */

    function _initJob(Job storage job, uint256 budget, uint256 pricePerStep, uint64 deadline) private {
        Params memory p = _params;
        job.client = msg.sender;
        job.deadline = deadline;
        job.challengeWindow = p.challengeWindow;
        job.status = JobStatus.Open;
        job.validatorFeeBps = p.validatorFeeBps;
        job.protocolFeeBps = p.protocolFeeBps;
        job.budget = SafeCast.toUint128(budget);
        job.pricePerStep = SafeCast.toUint128(pricePerStep);
    }

    function _checkVerification(uint32 rate, uint8 mode, uint32 tolerance) private pure {
        bool ok = rate != 0 && rate <= PPM
            && ((mode == 0 && tolerance == 0) || (mode == 1 && tolerance != 0 && tolerance <= PPM));
        if (!ok) revert JobEscrowInvalidVerification(rate, mode, tolerance);
    }

    /// Splits a block's gross amount: the validator fee in equal shares per signer, the protocol fee,
    /// and the worker pool. The split's rounding dust goes to the treasury with the protocol fee.
    function _splitFees(Job storage job, uint256 gross, uint256 signerCount)
        private
        view
        returns (uint256 pool, uint256 feeEach, uint256 protocolFee, uint256 treasuryFee)
    {
        uint256 validatorFee = gross * job.validatorFeeBps / BPS;
        protocolFee = gross * job.protocolFeeBps / BPS;
        // signerCount >= 1: the anchor never accepts a block without a quorum.
        feeEach = validatorFee / signerCount;
        treasuryFee = protocolFee + (validatorFee - feeEach * signerCount);
        pool = gross - validatorFee - protocolFee;
    }

    /// Records an anchored block's payouts and credits the treasury's share of its fees.
    function _fundBlock(
        uint256 jobId,
        uint256 blockIndex,
        uint256 gross,
        uint256 steps,
        bytes32 root,
        uint256 signerCount
    ) private {
        Job storage job = _jobs[jobId];
        (uint256 pool, uint256 feeEach, uint256 protocolFee, uint256 treasuryFee) = _splitFees(job, gross, signerCount);
        // The treasury's share leaves the job now; the signers' fees stay locked until claimed.
        job.released += uint128(treasuryFee);
        _totalLocked -= treasuryFee;
        _blocks[jobId][blockIndex] = BlockPayout({
            payoutsRoot: root,
            pool: SafeCast.toUint96(pool),
            paid: 0,
            claimableAt: SafeCast.toUint32(block.timestamp + job.challengeWindow),
            steps: SafeCast.toUint32(steps)
        });
        _credit(_params.treasury, treasuryFee);
        emit BlockFunded(jobId, blockIndex, gross, pool, feeEach, signerCount, protocolFee);
    }

    /// Marks the fees of `signers` (out of `signerCount`) voided; returns the sum of those not claimed
    /// or voided before. Bounded by the signer list (<= maxValidators).
    function _voidUnclaimedFees(
        uint256 jobId,
        uint256 blockIndex,
        uint256 steps,
        address[] calldata signers,
        uint256 signerCount
    ) private returns (uint256 total) {
        uint256 share = _validatorFee(_jobs[jobId], steps) / signerCount;
        for (uint256 i = 0; i < signers.length; ++i) {
            (bytes32 key, uint256 shift) = _bitKey(KIND_FEE, jobId, blockIndex, signers[i]);
            uint256 word = _bits[key];
            if ((word >> shift) & 3 != 0) continue;
            _bits[key] = word | (VOIDED << shift);
            total += share;
        }
    }

    /// The validator fee of a block of `steps` steps (all signers together).
    function _validatorFee(Job storage job, uint256 steps) private view returns (uint256) {
        return steps * job.pricePerStep * job.validatorFeeBps / BPS;
    }

    /// Before `connect` both wired addresses are zero, and no call can come from address zero.
    function _checkCaller(address allowed) private view {
        if (msg.sender != allowed || allowed == address(0)) revert JobEscrowUnauthorized(msg.sender);
    }

    function _clientJob(uint256 jobId) private view returns (Job storage job) {
        job = _jobs[jobId];
        if (job.status == JobStatus.None) revert JobEscrowUnknownJob(jobId);
        if (job.client != msg.sender) revert JobEscrowNotClient(jobId, msg.sender);
    }

    /// Moves the unreserved budget out of the job into the client's credit.
    function _releaseUnreserved(Job storage job) private returns (uint256 amount) {
        amount = job.budget - job.reserved;
        // Bring reserved up to budget so the same amount can never be released twice. amount <= budget,
        // a uint128, and released stays <= reserved.
        job.reserved = job.budget;
        job.released += uint128(amount);
        _totalLocked -= amount;
        _credit(job.client, amount);
    }

    function _bitKey(uint256 kind, uint256 jobId, uint256 blockIndex, address account)
        private
        pure
        returns (bytes32 key, uint256 shift)
    {
        key = keccak256(abi.encode(kind, jobId, account, blockIndex >> 7));
        shift = (blockIndex & 127) << 1;
    }

    function _state(uint256 kind, uint256 jobId, uint256 blockIndex, address account) private view returns (uint256) {
        (bytes32 key, uint256 shift) = _bitKey(kind, jobId, blockIndex, account);
        return (_bits[key] >> shift) & 3;
    }

    function _validate(Params memory p) private pure {
        _checkBounds("challengeWindow", p.challengeWindow, CHALLENGE_WINDOW_FLOOR, CHALLENGE_WINDOW_CEIL);
        _checkBounds("validatorFeeBps", p.validatorFeeBps, 0, VALIDATOR_FEE_CEIL_BPS);
        _checkBounds("protocolFeeBps", p.protocolFeeBps, 0, PROTOCOL_FEE_CEIL_BPS);
        _checkBounds("maxWorkersPerJob", p.maxWorkersPerJob, 1, MAX_WORKERS_CEIL);
        if (p.treasury == address(0)) revert JobEscrowZeroAddress();
    }

    function _checkBounds(string memory name, uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert JobEscrowParamOutOfBounds(name, value, min, max);
    }
}
