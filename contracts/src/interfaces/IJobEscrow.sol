// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IPullPayments} from "./IPullPayments.sol";
import {IPoLAnchor} from "./IPoLAnchor.sol";

/// @title IJobEscrow
/// @notice Jobs funded up front in TL; workers paid per anchored PoL block by Merkle proof after the
/// challenge window; validator fees claimed per block by its signers; protocol fees; refunds. Every
/// payout is a pull.
interface IJobEscrow is IPullPayments {
    /* ------------------------------------------------------------------ TYPES */

    /// @notice Lifecycle of a job. Open: funded, not yet assigned. Active: assigned, blocks may be
    /// anchored until the deadline. Completed: the whole budget is reserved by anchored blocks.
    /// Cancelled: the client stopped it. Refunded: the unspent budget went back to the client.
    enum JobStatus {
        None,
        Open,
        Active,
        Completed,
        Cancelled,
        Refunded
    }

    /// @notice A job. Fee rates and the challenge window are copied from the parameters at creation,
    /// so later governance changes do not touch running jobs.
    /// @param verifyRatePpm share of each block's records every validator re-executes (ppm, 1..10^6)
    /// @param verifyMode 0 = exact (bitwise), 1 = tolerant (relative L2 of the update under δ)
    /// @param tolerancePpmL2 δ in ppm of relative L2 (tolerant jobs only; 0 for exact ones)
    /// @param reserved gross amount committed to anchored blocks (steps x pricePerStep)
    /// @param released amount that left the job: worker claims, fees, voided payouts and refunds
    struct Job {
        address client;
        uint64 deadline;
        uint32 challengeWindow;
        JobStatus status;
        uint16 validatorFeeBps;
        uint16 protocolFeeBps;
        uint32 verifyRatePpm;
        uint8 verifyMode;
        uint32 tolerancePpmL2;
        uint128 budget;
        uint128 pricePerStep;
        uint128 reserved;
        uint128 released;
        bytes32 specHash;
        bytes32 paramsHash;
        bytes32 assignmentHash;
    }

    /// @notice Parameters governance may change, each within fixed bounds.
    /// @param challengeWindow seconds after anchoring during which a block can be disputed and
    /// nothing is paid from it
    /// @param validatorFeeBps share of each block's gross amount split among its signers
    /// @param protocolFeeBps share of each block's gross amount credited to the treasury
    /// @param maxWorkersPerJob bound on the worker list passed to `assign`
    /// @param treasury receives protocol fees, rounding dust, forfeited bonds and the slash remainder
    struct Params {
        uint32 challengeWindow;
        uint16 validatorFeeBps;
        uint16 protocolFeeBps;
        uint32 maxWorkersPerJob;
        address treasury;
    }

    /* ------------------------------------------------------------------ EVENTS */

    /// @notice `client` created and funded job `jobId`.
    event JobCreated(
        uint256 indexed jobId,
        address indexed client,
        bytes32 specHash,
        bytes32 paramsHash,
        uint256 budget,
        uint256 pricePerStep,
        uint64 deadline
    );

    /// @notice Job `jobId` is verified at `verifyRatePpm` in `verifyMode` with tolerance `tolerancePpmL2`.
    event JobVerificationSet(uint256 indexed jobId, uint32 verifyRatePpm, uint8 verifyMode, uint32 tolerancePpmL2);

    /// @notice Job `jobId` was (re)assigned to `workers`; `assignmentHash` commits to the full
    /// assignment (stages x replicas -> workers) computed off-chain. Only assigned workers can claim.
    event JobAssigned(uint256 indexed jobId, bytes32 assignmentHash, address[] workers);

    /// @notice An anchored block of job `jobId` reserved `gross`: `workerPool` for the payout leaves,
    /// `validatorFeeEach` claimable by each of its `signerCount` signers (`claimFee`), `protocolFee`
    /// (plus the split dust) credited to the treasury.
    event BlockFunded(
        uint256 indexed jobId,
        uint256 indexed blockIndex,
        uint256 gross,
        uint256 workerPool,
        uint256 validatorFeeEach,
        uint256 signerCount,
        uint256 protocolFee
    );

    /// @notice Job `jobId` has its whole budget reserved; `refund` returns the remainder below one step.
    event JobCompleted(uint256 indexed jobId);

    /// @notice The client cancelled job `jobId` before any assignment; `refund` (the whole budget) was
    /// credited to it.
    event JobCancelled(uint256 indexed jobId, uint256 refund);

    /// @notice The client cancelled the running job `jobId`: blocks for work already done can still be
    /// anchored until `effectiveDeadline` (now + CANCEL_NOTICE), then `refund` returns the rest.
    event JobCancellationScheduled(uint256 indexed jobId, uint64 effectiveDeadline);

