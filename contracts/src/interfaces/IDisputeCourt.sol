// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IDisputeCourt
/// @notice Disputes over step records of anchored PoL blocks. A staked challenger posts a bond and
/// proves the record (and the accused worker's payout leaf) against the block's roots inside the
/// challenge window; a committee drawn from the epoch's validator snapshot votes within the voting
/// window. Fraud: the worker is slashed, its payout in the block is voided and the challenger gets
/// its bond back plus a share of the slash. No fraud: the bond is forfeited to the treasury.
interface IDisputeCourt {
    /* ------------------------------------------------------------------ TYPES */

    /// @notice Open: voting. Fraud / Rejected: resolved.
    enum DisputeStatus {
        None,
        Open,
        Fraud,
        Rejected
    }

    /// @notice One training step as a worker reported it; its leaf in a block's stepsRoot is
    /// keccak256(bytes.concat(keccak256(abi.encode(record)))).
    /// @param lossBits the loss as raw IEEE-754 binary64 bits
    struct StepRecord {
        uint256 jobId;
        uint64 step;
        uint32 stage;
        uint32 replica;
        address worker;
        bytes32 paramsRootBefore;
        bytes32 batchCommitment;
        bytes32 gradRoot;
        bytes32 reduceRoot;
        bytes32 paramsRootAfter;
        uint64 lossBits;
    }

    /// @notice A dispute. `committee` is stored apart (see `committee`).
    /// @param voteMask bit i set when committee member i has voted
    struct Dispute {
        uint256 jobId;
        uint64 blockIndex;
        uint64 step;
        address worker;
        address challenger;
        DisputeStatus status;
        uint64 votingEndsAt;
        uint16 fraudVotes;
        uint16 validVotes;
        uint64 voteMask;
        uint256 bond;
        uint256 payoutAmount;
        bytes32 stepLeaf;
    }

    /// @notice Parameters governance may change, each within fixed bounds.
    /// @param challengeBond TL (wei) a challenger locks
    /// @param votingWindow seconds the committee has to vote
    /// @param committeeSize validators drawn per dispute (fewer if the snapshot is smaller)
    /// @param challengerRewardBps share of the slashed stake paid to a successful challenger
    /// @param slashBps share of the worker's bonded + unbonding stake slashed on fraud
    struct Params {
        uint256 challengeBond;
        uint32 votingWindow;
        uint16 committeeSize;
        uint16 challengerRewardBps;
        uint16 slashBps;
    }

    /* ------------------------------------------------------------------ EVENTS */

    /// @notice `challenger` disputed `worker`'s step `step` in block `blockIndex` of job `jobId`.
    event DisputeOpened(
        uint256 indexed disputeId,
        uint256 indexed jobId,
        uint64 indexed blockIndex,
        address worker,
        address challenger,
        uint64 step,
        uint256 bond,
        address[] committee,
        uint64 votingEndsAt
    );

    /// @notice Committee member `voter` voted on dispute `disputeId`.
    event Voted(uint256 indexed disputeId, address indexed voter, bool fraud);

    /// @notice Dispute `disputeId` was resolved. On fraud, `slashed` was taken from the worker,
    /// `challengerReward` (on top of the returned bond) credited to the challenger and `voidedPayout`
    /// returned to the client; otherwise all three are zero and the bond went to the treasury.
    event DisputeResolved(
        uint256 indexed disputeId, bool fraud, uint256 slashed, uint256 challengerReward, uint256 voidedPayout
    );

    /// @notice `account` withdrew its credited balance `amount`.
    event Withdrawn(address indexed account, uint256 amount);

    /// @notice Governance changed the parameters.
    event ParamsUpdated(Params oldParams, Params newParams);

    /* ------------------------------------------------------------------ ERRORS */

    /// @notice Block `blockIndex` of job `jobId` is not anchored.
    error DisputeCourtBlockNotAnchored(uint256 jobId, uint256 blockIndex);

    /// @notice Block `blockIndex` of job `jobId` could be disputed only until `closedAt`.
    error DisputeCourtChallengeWindowClosed(uint256 jobId, uint256 blockIndex, uint256 closedAt);

    /// @notice The step record belongs to job `recordJobId`, not `jobId`.
    error DisputeCourtJobMismatch(uint256 jobId, uint256 recordJobId);

    /// @notice The step record's leaf `leaf` is not proven against the block's stepsRoot.
    error DisputeCourtInvalidStepProof(uint256 jobId, uint256 blockIndex, bytes32 leaf);

    /// @notice The payout leaf (`worker`, `amount`) is not proven against the block's payoutsRoot.
    error DisputeCourtInvalidPayoutProof(uint256 jobId, uint256 blockIndex, address worker, uint256 amount);

