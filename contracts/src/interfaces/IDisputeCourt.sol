// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IPullPayments} from "./IPullPayments.sol";
import {IPoLAnchor} from "./IPoLAnchor.sol";

/// @title IDisputeCourt
/// @notice Disputes over step records of anchored PoL blocks, and data-availability requests.
/// Challenge (commit, then reveal with the worker-signed record proven against the block): a committee
/// drawn from a block hash that did not exist at reveal time votes. Fraud: the worker and every signer
/// whose mandatory sample held the record are slashed, the worker's payout is voided, the challenger
/// gets its bond back plus a share of the slash. Rejected: the bond goes to the treasury. No quorum:
/// the bond goes back and the silent members lose reputation. Data request: the block's signers (or
/// anyone) must publish a demanded record within DATA_WINDOW, or every signer is slashed and the
/// block is voided.
interface IDisputeCourt is IPullPayments {
    /* ------------------------------------------------------------------ TYPES */

    /// @notice Drawing: waiting for the committee draw. Voting: the committee votes. Fraud, Rejected,
    /// NoQuorum (nobody won a majority in time), Expired (nobody drew the committee in time): resolved.
    enum DisputeStatus {
        None,
        Drawing,
        Voting,
        Fraud,
        Rejected,
        NoQuorum,
        Expired
    }

    /// @notice Open, then Answered (a valid record was published) or Failed (nobody published it).
    enum RequestStatus {
        None,
        Open,
        Answered,
        Failed
    }

    /// @notice One training step as its worker signed it (EIP-712 under the PoLAnchor's domain):
    /// `StepRecord(uint256 jobId,uint64 step,uint32 stage,uint32 replica,uint32 stages,uint32 replicas,address worker,bytes32 batchCommitment,bytes32 paramsBefore,bytes32 optStateBefore,bytes32 actIn,bytes32 actOut,bytes32 gradIn,bytes32 gradOut,bytes32 gradRoot,bytes32 reduceRoot,bytes32 paramsAfter,bytes32 optStateAfter,uint64 lossBits)`.
    /// Its leaf in a block's stepsRoot is its struct hash. Unused link hashes are zero.
    /// @param lossBits the loss as raw IEEE-754 binary64 bits
    struct StepRecord {
        uint256 jobId;
        uint64 step;
        uint32 stage;
        uint32 replica;
        uint32 stages;
        uint32 replicas;
        address worker;
        bytes32 batchCommitment;
        bytes32 paramsBefore;
        bytes32 optStateBefore;
        bytes32 actIn;
        bytes32 actOut;
        bytes32 gradIn;
        bytes32 gradOut;
        bytes32 gradRoot;
        bytes32 reduceRoot;
        bytes32 paramsAfter;
        bytes32 optStateAfter;
        uint64 lossBits;
    }

    /// @notice What a challenger reveals.
    /// @param header the anchored block holding the record
    /// @param signers the block's signers, ascending (checked against the anchor's commitment)
    /// @param record the disputed record
    /// @param signature the worker's 65-byte EIP-712 signature over the record
    /// @param stepProof Merkle proof of the record's hash against header.stepsRoot
    /// @param payoutAmount the worker's payout leaf amount in the block (0: do not void a known amount)
    /// @param payoutProof Merkle proof of (worker, payoutAmount) against header.payoutsRoot
    /// @param salt the salt of the earlier `commitChallenge`
    struct Evidence {
        IPoLAnchor.PoLBlock header;
        address[] signers;
        StepRecord record;
        bytes signature;
        bytes32[] stepProof;
        uint256 payoutAmount;
        bytes32[] payoutProof;
        bytes32 salt;
    }

