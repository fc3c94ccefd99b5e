// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IDisputeCourt} from "./interfaces/IDisputeCourt.sol";
import {IStakeManager} from "./interfaces/IStakeManager.sol";
import {IPoLAnchor} from "./interfaces/IPoLAnchor.sol";
import {IJobEscrow} from "./interfaces/IJobEscrow.sol";
import {Leaves} from "./libraries/Leaves.sol";
import {PoL} from "./libraries/PoL.sol";
import {PullPayments} from "./PullPayments.sol";

/// @title DisputeCourt
/// @notice Disputes over worker-signed step records and data-availability requests on anchored blocks.
/// A challenge is committed, then revealed in a later block (nobody can copy evidence that is not
/// public yet); its committee is drawn from the hash of a block mined after the reveal (nobody can
/// grind it). Disputes are keyed by record, so a decoy dispute on another record blocks nothing.
/// On fraud the worker and every signer whose mandatory sample held the record are slashed. The court
/// is the StakeManager's only slasher. TL held here equals the open bonds plus the credited balances.
contract DisputeCourt is IDisputeCourt, Ownable2Step, PullPayments {
    using SafeERC20 for IERC20;

    /* ------------------------------------------------------------------ BOUNDS */

    /// @notice Bounds of `challengeBond` (wei).
    uint256 public constant CHALLENGE_BOND_FLOOR = 1e18;
    uint256 public constant CHALLENGE_BOND_CEIL = 1_000_000e18;
    /// @notice Bounds of `votingWindow` (seconds); the ceiling keeps disputes inside the unbonding floor.
    uint32 public constant VOTING_WINDOW_FLOOR = 60;
    uint32 public constant VOTING_WINDOW_CEIL = 2 days;
    /// @notice Upper bound of `committeeSize` (the vote mask is 64 bits).
    uint16 public constant COMMITTEE_SIZE_CEIL = 64;
    /// @notice Upper bound of `challengerRewardBps`: an accomplice of the worker who challenges first
    /// gets back at most half of the slash.
    uint16 public constant CHALLENGER_REWARD_CEIL_BPS = 5_000;
    /// @notice Blocks between a reveal and the block whose hash draws the committee.
    uint64 public constant DRAW_DELAY = 2;
    /// @notice Blocks after the draw block during which `draw` can still read its hash.
    uint64 public constant DRAW_WINDOW = 256;
    /// @notice Time the signers have to answer a data request; also how long a block's records stay
    /// challengeable after an answer.
    uint64 public constant DATA_WINDOW = 1 days;
    /// @notice Delay between `setParams` and the new parameters taking effect (longer than any
    /// challenge window plus voting window).
    uint64 public constant PARAMS_DELAY = 7 days;

    uint256 private constant BPS = 10_000;
    uint256 private constant OPEN = 1;
    uint256 private constant FRAUD = 2;

    /* ------------------------------------------------------------------ IMMUTABLES */

    IERC20 private immutable _token;
    IStakeManager private immutable _stakeManager;
    IPoLAnchor private immutable _anchor;
    IJobEscrow private immutable _escrow;

    /* ------------------------------------------------------------------ STORAGE */

    /// Per block: open data requests, the end of the grace after an answer, open disputes.
    struct Hold {
        uint64 openRequests;
        uint64 until;
        uint64 openDisputes;
    }

    Params private _params;
    Params private _pending;
    uint64 private _pendingAt;

    uint256 private _disputeCount;
    mapping(uint256 disputeId => Dispute) private _disputes;
    mapping(uint256 disputeId => address[]) private _committees;
    mapping(uint256 disputeId => address[]) private _sampled;
    mapping(bytes32 commitment => uint256 blockNumber) private _commits;
    /// keccak256(jobId, blockIndex, recordHash) => OPEN or FRAUD.
    mapping(bytes32 recordKey => uint256) private _recordState;
    /// keccak256(jobId, blockIndex, worker) => open disputes against the worker there.
    mapping(bytes32 workerKey => uint256) private _openAgainst;
    uint256 private _requestCount;
    mapping(uint256 requestId => DataRequest) private _requests;
    mapping(bytes32 requestKey => bool) private _requestOpen;
    mapping(bytes32 blockKey => Hold) private _holds;
    uint256 private _totalBonds;

    /* ------------------------------------------------------------------ CONSTRUCTOR */

    /// @param token_ the bond token (TL)
    /// @param stakeManager_ committee, slashing, reputation
    /// @param anchor_ block commitments and the EIP-712 domain
    /// @param escrow_ windows, assignment, payout voiding, treasury
    /// @param params_ initial parameters (bounded)
    /// @param owner_ governance
    constructor(
        IERC20 token_,
        IStakeManager stakeManager_,
        IPoLAnchor anchor_,
        IJobEscrow escrow_,
        Params memory params_,
        address owner_
    ) Ownable(owner_) PullPayments(token_) {
        if (
            address(token_) == address(0) || address(stakeManager_) == address(0) || address(anchor_) == address(0)
                || address(escrow_) == address(0)
        ) revert DisputeCourtZeroAddress();
        _validate(params_);
        _token = token_;
        _stakeManager = stakeManager_;
        _anchor = anchor_;
        _escrow = escrow_;
        _params = params_;
        emit ParamsUpdated(Params(0, 0, 0, 0, 0), params_);
    }

    /* ------------------------------------------------------------------ DISPUTES */

    /// @inheritdoc IDisputeCourt
    function commitChallenge(bytes32 commitment) external {
        if (_commits[commitment] != 0) revert DisputeCourtAlreadyCommitted(commitment);
        _commits[commitment] = block.number;
        emit ChallengeCommitted(commitment, msg.sender);
    }

    /// @inheritdoc IDisputeCourt
    function challenge(Evidence calldata evidence) external nonReentrant returns (uint256 disputeId) {
        IPoLAnchor.PoLBlock calldata header = evidence.header;
        StepRecord calldata record = evidence.record;
        bytes32 leaf = PoL.recordHash(record);
        _consumeCommitment(header.jobId, header.index, leaf, evidence.salt);
        _checkEvidence(evidence, leaf);

        bytes32 recordKey = keccak256(abi.encode(header.jobId, header.index, leaf));
        if (_recordState[recordKey] != 0) revert DisputeCourtAlreadyDisputed(header.jobId, header.index, leaf);
        Params memory p = _effectiveParams();
        // Deposit: pull the bond before recording the dispute.
        _token.safeTransferFrom(msg.sender, address(this), p.challengeBond);
        _recordState[recordKey] = OPEN;
        _openAgainst[_workerKey(header.jobId, header.index, record.worker)] += 1;
        _holds[_blockKey(header.jobId, header.index)].openDisputes += 1;
        _totalBonds += p.challengeBond;
        disputeId = ++_disputeCount;
        _store(disputeId, evidence, leaf, p);
        address[] memory sampled = _sampleSigners(
            disputeId, header.randomness, evidence.signers, leaf, _escrow.getJob(header.jobId).verifyRatePpm
        );
        Dispute storage d = _disputes[disputeId];
        emit DisputeOpened(
            disputeId,
            header.jobId,
            header.index,
            record.worker,
            msg.sender,
            record.step,
            leaf,
            p.challengeBond,
            d.drawBlock,
            sampled
        );
    }

    /// @inheritdoc IDisputeCourt
    function draw(uint256 disputeId) external {
        Dispute storage d = _dispute(disputeId, DisputeStatus.Drawing);
        uint64 drawBlock = d.drawBlock;
        if (block.number <= drawBlock) revert DisputeCourtDrawTooEarly(disputeId, drawBlock);
        if (block.number - drawBlock > DRAW_WINDOW) revert DisputeCourtDrawExpired(disputeId, drawBlock);
        uint256 seed = uint256(keccak256(abi.encode(blockhash(drawBlock), disputeId, d.recordHash)));
        address[] memory members = _drawCommittee(seed, d.worker, d.challenger, _sampled[disputeId], d.committeeSize);
        _committees[disputeId] = members;
        uint64 votingEndsAt = uint64(block.timestamp) + d.votingWindow;
        d.status = DisputeStatus.Voting;
        d.votingEndsAt = votingEndsAt;
        emit CommitteeDrawn(disputeId, members, votingEndsAt);
    }

    /// @inheritdoc IDisputeCourt
    function vote(uint256 disputeId, bool fraud) external {
        Dispute storage d = _dispute(disputeId, DisputeStatus.Voting);
        if (block.timestamp >= d.votingEndsAt) revert DisputeCourtVotingClosed(disputeId, d.votingEndsAt);
        address[] storage members = _committees[disputeId];
        uint256 len = members.length;
        uint256 seat = len;
        // Bounded by committeeSize (<= 64).
        for (uint256 i = 0; i < len; ++i) {
            if (members[i] == msg.sender) {
                seat = i;
                break;
            }
        }
        if (seat == len) revert DisputeCourtNotCommitteeMember(disputeId, msg.sender);
        uint64 bit = uint64(1 << seat); // seat < committee size <= 64
        if (d.voteMask & bit != 0) revert DisputeCourtAlreadyVoted(disputeId, msg.sender);
        d.voteMask |= bit;
        if (fraud) d.fraudVotes += 1;
        else d.validVotes += 1;
        emit Voted(disputeId, msg.sender, fraud);
    }

    /// @inheritdoc IDisputeCourt
    function resolve(uint256 disputeId) external nonReentrant {
        Dispute storage d = _disputes[disputeId];
        DisputeStatus status = d.status;
        if (status == DisputeStatus.None) revert DisputeCourtUnknownDispute(disputeId);
        DisputeStatus outcome;
        if (status == DisputeStatus.Drawing) {
            if (block.number <= uint256(d.drawBlock) + DRAW_WINDOW) {
                revert DisputeCourtWrongStatus(disputeId, status);
            }
            outcome = DisputeStatus.Expired;
        } else if (status == DisputeStatus.Voting) {
            uint256 size = _committees[disputeId].length;
            if (uint256(d.fraudVotes) * 2 > size) {
                outcome = DisputeStatus.Fraud;
            } else if (uint256(d.validVotes) * 2 >= size) {
                outcome = DisputeStatus.Rejected;
            } else if (block.timestamp < d.votingEndsAt) {
                revert DisputeCourtVotingOpen(disputeId, d.votingEndsAt);
            } else {
                outcome = DisputeStatus.NoQuorum;
            }
        } else {
            revert DisputeCourtWrongStatus(disputeId, status);
        }
        d.status = outcome;
        uint256 bond = d.bond;
        _totalBonds -= bond;
        _openAgainst[_workerKey(d.jobId, d.blockIndex, d.worker)] -= 1;
        _holds[_blockKey(d.jobId, d.blockIndex)].openDisputes -= 1;
        bytes32 recordKey = keccak256(abi.encode(d.jobId, d.blockIndex, d.recordHash));
        if (outcome == DisputeStatus.Fraud) {
            _recordState[recordKey] = FRAUD;
            _resolveFraud(disputeId, d);
            return;
        }
        // Not fraud: the record can be disputed again (by anyone, inside its window).
        delete _recordState[recordKey];
        if (outcome == DisputeStatus.NoQuorum) {
            // The challenger did nothing wrong: the committee failed. Its silent members pay in
            // reputation (bounded by committeeSize).
            _credit(d.challenger, bond);
            address[] storage members = _committees[disputeId];
            uint64 mask = d.voteMask;
            for (uint256 i = 0; i < members.length; ++i) {
                if (mask & (uint64(1) << uint64(i)) == 0) _stakeManager.recordMissedVote(members[i]);
            }
        } else {
            _credit(_escrow.treasury(), bond);
        }
        emit DisputeResolved(disputeId, outcome, 0, 0, 0);
    }

    /* ------------------------------------------------------------------ DATA AVAILABILITY */

    /// @inheritdoc IDisputeCourt
    function requestData(
        IPoLAnchor.PoLBlock calldata header,
        address[] calldata signers,
        uint64 step,
        uint32 stage,
        uint32 replica
    ) external nonReentrant returns (uint256 requestId) {
        uint256 jobId = header.jobId;
        _anchor.checkBlock(header, signers);
        uint256 closedAt = _escrow.claimableAt(jobId, header.index);
        if (block.timestamp >= closedAt) revert DisputeCourtChallengeWindowClosed(jobId, header.index, closedAt);
        if (step < header.stepFrom || step >= header.stepTo) {
            revert DisputeCourtStepOutOfBlock(step, header.stepFrom, header.stepTo);
        }
        bytes32 requestKey = keccak256(abi.encode(jobId, header.index, step, stage, replica));
        if (_requestOpen[requestKey]) revert DisputeCourtAlreadyRequested(jobId, header.index);
        Params memory p = _effectiveParams();
        _token.safeTransferFrom(msg.sender, address(this), p.challengeBond);
        _requestOpen[requestKey] = true;
        _totalBonds += p.challengeBond;
        _holds[_blockKey(jobId, header.index)].openRequests += 1;
        requestId = ++_requestCount;
        uint64 deadline = uint64(block.timestamp) + DATA_WINDOW;
        _requests[requestId] = DataRequest({
            jobId: jobId,
            blockIndex: header.index,
            step: step,
            stage: stage,
            replica: replica,
            requester: msg.sender,
            status: RequestStatus.Open,
            deadline: deadline,
            challengerRewardBps: p.challengerRewardBps,
            slashBps: p.slashBps,
            bond: p.challengeBond,
            stepsRoot: header.stepsRoot,
            signersHash: PoL.signersHash(signers)
        });
        emit DataRequested(requestId, jobId, header.index, msg.sender, step, stage, replica, deadline);
    }

    /// @inheritdoc IDisputeCourt
    function provideData(
        uint256 requestId,
        StepRecord calldata record,
        bytes calldata signature,
        bytes32[] calldata proof
    ) external nonReentrant {
        DataRequest storage r = _openRequest(requestId);
        if (block.timestamp >= r.deadline) revert DisputeCourtDataWindowClosed(requestId, r.deadline);
        bool sameSlot = record.stage == r.stage && record.replica == r.replica;
        bool outOfRange = r.stage >= record.stages || r.replica >= record.replicas;
        if (record.jobId != r.jobId || record.step != r.step || !(sameSlot || outOfRange)) {
            revert DisputeCourtWrongRecord(requestId);
        }
        bytes32 leaf = PoL.recordHash(record);
        if (!MerkleProof.verifyCalldata(proof, r.stepsRoot, leaf)) {
            revert DisputeCourtInvalidStepProof(r.jobId, r.blockIndex, leaf);
        }
        _checkWorkerSignature(leaf, record.worker, signature);
        if (!_escrow.isAssigned(r.jobId, record.worker)) revert DisputeCourtWorkerNotAssigned(r.jobId, record.worker);

        r.status = RequestStatus.Answered;
        _closeRequest(r);
        Hold storage hold = _holds[_blockKey(r.jobId, r.blockIndex)];
        uint64 until = uint64(block.timestamp) + DATA_WINDOW;
        if (hold.until < until) hold.until = until;
        emit DataProvided(requestId, leaf, msg.sender);
        // The provider paid for publishing; the requester asked for data that was there.
        _credit(msg.sender, r.bond);
    }

    /// @inheritdoc IDisputeCourt
    function resolveData(uint256 requestId, address[] calldata signers) external nonReentrant {
        DataRequest storage r = _openRequest(requestId);
        if (block.timestamp < r.deadline) revert DisputeCourtDataWindowOpen(requestId, r.deadline);
        if (PoL.signersHash(signers) != r.signersHash) revert DisputeCourtSignersMismatch(requestId);
        r.status = RequestStatus.Failed;
        _closeRequest(r);
        uint256 slashed = 0;
        // Bounded by the anchor's signature limit (maxValidators).
        for (uint256 i = 0; i < signers.length; ++i) {
            slashed += _stakeManager.slash(signers[i], r.slashBps);
        }
        uint256 refund = _escrow.voidBlock(r.jobId, r.blockIndex, signers);
        uint256 reward = slashed * r.challengerRewardBps / BPS;
        _credit(r.requester, r.bond + reward);
        _credit(_escrow.treasury(), slashed - reward);
        emit DataRequestFailed(requestId, slashed, reward, refund);
    }

    /* ------------------------------------------------------------------ GOVERNANCE */

    /// @inheritdoc IDisputeCourt
    function setParams(Params calldata newParams) external onlyOwner {
        _validate(newParams);
        Params memory current = _effectiveParams();
        _params = current;
        _pending = newParams;
        uint64 effectiveAt = uint64(block.timestamp) + PARAMS_DELAY;
        _pendingAt = effectiveAt;
        emit ParamsScheduled(newParams, effectiveAt);
    }

    /* ------------------------------------------------------------------ VIEWS */

    /// @inheritdoc IDisputeCourt
    function challengeCommitment(
        address challenger,
        uint256 jobId,
        uint64 blockIndex,
        bytes32 recordHash_,
        bytes32 salt
    ) public pure returns (bytes32) {
        return keccak256(abi.encode(challenger, jobId, blockIndex, recordHash_, salt));
    }

    /// @inheritdoc IDisputeCourt
    function commitmentBlock(bytes32 commitment) external view returns (uint256) {
        return _commits[commitment];
    }

    /// @inheritdoc IDisputeCourt
    function recordHash(StepRecord calldata record) external pure returns (bytes32) {
        return PoL.recordHash(record);
    }

    /// @inheritdoc IDisputeCourt
    function recordDigest(StepRecord calldata record) external view returns (bytes32) {
        return PoL.digest(_anchor.domainSeparator(), PoL.recordHash(record));
    }

    /// @inheritdoc IDisputeCourt
    function getDispute(uint256 disputeId) external view returns (Dispute memory) {
        return _disputes[disputeId];
    }

    /// @inheritdoc IDisputeCourt
    function committee(uint256 disputeId) external view returns (address[] memory) {
        return _committees[disputeId];
    }

    /// @inheritdoc IDisputeCourt
    function sampledSigners(uint256 disputeId) external view returns (address[] memory) {
        return _sampled[disputeId];
    }

    /// @inheritdoc IDisputeCourt
    function disputeCount() external view returns (uint256) {
        return _disputeCount;
    }

    /// @inheritdoc IDisputeCourt
    function getDataRequest(uint256 requestId) external view returns (DataRequest memory) {
        return _requests[requestId];
    }

    /// @inheritdoc IDisputeCourt
    function hasOpenDispute(uint256 jobId, uint256 blockIndex, address worker) external view returns (bool) {
        Hold memory hold = _holds[_blockKey(jobId, blockIndex)];
        if (hold.openRequests != 0 || block.timestamp < hold.until) return true;
        return worker != address(0) && _openAgainst[_workerKey(jobId, blockIndex, worker)] != 0;
    }

    /// @inheritdoc IDisputeCourt
    function feesHeld(uint256 jobId, uint256 blockIndex) external view returns (bool) {
        Hold memory hold = _holds[_blockKey(jobId, blockIndex)];
        return hold.openRequests != 0 || hold.openDisputes != 0 || block.timestamp < hold.until;
    }

    /// @inheritdoc IDisputeCourt
    function totalBonds() external view returns (uint256) {
        return _totalBonds;
    }

    /// @inheritdoc IDisputeCourt
    function params() external view returns (Params memory) {
        return _effectiveParams();
    }

    /// @inheritdoc IDisputeCourt
    function pendingParams() external view returns (Params memory pending, uint64 effectiveAt) {
        if (_pendingAt == 0 || block.timestamp >= _pendingAt) return (Params(0, 0, 0, 0, 0), 0);
        return (_pending, _pendingAt);
    }

    /// @inheritdoc IDisputeCourt
    function stakeManager() external view returns (address) {
        return address(_stakeManager);
    }

    /// @inheritdoc IDisputeCourt
    function anchor() external view returns (address) {
        return address(_anchor);
    }

    /// @inheritdoc IDisputeCourt
    function escrow() external view returns (address) {
        return address(_escrow);
    }

    /* ------------------------------------------------------------------ INTERNAL: CHALLENGES */

    /// The reveal must match a commitment by the caller mined in an earlier block; it is used up.
    function _consumeCommitment(uint256 jobId, uint64 blockIndex, bytes32 leaf, bytes32 salt) private {
        bytes32 commitment = challengeCommitment(msg.sender, jobId, blockIndex, leaf, salt);
        uint256 at = _commits[commitment];
        if (at == 0 || at >= block.number) revert DisputeCourtNoCommitment(commitment);
        // A used commitment can never be reused (nor re-committed: the slot stays non-zero).
        _commits[commitment] = type(uint256).max;
    }

    /// Checks the block, the window, the record's place, proof and signature, and the payout leaf.
    function _checkEvidence(Evidence calldata evidence, bytes32 leaf) private view {
        IPoLAnchor.PoLBlock calldata header = evidence.header;
        StepRecord calldata record = evidence.record;
        if (record.jobId != header.jobId) revert DisputeCourtJobMismatch(header.jobId, record.jobId);
        if (record.worker == msg.sender) revert DisputeCourtSelfChallenge(msg.sender);
        if (record.step < header.stepFrom || record.step >= header.stepTo) {
            revert DisputeCourtStepOutOfBlock(record.step, header.stepFrom, header.stepTo);
        }
        _anchor.checkBlock(header, evidence.signers);
        _checkWindow(header.jobId, header.index);
        if (!MerkleProof.verifyCalldata(evidence.stepProof, header.stepsRoot, leaf)) {
            revert DisputeCourtInvalidStepProof(header.jobId, header.index, leaf);
        }
        _checkWorkerSignature(leaf, record.worker, evidence.signature);
        uint256 amount = evidence.payoutAmount;
        if (
            amount != 0
                && !MerkleProof.verifyCalldata(
                    evidence.payoutProof, header.payoutsRoot, Leaves.payout(record.worker, amount)
                )
        ) revert DisputeCourtInvalidPayoutProof(header.jobId, header.index, record.worker, amount);
    }

    /// Open until the block's claimableAt, and while a data request holds it (or held it recently).
    function _checkWindow(uint256 jobId, uint64 blockIndex) private view {
        uint256 closedAt = _escrow.claimableAt(jobId, blockIndex);
        if (block.timestamp < closedAt) return;
        Hold memory hold = _holds[_blockKey(jobId, blockIndex)];
        if (hold.openRequests != 0) return;
        if (block.timestamp < hold.until) return;
        revert DisputeCourtChallengeWindowClosed(jobId, blockIndex, closedAt > hold.until ? closedAt : hold.until);
    }

    function _checkWorkerSignature(bytes32 leaf, address worker, bytes calldata signature) private view {
        (address recovered, ECDSA.RecoverError err,) =
            ECDSA.tryRecover(PoL.digest(_anchor.domainSeparator(), leaf), signature);
        if (err != ECDSA.RecoverError.NoError || recovered != worker) {
            revert DisputeCourtBadWorkerSignature(worker, recovered);
        }
    }

    function _store(uint256 disputeId, Evidence calldata evidence, bytes32 leaf, Params memory p) private {
        Dispute storage d = _disputes[disputeId];
        d.jobId = evidence.header.jobId;
        d.blockIndex = evidence.header.index;
        d.step = evidence.record.step;
        d.worker = evidence.record.worker;
        d.challenger = msg.sender;
        d.status = DisputeStatus.Drawing;
        d.drawBlock = uint64(block.number) + DRAW_DELAY;
        d.committeeSize = p.committeeSize;
        d.challengerRewardBps = p.challengerRewardBps;
        d.slashBps = p.slashBps;
        d.votingWindow = p.votingWindow;
        // The anchor caps signatures at maxValidators <= 64.
        d.signerCount = uint16(evidence.signers.length);
        d.bond = p.challengeBond;
        d.payoutAmount = evidence.payoutAmount;
        d.recordHash = leaf;
    }

    /// Stores the block's signers whose mandatory sample held `leaf` (bounded by the signer list,
    /// which the anchor caps at maxValidators).
    function _sampleSigners(
        uint256 disputeId,
        bytes32 randomness,
        address[] calldata signers,
        bytes32 leaf,
        uint256 ratePpm
    ) private returns (address[] memory sampled) {
        address[] storage stored = _sampled[disputeId];
        for (uint256 i = 0; i < signers.length; ++i) {
            if (PoL.isSampled(randomness, signers[i], leaf, ratePpm)) stored.push(signers[i]);
        }
        sampled = stored;
    }

    /// Fraud: slash the worker and the sampled signers, pay the challenger, void the payout.
    function _resolveFraud(uint256 disputeId, Dispute storage d) private {
        uint256 bps = d.slashBps;
        uint256 slashed = _stakeManager.slash(d.worker, bps);
        address[] storage sampled = _sampled[disputeId];
        // Bounded by the block's signer count (<= maxValidators).
        for (uint256 i = 0; i < sampled.length; ++i) {
            slashed += _stakeManager.slash(sampled[i], bps);
        }
        uint256 reward = slashed * d.challengerRewardBps / BPS;
        _credit(d.challenger, d.bond + reward);
        _credit(_escrow.treasury(), slashed - reward);
        uint256 voided = _escrow.voidPayout(d.jobId, d.blockIndex, d.worker, d.payoutAmount);
        // Signers that were obliged to check the record are not paid for signing it.
        if (sampled.length != 0) voided += _escrow.voidFees(d.jobId, d.blockIndex, sampled, d.signerCount);
        emit DisputeResolved(disputeId, DisputeStatus.Fraud, slashed, reward, voided);
    }

    /// Draws up to `size` members from the validators with a signing weight this epoch, without
    /// replacement (a partial Fisher-Yates shuffle over an in-memory copy), skipping the worker, the
    /// challenger and the sampled signers. Bounded by maxValidators x sampled signers (<= 64 x 64).
    function _drawCommittee(uint256 seed, address worker, address challenger, address[] storage excluded, uint256 size)
        private
        view
        returns (address[] memory members)
    {
        (, address[] memory pool,,) = _stakeManager.activeSnapshot();
        address[] memory skip = excluded;
        uint256 n = pool.length;
        for (uint256 i = 0; i < n;) {
            if (_isExcluded(pool[i], worker, challenger, skip)) {
                --n;
                (pool[i], pool[n]) = (pool[n], pool[i]);
            } else {
                ++i;
            }
        }
        if (n == 0) revert DisputeCourtNoCommittee();
        if (size > n) size = n;
        members = new address[](size);
        for (uint256 i = 0; i < size; ++i) {
            uint256 j = i + uint256(keccak256(abi.encode(seed, i))) % (n - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
            members[i] = pool[i];
        }
    }

    function _isExcluded(address a, address worker, address challenger, address[] memory skip)
        private
        pure
        returns (bool)
    {
        if (a == worker || a == challenger) return true;
        for (uint256 k = 0; k < skip.length; ++k) {
            if (skip[k] == a) return true;
        }
        return false;
    }

    /* ------------------------------------------------------------------ INTERNAL: HELPERS */

    function _dispute(uint256 disputeId, DisputeStatus expected) private view returns (Dispute storage d) {
        d = _disputes[disputeId];
        DisputeStatus status = d.status;
        if (status == DisputeStatus.None) revert DisputeCourtUnknownDispute(disputeId);
        if (status != expected) revert DisputeCourtWrongStatus(disputeId, status);
    }

    function _openRequest(uint256 requestId) private view returns (DataRequest storage r) {
        r = _requests[requestId];
        if (r.status != RequestStatus.Open) revert DisputeCourtRequestNotOpen(requestId);
    }

    function _closeRequest(DataRequest storage r) private {
        delete _requestOpen[keccak256(abi.encode(r.jobId, r.blockIndex, r.step, r.stage, r.replica))];
        _holds[_blockKey(r.jobId, r.blockIndex)].openRequests -= 1;
        _totalBonds -= r.bond;
    }

    function _effectiveParams() private view returns (Params memory) {
        uint64 at = _pendingAt;
        if (at != 0 && block.timestamp >= at) return _pending;
        return _params;
    }

    function _workerKey(uint256 jobId, uint256 blockIndex, address worker) private pure returns (bytes32) {
        return keccak256(abi.encode(jobId, blockIndex, worker));
    }

    function _blockKey(uint256 jobId, uint256 blockIndex) private pure returns (bytes32) {
        return keccak256(abi.encode(jobId, blockIndex));
    }

    function _validate(Params memory p) private pure {
        _checkBounds("challengeBond", p.challengeBond, CHALLENGE_BOND_FLOOR, CHALLENGE_BOND_CEIL);
        _checkBounds("votingWindow", p.votingWindow, VOTING_WINDOW_FLOOR, VOTING_WINDOW_CEIL);
        _checkBounds("committeeSize", p.committeeSize, 1, COMMITTEE_SIZE_CEIL);
        _checkBounds("challengerRewardBps", p.challengerRewardBps, 0, CHALLENGER_REWARD_CEIL_BPS);
        _checkBounds("slashBps", p.slashBps, 1, BPS);
    }

    function _checkBounds(string memory name, uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert DisputeCourtParamOutOfBounds(name, value, min, max);
    }
}