    /// @notice Signer `validator` was paid its fee `amount` for block `blockIndex` of job `jobId`.
    event FeeClaimed(uint256 indexed jobId, uint256 indexed blockIndex, address indexed validator, uint256 amount);

    /// @notice Block `blockIndex` of job `jobId` was voided (its data was withheld): `refund` (the
    /// unpaid pool and the unclaimed validator fees) was credited to the client.
    event BlockVoided(uint256 indexed jobId, uint256 indexed blockIndex, uint256 refund);

    /// @notice The unclaimed fees of `signers` for block `blockIndex` of job `jobId` (signers slashed
    /// for a record they were obliged to check), `refund` in all, were credited to the client.
    event FeesVoided(uint256 indexed jobId, uint256 indexed blockIndex, address[] signers, uint256 refund);

    /// @notice The unreserved budget `refund` of job `jobId` was credited to its client.
    event JobRefunded(uint256 indexed jobId, uint256 refund);

    /// @notice `worker` was paid `amount` from block `blockIndex` of job `jobId`.
    event PayoutClaimed(uint256 indexed jobId, uint256 indexed blockIndex, address indexed worker, uint256 amount);

    /// @notice The DisputeCourt voided `worker`'s payout `amount` in block `blockIndex`; it was
    /// credited back to the client.
    event PayoutVoided(uint256 indexed jobId, uint256 indexed blockIndex, address indexed worker, uint256 amount);

    /// @notice The unpaid rest `amount` of block `blockIndex`'s worker pool went back to the client of
    /// job `jobId` after the claim period.
    event BlockSwept(uint256 indexed jobId, uint256 indexed blockIndex, uint256 amount);

    /// @notice Governance changed the parameters.
    event ParamsUpdated(Params oldParams, Params newParams);

    /// @notice The PoLAnchor and the DisputeCourt were wired, once.
    event Connected(address anchor, address disputeCourt);

    /* ------------------------------------------------------------------ ERRORS */

    /// @notice `budget` and `pricePerStep` must be positive, and the budget must pay at least one step.
    error JobEscrowInvalidBudget(uint256 budget, uint256 pricePerStep);

    /// @notice `deadline` is not in the future (now is `nowTs`).
    error JobEscrowDeadlineInPast(uint64 deadline, uint256 nowTs);

    /// @notice There is no job `jobId`.
    error JobEscrowUnknownJob(uint256 jobId);

    /// @notice `caller` is not the client of job `jobId`.
    error JobEscrowNotClient(uint256 jobId, address caller);

    /// @notice Job `jobId` is in `status`, which does not allow this operation.
    error JobEscrowWrongStatus(uint256 jobId, JobStatus status);

    /// @notice The worker list has `count` entries; it must have between 1 and `max`.
    error JobEscrowBadWorkerCount(uint256 count, uint256 max);

    /// @notice The verification terms are invalid: the rate must be 1..10^6 ppm, the mode 0 (exact,
    /// tolerance 0) or 1 (tolerant, tolerance 1..10^6 ppm).
    error JobEscrowInvalidVerification(uint32 verifyRatePpm, uint8 verifyMode, uint32 tolerancePpmL2);

    /// @notice `worker` was never assigned to job `jobId`, so no block of it can pay `worker`.
    error JobEscrowNotAssigned(uint256 jobId, address worker);

    /// @notice `validator` is not signer number `position` of block `blockIndex` of job `jobId`.
    error JobEscrowNotSigner(uint256 jobId, uint256 blockIndex, address validator, uint256 position);

    /// @notice Block `blockIndex` of job `jobId` was voided.
    error JobEscrowBlockVoided(uint256 jobId, uint256 blockIndex);

    /// @notice Job `jobId`'s deadline `deadline` has passed.
    error JobEscrowDeadlinePassed(uint256 jobId, uint64 deadline);

    /// @notice Job `jobId`'s deadline `deadline` has not passed yet.
    error JobEscrowDeadlineNotPassed(uint256 jobId, uint64 deadline);

    /// @notice Anchoring `needed` more would exceed job `jobId`'s remaining budget `available`.
    error JobEscrowBudgetExceeded(uint256 jobId, uint256 needed, uint256 available);

    /// @notice `caller` may not call this function (onBlockAnchored: only the PoLAnchor;
    /// voidPayout: only the DisputeCourt).
    error JobEscrowUnauthorized(address caller);

    /// @notice Block `blockIndex` of job `jobId` has not been anchored.
    error JobEscrowUnknownBlock(uint256 jobId, uint256 blockIndex);

    /// @notice Block `blockIndex` of job `jobId` pays out only from `claimableAt`.
    error JobEscrowChallengeWindowOpen(uint256 jobId, uint256 blockIndex, uint256 claimableAt);