    /// @notice A dispute. Its terms (bond, voting window, committee size, reward and slash rates) are
    /// fixed when it opens. The committee and the sampled signers are stored apart.
    /// @param drawBlock the future block whose hash seeds the committee
    /// @param voteMask bit i set when committee member i has voted
    struct Dispute {
        uint256 jobId;
        uint64 blockIndex;
        uint64 step;
        address worker;
        address challenger;
        DisputeStatus status;
        uint64 drawBlock;
        uint64 votingEndsAt;
        uint64 voteMask;
        uint16 fraudVotes;
        uint16 validVotes;
        uint16 committeeSize;
        uint16 challengerRewardBps;
        uint16 slashBps;
        uint32 votingWindow;
        uint16 signerCount;
        uint256 bond;
        uint256 payoutAmount;
        bytes32 recordHash;
    }

    /// @notice A data-availability request: someone must publish the record of (step, stage, replica)
    /// of the block before `deadline`.
    struct DataRequest {
        uint256 jobId;
        uint64 blockIndex;
        uint64 step;
        uint32 stage;
        uint32 replica;
        address requester;
        RequestStatus status;
        uint64 deadline;
        uint16 challengerRewardBps;
        uint16 slashBps;
        uint256 bond;
        bytes32 stepsRoot;
        bytes32 signersHash;
    }

    /// @notice Parameters governance may change, each within fixed bounds, effective PARAMS_DELAY
    /// after `setParams`.
    /// @param challengeBond TL (wei) a challenger or data requester locks
    /// @param votingWindow seconds the committee has to vote
    /// @param committeeSize validators drawn per dispute (fewer if the set is smaller)
    /// @param challengerRewardBps share of the slashed stake paid to a successful challenger (<= 50%)
    /// @param slashBps share of an offender's bonded + unbonding stake slashed
    struct Params {
        uint256 challengeBond;
        uint32 votingWindow;
        uint16 committeeSize;
        uint16 challengerRewardBps;
        uint16 slashBps;
    }

    /* ------------------------------------------------------------------ EVENTS */

    /// @notice `committer` committed to a challenge (`commitment`, see `challengeCommitment`).
    event ChallengeCommitted(bytes32 indexed commitment, address indexed committer);

    /// @notice `challenger` disputed `worker`'s record `recordHash` (step `step`) in block
    /// `blockIndex` of job `jobId`; the committee is drawn from the hash of block `drawBlock`.
    /// `sampledSigners` are the block's signers whose mandatory sample held the record.
    event DisputeOpened(
        uint256 indexed disputeId,
        uint256 indexed jobId,
        uint64 indexed blockIndex,
        address worker,
        address challenger,
        uint64 step,
        bytes32 recordHash,
        uint256 bond,
        uint64 drawBlock,
        address[] sampledSigners
    );

    /// @notice Dispute `disputeId`'s committee was drawn; it votes until `votingEndsAt`.
    event CommitteeDrawn(uint256 indexed disputeId, address[] committee, uint64 votingEndsAt);

    /// @notice Committee member `voter` voted on dispute `disputeId`.
    event Voted(uint256 indexed disputeId, address indexed voter, bool fraud);

    /// @notice Dispute `disputeId` ended with `outcome`. On fraud, `slashed` was taken from the worker
    /// and the sampled signers, `challengerReward` (on top of the returned bond) credited to the
    /// challenger and `voidedPayout` (the worker's payout and the sampled signers' fees) returned to
    /// the client; otherwise all three are zero.
    event DisputeResolved(
        uint256 indexed disputeId,
        DisputeStatus outcome,
        uint256 slashed,
        uint256 challengerReward,
        uint256 voidedPayout
    );

    /// @notice `requester` asked for the record of (`step`, `stage`, `replica`) of block `blockIndex`
    /// of job `jobId`, to be published before `deadline`.
    event DataRequested(
        uint256 indexed requestId,
        uint256 indexed jobId,
        uint64 indexed blockIndex,
        address requester,
        uint64 step,
        uint32 stage,
        uint32 replica,
        uint64 deadline
    );

    /// @notice `provider` published record `recordHash` (in the transaction's calldata) for request
    /// `requestId` and was credited the requester's bond.
    event DataProvided(uint256 indexed requestId, bytes32 recordHash, address indexed provider);

