// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IJobEscrow} from "./interfaces/IJobEscrow.sol";
import {IStakeManager} from "./interfaces/IStakeManager.sol";
import {IPoLAnchor} from "./interfaces/IPoLAnchor.sol";
import {IDisputeCourt} from "./interfaces/IDisputeCourt.sol";
import {Leaves} from "./libraries/Leaves.sol";

/// @title JobEscrow
/// @notice Holds each job's budget from creation. An anchored PoL block reserves (steps x pricePerStep)
/// of it: the validator fee is split among the block's signers, the protocol fee goes to the
/// treasury, and the rest is the block's worker pool, paid leaf by leaf against the block's
/// payoutsRoot once its challenge window has passed. Accounting: for every job,
/// released <= reserved <= budget, and the TL this contract holds equals
/// sum(budget - released) + sum(credits).
contract JobEscrow is IJobEscrow, Ownable2Step, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /* ------------------------------------------------------------------ BOUNDS */

    /// @notice Bounds of `challengeWindow` (seconds).
    uint32 public constant CHALLENGE_WINDOW_FLOOR = 60;
    uint32 public constant CHALLENGE_WINDOW_CEIL = 30 days;
    /// @notice Upper bounds of the fee rates (basis points).
    uint16 public constant VALIDATOR_FEE_CEIL_BPS = 2_000;
    uint16 public constant PROTOCOL_FEE_CEIL_BPS = 1_000;
    /// @notice Upper bound of `maxWorkersPerJob`.
    uint32 public constant MAX_WORKERS_CEIL = 1_024;
    /// @notice Time workers have, after a block's challenge window, to claim before `sweep` may return
    /// the rest of its pool to the client.
    uint256 public constant CLAIM_PERIOD = 90 days;

    uint256 private constant BPS = 10_000;

    /* ------------------------------------------------------------------ IMMUTABLES */

    IERC20 private immutable _token;
    IStakeManager private immutable _stakeManager;

    /* ------------------------------------------------------------------ STORAGE */

    struct BlockPayout {
        uint128 pool;
        uint128 paid;
    }

    Params private _params;
    IPoLAnchor private _anchor;
    IDisputeCourt private _disputeCourt;

    uint256 private _jobCount;
    mapping(uint256 jobId => Job) private _jobs;
    mapping(uint256 jobId => mapping(uint256 blockIndex => BlockPayout)) private _blocks;
    /// keccak256(jobId, blockIndex, worker) => 1 claimed, 2 voided.
    mapping(bytes32 leafKey => uint256) private _leafState;
    mapping(address account => uint256) private _credits;
    uint256 private _totalCredits;
    uint256 private _totalLocked;

    uint256 private constant CLAIMED = 1;
    uint256 private constant VOIDED = 2;

    /* ------------------------------------------------------------------ CONSTRUCTOR */

    /// @param token_ the payment token (TL)
    /// @param stakeManager_ the StakeManager
    /// @param params_ initial parameters (bounded)
    /// @param owner_ governance
    constructor(IERC20 token_, IStakeManager stakeManager_, Params memory params_, address owner_) Ownable(owner_) {
        if (address(token_) == address(0) || address(stakeManager_) == address(0)) revert JobEscrowZeroAddress();
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
    function createJob(bytes32 specHash, uint256 budget, uint256 pricePerStep, uint64 deadline, bytes32 paramsHash)
        external
        nonReentrant
        returns (uint256 jobId)
    {
        if (pricePerStep == 0 || budget < pricePerStep) revert JobEscrowInvalidBudget(budget, pricePerStep);
        if (deadline <= block.timestamp) revert JobEscrowDeadlineInPast(deadline, block.timestamp);
        // Deposit: pull before recording, so a hooked token never sees an unbacked job.
        _token.safeTransferFrom(msg.sender, address(this), budget);
        Params memory p = _params;
        jobId = ++_jobCount;
        _jobs[jobId] = Job({
            client: msg.sender,
            deadline: deadline,
            challengeWindow: p.challengeWindow,
            status: JobStatus.Open,
            validatorFeeBps: p.validatorFeeBps,
            protocolFeeBps: p.protocolFeeBps,
            budget: SafeCast.toUint128(budget),
            pricePerStep: SafeCast.toUint128(pricePerStep),
            reserved: 0,
            released: 0,
            specHash: specHash,
            paramsHash: paramsHash,
            assignmentHash: bytes32(0)
        });
        _totalLocked += budget;
        emit JobCreated(jobId, msg.sender, specHash, paramsHash, budget, pricePerStep, deadline);
    }

    /// @inheritdoc IJobEscrow
    function assign(uint256 jobId, address[] calldata workers, bytes32 assignmentHash) external {
        Job storage job = _clientJob(jobId);
        JobStatus status = job.status;
        if (status != JobStatus.Open && status != JobStatus.Active) revert JobEscrowWrongStatus(jobId, status);
        if (block.timestamp > job.deadline) revert JobEscrowDeadlinePassed(jobId, job.deadline);
        uint256 count = workers.length;
        uint256 max = _params.maxWorkersPerJob;
        if (count == 0 || count > max) revert JobEscrowBadWorkerCount(count, max);
        // Bounded by maxWorkersPerJob.
        for (uint256 i = 0; i < count; ++i) {
            if (!_stakeManager.isWorker(workers[i])) revert JobEscrowNotStakedWorker(workers[i]);
        }
        job.assignmentHash = assignmentHash;
        job.status = JobStatus.Active;
        emit JobAssigned(jobId, assignmentHash, workers);
    }

    /// @inheritdoc IJobEscrow
    function cancelJob(uint256 jobId) external {
        Job storage job = _clientJob(jobId);
        JobStatus status = job.status;
        if (status != JobStatus.Open && status != JobStatus.Active) revert JobEscrowWrongStatus(jobId, status);
        job.status = JobStatus.Cancelled;
        uint256 amount = _releaseUnreserved(job);
        emit JobCancelled(jobId, amount);
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

    /* ------------------------------------------------------------------ WORKERS */

    /// @inheritdoc IJobEscrow
    function claim(uint256 jobId, uint256 blockIndex, uint256 amount, bytes32[] calldata proof) external nonReentrant {
        IPoLAnchor.AnchoredBlock memory blk = _anchor.getBlock(jobId, blockIndex);
        if (blk.anchoredAt == 0) revert JobEscrowUnknownBlock(jobId, blockIndex);
        Job storage job = _jobs[jobId];
        uint256 claimable = uint256(blk.anchoredAt) + job.challengeWindow;
        if (block.timestamp < claimable) revert JobEscrowChallengeWindowOpen(jobId, blockIndex, claimable);
        bytes32 key = _leafKey(jobId, blockIndex, msg.sender);
        uint256 state = _leafState[key];
        if (state == CLAIMED) revert JobEscrowAlreadyClaimed(jobId, blockIndex, msg.sender);
        if (state == VOIDED) revert JobEscrowPayoutVoided(jobId, blockIndex, msg.sender);
        if (_disputeCourt.hasOpenDispute(jobId, blockIndex, msg.sender)) {
            revert JobEscrowDisputeOpen(jobId, blockIndex, msg.sender);
        }
        if (!MerkleProof.verifyCalldata(proof, blk.payoutsRoot, Leaves.payout(msg.sender, amount))) {
            revert JobEscrowInvalidProof(jobId, blockIndex, msg.sender, amount);
        }
        BlockPayout storage bp = _blocks[jobId][blockIndex];
        uint256 remaining = bp.pool - bp.paid;
        if (amount > remaining) revert JobEscrowBlockPoolExceeded(jobId, blockIndex, amount, remaining);

        _leafState[key] = CLAIMED;
        // amount <= remaining <= pool, which fits in uint128; released stays <= reserved <= budget.
        bp.paid += uint128(amount);
        job.released += uint128(amount);
        _totalLocked -= amount;
        emit PayoutClaimed(jobId, blockIndex, msg.sender, amount);

        _stakeManager.recordVerifiedSteps(msg.sender, blk.stepTo - blk.stepFrom);
        if (amount != 0) _token.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc IJobEscrow
    function withdraw() external nonReentrant {
        uint256 amount = _credits[msg.sender];
        if (amount == 0) revert JobEscrowNothingToWithdraw(msg.sender);
        _credits[msg.sender] = 0;
        _totalCredits -= amount;
        emit Withdrawn(msg.sender, amount);
        _token.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc IJobEscrow
    function sweep(uint256 jobId, uint256 blockIndex) external {
        uint64 anchoredAt = _anchor.getBlock(jobId, blockIndex).anchoredAt;
        if (anchoredAt == 0) revert JobEscrowUnknownBlock(jobId, blockIndex);
        Job storage job = _jobs[jobId];
        uint256 sweepableAt = uint256(anchoredAt) + job.challengeWindow + CLAIM_PERIOD;
        if (block.timestamp < sweepableAt) revert JobEscrowClaimPeriodOpen(jobId, blockIndex, sweepableAt);
        BlockPayout storage bp = _blocks[jobId][blockIndex];
        uint256 rest = bp.pool - bp.paid;
        if (rest == 0) revert JobEscrowNothingToSweep(jobId, blockIndex);
        // rest <= pool: fits in uint128, and paid reaches pool so nothing is paid from it again.
        bp.paid += uint128(rest);
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
        address[] calldata signers
    ) external onlyAnchor {
        Job storage job = _jobs[jobId];
        JobStatus status = job.status;
        if (status == JobStatus.None) revert JobEscrowUnknownJob(jobId);
        if (status != JobStatus.Active) revert JobEscrowWrongStatus(jobId, status);
        if (block.timestamp > job.deadline) revert JobEscrowDeadlinePassed(jobId, job.deadline);

        uint256 price = job.pricePerStep;
        uint256 gross = uint256(stepTo - stepFrom) * price;
        uint256 available = job.budget - job.reserved;
        if (gross > available) revert JobEscrowBudgetExceeded(jobId, gross, available);
        // gross <= available <= budget, a uint128.
        job.reserved += uint128(gross);

        FeeSplit memory split = _splitFees(job, gross, signers.length);
        // The fees (gross - pool) are released at once; they are <= gross, a uint128.
        job.released += uint128(gross - split.pool);
        _totalLocked -= gross - split.pool;
        _blocks[jobId][blockIndex] = BlockPayout({pool: uint128(split.pool), paid: 0});
        // Bounded by the snapshot size (<= maxValidators): the anchor rejects more signatures.
        for (uint256 i = 0; i < signers.length; ++i) {
            _credit(signers[i], split.feeEach);
        }
        _credit(_params.treasury, split.treasuryFee);
        emit BlockFunded(jobId, blockIndex, gross, split.pool, split.feeEach, signers.length, split.protocolFee);

        if (job.budget - job.reserved < price) {
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
        if (bp.pool == 0) revert JobEscrowUnknownBlock(jobId, blockIndex);
        bytes32 key = _leafKey(jobId, blockIndex, worker);
        uint256 state = _leafState[key];
        if (state == CLAIMED) revert JobEscrowAlreadyClaimed(jobId, blockIndex, worker);
        if (state == VOIDED) revert JobEscrowPayoutVoided(jobId, blockIndex, worker);
        uint256 remaining = bp.pool - bp.paid;
        voided = amount < remaining ? amount : remaining;
        _leafState[key] = VOIDED;
        Job storage job = _jobs[jobId];
        // voided <= remaining <= pool: fits in uint128 and keeps released <= reserved.
        bp.paid += uint128(voided);
        job.released += uint128(voided);
        _totalLocked -= voided;
        _credit(job.client, voided);
        emit PayoutVoided(jobId, blockIndex, worker, voided);
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
        if (address(_anchor) == address(0)) return 0;
        uint64 anchoredAt = _anchor.getBlock(jobId, blockIndex).anchoredAt;
        return anchoredAt == 0 ? 0 : uint256(anchoredAt) + _jobs[jobId].challengeWindow;
    }

    /// @inheritdoc IJobEscrow
    function isClaimed(uint256 jobId, uint256 blockIndex, address worker) external view returns (bool) {
        return _leafState[_leafKey(jobId, blockIndex, worker)] == CLAIMED;
    }

    /// @inheritdoc IJobEscrow
    function isVoided(uint256 jobId, uint256 blockIndex, address worker) external view returns (bool) {
        return _leafState[_leafKey(jobId, blockIndex, worker)] == VOIDED;
    }

    /// @inheritdoc IJobEscrow
    function creditOf(address account) external view returns (uint256) {
        return _credits[account];
    }

    /// @inheritdoc IJobEscrow
    function totalCredits() external view returns (uint256) {
        return _totalCredits;
    }

    /// @inheritdoc IJobEscrow
    function totalLocked() external view returns (uint256) {
        return _totalLocked;
    }

    /* ------------------------------------------------------------------ INTERNAL */

    struct FeeSplit {
        uint256 pool;
        uint256 feeEach;
        uint256 protocolFee;
        uint256 treasuryFee;
    }

    /// Splits a block's gross amount: validator fee in equal shares per signer, protocol fee, and
    /// the worker pool. The split's rounding dust goes to the treasury with the protocol fee.
    function _splitFees(Job storage job, uint256 gross, uint256 signerCount)
        private
        view
        returns (FeeSplit memory split)
    {
        uint256 validatorFee = gross * job.validatorFeeBps / BPS;
        split.protocolFee = gross * job.protocolFeeBps / BPS;
        split.feeEach = signerCount == 0 ? 0 : validatorFee / signerCount;
        split.treasuryFee = split.protocolFee + (validatorFee - split.feeEach * signerCount);
        split.pool = gross - validatorFee - split.protocolFee;
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

    function _credit(address account, uint256 amount) private {
        if (amount == 0) return;
        _credits[account] += amount;
        _totalCredits += amount;
    }

    function _leafKey(uint256 jobId, uint256 blockIndex, address worker) private pure returns (bytes32) {
        return keccak256(abi.encode(jobId, blockIndex, worker));
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