    /// @notice `worker` already claimed from block `blockIndex` of job `jobId`.
    error JobEscrowAlreadyClaimed(uint256 jobId, uint256 blockIndex, address worker);

    /// @notice `worker`'s payout in block `blockIndex` of job `jobId` was voided for fraud.
    error JobEscrowPayoutVoided(uint256 jobId, uint256 blockIndex, address worker);

    /// @notice A dispute against `worker`, or a data request, in block `blockIndex` of job `jobId` is
    /// still open.
    error JobEscrowDisputeOpen(uint256 jobId, uint256 blockIndex, address worker);

    /// @notice The Merkle proof of (`worker`, `amount`) does not match the block's payoutsRoot.
    error JobEscrowInvalidProof(uint256 jobId, uint256 blockIndex, address worker, uint256 amount);

    /// @notice Paying `requested` would exceed block `blockIndex`'s remaining worker pool `remaining`.
    error JobEscrowBlockPoolExceeded(uint256 jobId, uint256 blockIndex, uint256 requested, uint256 remaining);

    /// @notice Block `blockIndex` of job `jobId` can be swept only from `sweepableAt`.
    error JobEscrowClaimPeriodOpen(uint256 jobId, uint256 blockIndex, uint256 sweepableAt);

    /// @notice Block `blockIndex` of job `jobId` has nothing left to sweep.
    error JobEscrowNothingToSweep(uint256 jobId, uint256 blockIndex);

    /// @notice `connect` was already called.
    error JobEscrowAlreadyConnected();

    /// @notice A zero address was given where an address is required.
    error JobEscrowZeroAddress();

    /// @notice Parameter `name` = `value` lies outside [`min`, `max`].
    error JobEscrowParamOutOfBounds(string name, uint256 value, uint256 min, uint256 max);

    /* ------------------------------------------------------------------ CLIENT */

    /// @notice Creates job `jobId` and pulls `budget` TL from the caller (needs an allowance).
    /// @param specHash hash of the job specification (model, data, steps)
    /// @param budget wei of TL locked for the job; must cover at least one step
    /// @param pricePerStep wei of TL paid per training step (workers + fees)
    /// @param deadline unix time after which no block is anchored and the rest can be refunded
    /// @param paramsHash hash of the remaining protocol parameters (spec-level commitment)
    /// @param verifyRatePpm share of each block's records every validator must re-execute, 1..10^6 ppm
    /// @param verifyMode 0 = exact, 1 = tolerant
    /// @param tolerancePpmL2 tolerant jobs: δ in ppm of relative L2, 1..10^6; exact jobs: 0
    /// @return jobId the new job's id (ids start at 1)
    function createJob(
        bytes32 specHash,
        uint256 budget,
        uint256 pricePerStep,
        uint64 deadline,
        bytes32 paramsHash,
        uint32 verifyRatePpm,
        uint8 verifyMode,
        uint32 tolerancePpmL2
    ) external returns (uint256 jobId);

    /// @notice Records (or replaces) job `jobId`'s assignment. Client only, while Open or Active and
    /// before the deadline. Each worker must hold `minWorkerStake`, which stays locked until the
    /// job's deadline; each is recorded as assigned (only assigned workers can claim). The job
    /// becomes Active.
    /// @param workers the assigned workers, 1..maxWorkersPerJob entries
    /// @param assignmentHash hash of the full assignment
    function assign(uint256 jobId, address[] calldata workers, bytes32 assignmentHash) external;

    /// @notice Cancels job `jobId` (client only). Open (never assigned): at once, the budget is
    /// credited back. Active: the deadline becomes min(deadline, now + CANCEL_NOTICE), so blocks for
    /// work already done can still be anchored; `refund` returns the rest after that.
    function cancelJob(uint256 jobId) external;

    /// @notice Credits the unreserved budget of job `jobId` to its client, once it is Completed or its
    /// deadline has passed. Anyone may call it.
    function refund(uint256 jobId) external;

    /* ------------------------------------------------------------------ WORKERS */

    /// @notice Pays the caller its payout leaf (caller, `amount`) in block `blockIndex` of job `jobId`,
    /// proven by `proof` against the block's payoutsRoot, once the challenge window has passed and no
    /// dispute against the caller in that block is open. Credits the block's step count to the
    /// caller's verified steps.
    function claim(uint256 jobId, uint256 blockIndex, uint256 amount, bytes32[] calldata proof) external;

    /// @notice Pays the caller its validator fee for block `blockIndex` of job `header.jobId`, as
    /// signer number `position` of `signers` (the block's ascending signer list, checked against the
    /// anchor's commitment), once the challenge window has passed and no dispute or data request on
    /// the block is open (`DisputeCourt.feesHeld`); not after a fraud verdict voided it.
    function claimFee(IPoLAnchor.PoLBlock calldata header, address[] calldata signers, uint256 position) external;