    /// @notice Nobody answered request `requestId`: `slashed` was taken from the block's signers,
    /// `requesterReward` credited to the requester with its bond, `refund` returned to the client.
    event DataRequestFailed(uint256 indexed requestId, uint256 slashed, uint256 requesterReward, uint256 refund);

    /// @notice Governance scheduled `newParams`, effective from `effectiveAt`.
    event ParamsScheduled(Params newParams, uint64 effectiveAt);

    /// @notice The parameters in effect at deployment.
    event ParamsUpdated(Params oldParams, Params newParams);

    /* ------------------------------------------------------------------ ERRORS */

    /// @notice `commitment` was already made.
    error DisputeCourtAlreadyCommitted(bytes32 commitment);

    /// @notice No earlier commitment `commitment` exists for this reveal (it must be mined in an
    /// earlier block than the reveal).
    error DisputeCourtNoCommitment(bytes32 commitment);

    /// @notice Block `blockIndex` of job `jobId` can be challenged only until `closedAt`.
    error DisputeCourtChallengeWindowClosed(uint256 jobId, uint256 blockIndex, uint256 closedAt);

    /// @notice The step record belongs to job `recordJobId`, not `jobId`.
    error DisputeCourtJobMismatch(uint256 jobId, uint256 recordJobId);

    /// @notice Step `step` lies outside the block's [stepFrom, stepTo).
    error DisputeCourtStepOutOfBlock(uint64 step, uint64 stepFrom, uint64 stepTo);

    /// @notice The step record's hash `leaf` is not proven against the block's stepsRoot.
    error DisputeCourtInvalidStepProof(uint256 jobId, uint256 blockIndex, bytes32 leaf);

    /// @notice The record's signature recovers `recovered`, not its worker `worker`.
    error DisputeCourtBadWorkerSignature(address worker, address recovered);

    /// @notice The payout leaf (`worker`, `amount`) is not proven against the block's payoutsRoot.
    error DisputeCourtInvalidPayoutProof(uint256 jobId, uint256 blockIndex, address worker, uint256 amount);

    /// @notice `worker` cannot challenge its own record.
    error DisputeCourtSelfChallenge(address worker);

    /// @notice Record `recordHash` of block `blockIndex` of job `jobId` is under an open dispute or was
    /// already found fraudulent.
    error DisputeCourtAlreadyDisputed(uint256 jobId, uint256 blockIndex, bytes32 recordHash);

    /// @notice No validator is eligible for the committee.
    error DisputeCourtNoCommittee();

    /// @notice There is no dispute `disputeId`.
    error DisputeCourtUnknownDispute(uint256 disputeId);

    /// @notice Dispute `disputeId` is `status`, which does not allow this operation.
    error DisputeCourtWrongStatus(uint256 disputeId, DisputeStatus status);

    /// @notice Dispute `disputeId`'s committee can be drawn only after block `drawBlock`.
    error DisputeCourtDrawTooEarly(uint256 disputeId, uint64 drawBlock);

    /// @notice Dispute `disputeId`'s draw block `drawBlock` is more than 256 blocks old.
    error DisputeCourtDrawExpired(uint256 disputeId, uint64 drawBlock);

    /// @notice `account` is not on dispute `disputeId`'s committee.
    error DisputeCourtNotCommitteeMember(uint256 disputeId, address account);

    /// @notice `account` already voted on dispute `disputeId`.
    error DisputeCourtAlreadyVoted(uint256 disputeId, address account);

    /// @notice Voting on dispute `disputeId` ended at `votingEndsAt`.
    error DisputeCourtVotingClosed(uint256 disputeId, uint64 votingEndsAt);

    /// @notice Dispute `disputeId` is undecided and its voting runs until `votingEndsAt`.
    error DisputeCourtVotingOpen(uint256 disputeId, uint64 votingEndsAt);