    /// @notice `challenger` has `stake` bonded; challenging needs `needed` (minWorkerStake).
    error DisputeCourtInsufficientStake(address challenger, uint256 stake, uint256 needed);

    /// @notice `worker` cannot challenge its own record.
    error DisputeCourtSelfChallenge(address worker);

    /// @notice `worker` in block `blockIndex` of job `jobId` is already under an open dispute or was
    /// already found fraudulent there.
    error DisputeCourtAlreadyDisputed(uint256 jobId, uint256 blockIndex, address worker);

    /// @notice No validator of the snapshot is eligible for the committee.
    error DisputeCourtNoCommittee();

    /// @notice There is no dispute `disputeId`.
    error DisputeCourtUnknownDispute(uint256 disputeId);

    /// @notice Dispute `disputeId` is `status`, not Open.
    error DisputeCourtNotOpen(uint256 disputeId, DisputeStatus status);

    /// @notice `account` is not on dispute `disputeId`'s committee.
    error DisputeCourtNotCommitteeMember(uint256 disputeId, address account);

    /// @notice `account` already voted on dispute `disputeId`.
    error DisputeCourtAlreadyVoted(uint256 disputeId, address account);

    /// @notice Voting on dispute `disputeId` ended at `votingEndsAt`.
    error DisputeCourtVotingClosed(uint256 disputeId, uint64 votingEndsAt);

    /// @notice Dispute `disputeId` is undecided and its voting runs until `votingEndsAt`.
    error DisputeCourtVotingOpen(uint256 disputeId, uint64 votingEndsAt);

    /// @notice `account` has no credited balance.
    error DisputeCourtNothingToWithdraw(address account);

    /// @notice A zero address was given where a contract address is required.
    error DisputeCourtZeroAddress();

    /// @notice Parameter `name` = `value` lies outside [`min`, `max`].
    error DisputeCourtParamOutOfBounds(string name, uint256 value, uint256 min, uint256 max);

    /* ------------------------------------------------------------------ FUNCTIONS */

    /// @notice Disputes `record` in block `blockIndex` of job `jobId`. The caller needs
    /// `minWorkerStake` bonded and an allowance for `challengeBond`, which is pulled. `stepProof`
    /// proves the record against the block's stepsRoot; `payoutProof` proves the accused worker's
    /// payout leaf (record.worker, `payoutAmount`) against its payoutsRoot. Must come before the
    /// block's challenge window ends. Draws the committee from the current snapshot (excluding the
    /// worker and the challenger).
    /// @return disputeId the new dispute's id (ids start at 1)
    function challenge(
        uint256 jobId,
        uint64 blockIndex,
        StepRecord calldata record,
        bytes32[] calldata stepProof,
        uint256 payoutAmount,
        bytes32[] calldata payoutProof
    ) external returns (uint256 disputeId);

    /// @notice Casts the caller's vote on dispute `disputeId`; committee members only, once, before
    /// the voting window ends.
    /// @param fraud true if re-execution showed the record to be wrong
    function vote(uint256 disputeId, bool fraud) external;

    /// @notice Resolves dispute `disputeId`: fraud when more than half of the committee voted fraud.
    /// Possible as soon as the outcome is certain, otherwise after the voting window. Anyone may call.
    function resolve(uint256 disputeId) external;

    /// @notice Transfers the caller's credited balance (returned bonds, rewards, treasury share).
    function withdraw() external;

    /// @notice Governance: replaces the parameters; each must lie within its bounds.
    function setParams(Params calldata newParams) external;

    /* ------------------------------------------------------------------ VIEWS */

    /// @notice Dispute `disputeId` (all zero if unknown).
    function getDispute(uint256 disputeId) external view returns (Dispute memory);

    /// @notice Dispute `disputeId`'s committee, in draw order (bit i of voteMask is member i).
    function committee(uint256 disputeId) external view returns (address[] memory);

    /// @notice Number of disputes opened; the last dispute id.
    function disputeCount() external view returns (uint256);

    /// @notice Whether a dispute against `worker` in block `blockIndex` of job `jobId` is open.
    function hasOpenDispute(uint256 jobId, uint256 blockIndex, address worker) external view returns (bool);

    /// @notice `account`'s credited, withdrawable balance.
    function creditOf(address account) external view returns (uint256);

    /// @notice Sum of all credited balances.
    function totalCredits() external view returns (uint256);

    /// @notice Sum of the bonds of open disputes.
    function totalBonds() external view returns (uint256);

    /// @notice The current parameters.
    function params() external view returns (Params memory);

    /// @notice The StakeManager (challenger stake, committee, slashing).
    function stakeManager() external view returns (address);

    /// @notice The PoLAnchor (block roots).
    function anchor() external view returns (address);

    /// @notice The JobEscrow (challenge window, payout voiding, treasury).
    function escrow() external view returns (address);
}