    /// @notice Once the claim period (`CLAIM_PERIOD` after the block's claimableAt) is over, credits
    /// what is left of block `blockIndex`'s worker pool (unclaimed leaves, or leaves summing below the
    /// pool) back to the client of job `jobId`. Anyone may call it; later claims find the pool empty.
    function sweep(uint256 jobId, uint256 blockIndex) external;

    /* ------------------------------------------------------------------ PRIVILEGED */

    /// @notice Called by the PoLAnchor for each anchored block: reserves (stepTo - stepFrom) x
    /// pricePerStep of the budget, records the payouts root, credits the protocol fee and leaves the
    /// validator fees to be claimed. Reverts unless the job is Active, before its deadline, with
    /// enough budget left. O(1): nothing here depends on the number of workers or signers.
    function onBlockAnchored(
        uint256 jobId,
        uint256 blockIndex,
        uint64 stepFrom,
        uint64 stepTo,
        bytes32 payoutsRoot,
        uint256 signerCount
    ) external;

    /// @notice Called by the DisputeCourt on a fraud verdict: voids `worker`'s payout `amount` in the
    /// block (capped by the block's remaining pool) and credits it back to the client.
    /// Returns 0 without reverting if the payout was already voided (another fraudulent record of the
    /// same worker in the same block).
    /// @return voided the amount actually voided
    function voidPayout(uint256 jobId, uint256 blockIndex, address worker, uint256 amount)
        external
        returns (uint256 voided);

    /// @notice Called by the DisputeCourt when a block's signers failed a data request: the unpaid
    /// pool and the unclaimed fees of `signers` (the block's whole signer list) go back to the
    /// client; nothing more is paid from the block.
    /// @return refund the amount credited to the client
    function voidBlock(uint256 jobId, uint256 blockIndex, address[] calldata signers) external returns (uint256 refund);

    /// @notice Called by the DisputeCourt on a fraud verdict: the fees of `signers` (the sampled
    /// signers, out of the block's `signerCount`) that are still unclaimed go back to the client.
    /// Bounded by the signer list (<= maxValidators).
    /// @return refund the amount credited to the client
    function voidFees(uint256 jobId, uint256 blockIndex, address[] calldata signers, uint256 signerCount)
        external
        returns (uint256 refund);

    /// @notice Governance: replaces the parameters; each must lie within its bounds.
    function setParams(Params calldata newParams) external;

    /// @notice Governance, once: wires the PoLAnchor and the DisputeCourt.
    function connect(address anchor, address disputeCourt) external;

    /* ------------------------------------------------------------------ VIEWS */

    /// @notice The payment token (TL).
    function token() external view returns (IERC20);

    /// @notice The StakeManager (worker eligibility, reputation).
    function stakeManager() external view returns (address);

    /// @notice The PoLAnchor wired by `connect`.
    function anchor() external view returns (address);

    /// @notice The DisputeCourt wired by `connect`.
    function disputeCourt() external view returns (address);

    /// @notice The current parameters.
    function params() external view returns (Params memory);

    /// @notice The treasury address (from the parameters).
    function treasury() external view returns (address);

    /// @notice Job `jobId` (all zero if unknown).
    function getJob(uint256 jobId) external view returns (Job memory);

    /// @notice Number of jobs created; the last job id.
    function jobCount() external view returns (uint256);

    /// @notice Block `blockIndex` of job `jobId`: its worker pool and how much of it was paid or voided.
    function blockPayout(uint256 jobId, uint256 blockIndex) external view returns (uint256 pool, uint256 paid);

    /// @notice Time from which block `blockIndex` of job `jobId` pays out (0 if not anchored); the
    /// block's challenge window ends then.
    function claimableAt(uint256 jobId, uint256 blockIndex) external view returns (uint256);

    /// @notice The payouts root of block `blockIndex` of job `jobId` (zero if not anchored).
    function payoutsRoot(uint256 jobId, uint256 blockIndex) external view returns (bytes32);

    /// @notice Whether `worker` was ever assigned to job `jobId`.
    function isAssigned(uint256 jobId, address worker) external view returns (bool);

    /// @notice Whether signer `validator` claimed its fee for block `blockIndex` of job `jobId`.
    function isFeeClaimed(uint256 jobId, uint256 blockIndex, address validator) external view returns (bool);

    /// @notice Whether `worker` claimed from block `blockIndex` of job `jobId`.
    function isClaimed(uint256 jobId, uint256 blockIndex, address worker) external view returns (bool);

    /// @notice Whether `worker`'s payout in block `blockIndex` of job `jobId` was voided.
    function isVoided(uint256 jobId, uint256 blockIndex, address worker) external view returns (bool);

    /// @notice Sum over jobs of (budget - released): TL still held for jobs.
    function totalLocked() external view returns (uint256);
}