    /// @notice (step, stage, replica) of block `blockIndex` of job `jobId` already has an open request.
    error DisputeCourtAlreadyRequested(uint256 jobId, uint256 blockIndex);

    /// @notice There is no data request `requestId`, or it is not Open.
    error DisputeCourtRequestNotOpen(uint256 requestId);

    /// @notice Request `requestId` could be answered only until `deadline`.
    error DisputeCourtDataWindowClosed(uint256 requestId, uint64 deadline);

    /// @notice Request `requestId` can still be answered until `deadline`.
    error DisputeCourtDataWindowOpen(uint256 requestId, uint64 deadline);

    /// @notice The record does not answer request `requestId` (another job, step, stage or replica).
    error DisputeCourtWrongRecord(uint256 requestId);

    /// @notice `worker` was never assigned to job `jobId`.
    error DisputeCourtWorkerNotAssigned(uint256 jobId, address worker);

    /// @notice The signer list does not hash to the one stored for request `requestId`.
    error DisputeCourtSignersMismatch(uint256 requestId);

    /// @notice A zero address was given where a contract address is required.
    error DisputeCourtZeroAddress();

    /// @notice Parameter `name` = `value` lies outside [`min`, `max`].
    error DisputeCourtParamOutOfBounds(string name, uint256 value, uint256 min, uint256 max);

    /* ------------------------------------------------------------------ DISPUTES */

    /// @notice Step 1 of a challenge: records `commitment` =
    /// `challengeCommitment(challenger, jobId, blockIndex, recordHash, salt)` and its block number.
    /// Reveals nothing; anyone may commit.
    function commitChallenge(bytes32 commitment) external;

    /// @notice Step 2: reveals the challenge committed in an earlier block by the caller. Checks the
    /// block against the anchor, the record's inclusion in stepsRoot, the worker's EIP-712 signature
    /// (under the anchor's domain), the payout leaf (unless payoutAmount is 0) and the window (the
    /// block's claimableAt, extended while a data request holds the block); pulls the bond; records
    /// the signers whose mandatory sample held the record; fixes the committee's draw block
    /// DRAW_DELAY blocks ahead. One open dispute per record; several records of a worker may be
    /// disputed at once.
    /// @return disputeId the new dispute's id (ids start at 1)
    function challenge(Evidence calldata evidence) external returns (uint256 disputeId);

    /// @notice Draws dispute `disputeId`'s committee from blockhash(drawBlock), once block.number >
    /// drawBlock and within 256 blocks of it; anyone may call. Up to committeeSize validators with a
    /// signing weight this epoch, without replacement, excluding the worker, the challenger and the
    /// sampled signers.
    function draw(uint256 disputeId) external;

    /// @notice Casts the caller's vote on dispute `disputeId`; committee members only, once, before
    /// the voting window ends.
    /// @param fraud true if re-execution showed the record to be wrong
    function vote(uint256 disputeId, bool fraud) external;

    /// @notice Resolves dispute `disputeId` (anyone): Fraud when more than half of the committee voted
    /// fraud, Rejected when at least half voted valid (both possible as soon as certain); after the
    /// voting window without either, NoQuorum (bond returned, silent members lose reputation); a
    /// dispute whose committee was never drawn within 256 blocks of its draw block is Expired (bond
    /// to the treasury).
    function resolve(uint256 disputeId) external;

    /* ------------------------------------------------------------------ DATA AVAILABILITY */

    /// @notice Demands the record of (`step`, `stage`, `replica`) of the anchored block (`header`,
    /// `signers`) before its claimableAt; pulls the bond; holds the block's claims until answered or
    /// failed. One open request per (block, step, stage, replica).
    /// @return requestId the new request's id (ids start at 1)
    function requestData(
        IPoLAnchor.PoLBlock calldata header,
        address[] calldata signers,
        uint64 step,
        uint32 stage,
        uint32 replica
    ) external returns (uint256 requestId);

    /// @notice Answers request `requestId` (anyone, before its deadline) with a worker-signed record
    /// in the block's stepsRoot, of the requested job and step and either the requested (stage,
    /// replica) or a record showing the request out of range (stage >= stages or replica >=
    /// replicas); its worker must be assigned to the job. The provider gets the requester's bond; the
    /// block's records stay challengeable for DATA_WINDOW more.
    function provideData(
        uint256 requestId,
        StepRecord calldata record,
        bytes calldata signature,
        bytes32[] calldata proof
    ) external;

    /// @notice After the deadline of an unanswered request (anyone): slashes every signer of the
    /// block (`signers`, checked against the request), voids the block (pool and unclaimed signer
    /// fees back to the client) and rewards the requester.
    function resolveData(uint256 requestId, address[] calldata signers) external;

    /* ------------------------------------------------------------------ GOVERNANCE */

    /// @notice Governance: schedules `newParams` (each within its bounds), effective PARAMS_DELAY
    /// from now; a later call replaces a pending schedule. Open disputes keep their own terms.
    function setParams(Params calldata newParams) external;

    /* ------------------------------------------------------------------ VIEWS */

    /// @notice The commitment a challenger posts for a record: keccak256(abi.encode(challenger, jobId,
    /// blockIndex, recordHash, salt)).
    function challengeCommitment(address challenger, uint256 jobId, uint64 blockIndex, bytes32 recordHash, bytes32 salt)
        external
        pure
        returns (bytes32);

    /// @notice The block number at which `commitment` was made (0 if never).
    function commitmentBlock(bytes32 commitment) external view returns (uint256);

    /// @notice The record's EIP-712 hash (its stepsRoot leaf).
    function recordHash(StepRecord calldata record) external pure returns (bytes32);

    /// @notice The digest a worker signs for `record` (the anchor's domain).
    function recordDigest(StepRecord calldata record) external view returns (bytes32);

    /// @notice Dispute `disputeId` (all zero if unknown).
    function getDispute(uint256 disputeId) external view returns (Dispute memory);

    /// @notice Dispute `disputeId`'s committee, in draw order (bit i of voteMask is member i).
    function committee(uint256 disputeId) external view returns (address[] memory);

    /// @notice The signers of dispute `disputeId`'s block whose mandatory sample held the record.
    function sampledSigners(uint256 disputeId) external view returns (address[] memory);

    /// @notice Number of disputes opened; the last dispute id.
    function disputeCount() external view returns (uint256);

    /// @notice Data request `requestId` (all zero if unknown).
    function getDataRequest(uint256 requestId) external view returns (DataRequest memory);

    /// @notice Whether claims from block `blockIndex` of job `jobId` by `worker` must wait: a dispute
    /// against `worker` there is open, or a data request holds the whole block (or held it less than
    /// DATA_WINDOW ago). `worker` = 0 asks about the block only.
    function hasOpenDispute(uint256 jobId, uint256 blockIndex, address worker) external view returns (bool);

    /// @notice Whether the signers' fees of block `blockIndex` of job `jobId` must wait: a dispute on
    /// one of its records or a data request on it is open (or was answered less than DATA_WINDOW ago).
    function feesHeld(uint256 jobId, uint256 blockIndex) external view returns (bool);

    /// @notice Sum of the bonds of open disputes and data requests.
    function totalBonds() external view returns (uint256);

    /// @notice The parameters in effect now.
    function params() external view returns (Params memory);

    /// @notice The scheduled parameters and when they take effect (effectiveAt 0: none pending).
    function pendingParams() external view returns (Params memory pending, uint64 effectiveAt);

    /// @notice The StakeManager (committee, slashing, reputation).
    function stakeManager() external view returns (address);

    /// @notice The PoLAnchor (block commitments, EIP-712 domain).
    function anchor() external view returns (address);

    /// @notice The JobEscrow (windows, assignment, payout voiding, treasury).
    function escrow() external view returns (address);
}
