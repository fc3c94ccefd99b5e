// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IDisputeCourt} from "./interfaces/IDisputeCourt.sol";
import {IStakeManager} from "./interfaces/IStakeManager.sol";
import {IPoLAnchor} from "./interfaces/IPoLAnchor.sol";
import {IJobEscrow} from "./interfaces/IJobEscrow.sol";
import {Leaves} from "./libraries/Leaves.sol";

/// @title DisputeCourt
/// @notice Disputes over step records. The committee is drawn, without replacement, from the current
/// epoch's validator snapshot with a seed mixing `block.prevrandao`, the dispute id and the record
/// leaf; the accused worker and the challenger are excluded. Fraud needs more than half of the
/// committee. The court is the StakeManager's only slasher. TL held here equals the open bonds plus
/// the credited balances.
contract DisputeCourt is IDisputeCourt, Ownable2Step, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /* ------------------------------------------------------------------ BOUNDS */

    /// @notice Bounds of `challengeBond` (wei).
    uint256 public constant CHALLENGE_BOND_FLOOR = 1e18;
    uint256 public constant CHALLENGE_BOND_CEIL = 1_000_000e18;
    /// @notice Bounds of `votingWindow` (seconds).
    uint32 public constant VOTING_WINDOW_FLOOR = 60;
    uint32 public constant VOTING_WINDOW_CEIL = 30 days;
    /// @notice Upper bound of `committeeSize` (the vote mask is 64 bits).
    uint16 public constant COMMITTEE_SIZE_CEIL = 64;

    uint256 private constant BPS = 10_000;

    /* ------------------------------------------------------------------ IMMUTABLES */

    IERC20 private immutable _token;
    IStakeManager private immutable _stakeManager;
    IPoLAnchor private immutable _anchor;
    IJobEscrow private immutable _escrow;

    /* ------------------------------------------------------------------ STORAGE */

    Params private _params;
    uint256 private _disputeCount;
    mapping(uint256 disputeId => Dispute) private _disputes;
    mapping(uint256 disputeId => address[]) private _committees;
    /// keccak256(jobId, blockIndex, worker) => 1 open, 2 fraud found.
    mapping(bytes32 leafKey => uint256) private _leafState;
    mapping(address account => uint256) private _credits;
    uint256 private _totalCredits;
    uint256 private _totalBonds;

    uint256 private constant OPEN = 1;
    uint256 private constant FRAUD = 2;

    /* ------------------------------------------------------------------ CONSTRUCTOR */

    /// @param token_ the bond token (TL)
    /// @param stakeManager_ challenger stake, committee snapshot, slashing
    /// @param anchor_ anchored block roots
    /// @param escrow_ challenge windows, payout voiding, treasury
    /// @param params_ initial parameters (bounded)
    /// @param owner_ governance
    constructor(
        IERC20 token_,
        IStakeManager stakeManager_,
        IPoLAnchor anchor_,
        IJobEscrow escrow_,
        Params memory params_,
        address owner_
    ) Ownable(owner_) {
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
    function challenge(
        uint256 jobId,
        uint64 blockIndex,
        StepRecord calldata record,
        bytes32[] calldata stepProof,
        uint256 payoutAmount,
        bytes32[] calldata payoutProof
    ) external nonReentrant returns (uint256 disputeId) {
        bytes32 leaf = _checkEvidence(jobId, blockIndex, record, stepProof, payoutAmount, payoutProof);
        bytes32 key = _leafKey(jobId, blockIndex, record.worker);
        if (_leafState[key] != 0) revert DisputeCourtAlreadyDisputed(jobId, blockIndex, record.worker);

        uint256 bond = _params.challengeBond;
        // Deposit: pull the bond before recording the dispute.
        _token.safeTransferFrom(msg.sender, address(this), bond);
        _leafState[key] = OPEN;
        _totalBonds += bond;
        disputeId = _open(jobId, blockIndex, record, payoutAmount, leaf, bond);
    }

    /// @inheritdoc IDisputeCourt
    function vote(uint256 disputeId, bool fraud) external {
        Dispute storage d = _openDispute(disputeId);
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
        Dispute storage d = _openDispute(disputeId);
        uint256 size = _committees[disputeId].length;
        bool fraud = uint256(d.fraudVotes) * 2 > size;
        bool decided = fraud || uint256(d.validVotes) * 2 >= size;
        if (!decided && block.timestamp < d.votingEndsAt) revert DisputeCourtVotingOpen(disputeId, d.votingEndsAt);

        bytes32 key = _leafKey(d.jobId, d.blockIndex, d.worker);
        uint256 bond = d.bond;
        _totalBonds -= bond;
        address treasury = _escrow.treasury();
        if (!fraud) {
            d.status = DisputeStatus.Rejected;
            delete _leafState[key];
            _credit(treasury, bond);
            emit DisputeResolved(disputeId, false, 0, 0, 0);
            return;
        }
        d.status = DisputeStatus.Fraud;
        _leafState[key] = FRAUD;
        // The StakeManager transfers the slashed TL here; both calls go to trusted suite contracts.
        uint256 slashed = _stakeManager.slash(d.worker, _params.slashBps);
        uint256 reward = slashed * _params.challengerRewardBps / BPS;
        _credit(d.challenger, bond + reward);
        _credit(treasury, slashed - reward);
        uint256 voided = _escrow.voidPayout(d.jobId, d.blockIndex, d.worker, d.payoutAmount);
        emit DisputeResolved(disputeId, true, slashed, reward, voided);
    }

    /// @inheritdoc IDisputeCourt
    function withdraw() external nonReentrant {
        uint256 amount = _credits[msg.sender];
        if (amount == 0) revert DisputeCourtNothingToWithdraw(msg.sender);
        _credits[msg.sender] = 0;
        _totalCredits -= amount;
        emit Withdrawn(msg.sender, amount);
        _token.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc IDisputeCourt
    function setParams(Params calldata newParams) external onlyOwner {
        _validate(newParams);
        Params memory old = _params;
        _params = newParams;
        emit ParamsUpdated(old, newParams);
    }

    /* ------------------------------------------------------------------ VIEWS */

    /// @inheritdoc IDisputeCourt
    function getDispute(uint256 disputeId) external view returns (Dispute memory) {
        return _disputes[disputeId];
    }

    /// @inheritdoc IDisputeCourt
    function committee(uint256 disputeId) external view returns (address[] memory) {
        return _committees[disputeId];
    }

    /// @inheritdoc IDisputeCourt
    function disputeCount() external view returns (uint256) {
        return _disputeCount;
    }

    /// @inheritdoc IDisputeCourt
    function hasOpenDispute(uint256 jobId, uint256 blockIndex, address worker) external view returns (bool) {
        return _leafState[_leafKey(jobId, blockIndex, worker)] == OPEN;
    }

    /// @inheritdoc IDisputeCourt
    function creditOf(address account) external view returns (uint256) {
        return _credits[account];
    }

    /// @inheritdoc IDisputeCourt
    function totalCredits() external view returns (uint256) {
        return _totalCredits;
    }

    /// @inheritdoc IDisputeCourt
    function totalBonds() external view returns (uint256) {
        return _totalBonds;
    }

    /// @inheritdoc IDisputeCourt
    function params() external view returns (Params memory) {
        return _params;
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

    /* ------------------------------------------------------------------ INTERNAL */

    /// Checks the challenger and the evidence; returns the record's leaf.
    function _checkEvidence(
        uint256 jobId,
        uint64 blockIndex,
        StepRecord calldata record,
        bytes32[] calldata stepProof,
        uint256 payoutAmount,
        bytes32[] calldata payoutProof
    ) private view returns (bytes32 leaf) {
        if (record.jobId != jobId) revert DisputeCourtJobMismatch(jobId, record.jobId);
        if (record.worker == msg.sender) revert DisputeCourtSelfChallenge(msg.sender);
        uint256 minStake = _stakeManager.params().minWorkerStake;
        uint256 staked = _stakeManager.stakeOf(msg.sender);
        if (staked < minStake) revert DisputeCourtInsufficientStake(msg.sender, staked, minStake);

        IPoLAnchor.AnchoredBlock memory blk = _anchor.getBlock(jobId, blockIndex);
        if (blk.anchoredAt == 0) revert DisputeCourtBlockNotAnchored(jobId, blockIndex);
        uint256 closedAt = _escrow.claimableAt(jobId, blockIndex);
        if (block.timestamp >= closedAt) revert DisputeCourtChallengeWindowClosed(jobId, blockIndex, closedAt);
        leaf = Leaves.step(record);
        if (!MerkleProof.verifyCalldata(stepProof, blk.stepsRoot, leaf)) {
            revert DisputeCourtInvalidStepProof(jobId, blockIndex, leaf);
        }
        if (!MerkleProof.verifyCalldata(payoutProof, blk.payoutsRoot, Leaves.payout(record.worker, payoutAmount))) {
            revert DisputeCourtInvalidPayoutProof(jobId, blockIndex, record.worker, payoutAmount);
        }
    }

    /// Records a new dispute and its committee.
    function _open(
        uint256 jobId,
        uint64 blockIndex,
        StepRecord calldata record,
        uint256 payoutAmount,
        bytes32 leaf,
        uint256 bond
    ) private returns (uint256 disputeId) {
        disputeId = ++_disputeCount;
        address[] memory members = _drawCommittee(disputeId, leaf, record.worker);
        _committees[disputeId] = members;
        uint64 votingEndsAt = uint64(block.timestamp) + _params.votingWindow;
        _disputes[disputeId] = Dispute({
            jobId: jobId,
            blockIndex: blockIndex,
            step: record.step,
            worker: record.worker,
            challenger: msg.sender,
            status: DisputeStatus.Open,
            votingEndsAt: votingEndsAt,
            fraudVotes: 0,
            validVotes: 0,
            voteMask: 0,
            bond: bond,
            payoutAmount: payoutAmount,
            stepLeaf: leaf
        });
        emit DisputeOpened(
            disputeId, jobId, blockIndex, record.worker, msg.sender, record.step, bond, members, votingEndsAt
        );
    }

    function _openDispute(uint256 disputeId) private view returns (Dispute storage d) {
        d = _disputes[disputeId];
        DisputeStatus status = d.status;
        if (status == DisputeStatus.None) revert DisputeCourtUnknownDispute(disputeId);
        if (status != DisputeStatus.Open) revert DisputeCourtNotOpen(disputeId, status);
    }

    /// Draws up to committeeSize members from the snapshot without replacement (a partial
    /// Fisher-Yates shuffle over an in-memory copy), skipping the accused worker and the challenger.
    /// Bounded by the snapshot size (<= maxValidators).
    function _drawCommittee(uint256 disputeId, bytes32 leaf, address worker)
        private
        view
        returns (address[] memory members)
    {
        (, address[] memory pool,,) = _stakeManager.activeSnapshot();
        uint256 n = pool.length;
        // Move the excluded addresses out of the candidate range first.
        for (uint256 i = 0; i < n;) {
            if (pool[i] == worker || pool[i] == msg.sender) {
                --n;
                (pool[i], pool[n]) = (pool[n], pool[i]);
            } else {
                ++i;
            }
        }
        if (n == 0) revert DisputeCourtNoCommittee();
        uint256 size = _params.committeeSize;
        if (size > n) size = n;
        members = new address[](size);
        uint256 seed = uint256(keccak256(abi.encode(block.prevrandao, disputeId, leaf)));
        for (uint256 i = 0; i < size; ++i) {
            uint256 j = i + uint256(keccak256(abi.encode(seed, i))) % (n - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
            members[i] = pool[i];
        }
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
        _checkBounds("challengeBond", p.challengeBond, CHALLENGE_BOND_FLOOR, CHALLENGE_BOND_CEIL);
        _checkBounds("votingWindow", p.votingWindow, VOTING_WINDOW_FLOOR, VOTING_WINDOW_CEIL);
        _checkBounds("committeeSize", p.committeeSize, 1, COMMITTEE_SIZE_CEIL);
        _checkBounds("challengerRewardBps", p.challengerRewardBps, 0, BPS);
        _checkBounds("slashBps", p.slashBps, 1, BPS);
    }

    function _checkBounds(string memory name, uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert DisputeCourtParamOutOfBounds(name, value, min, max);
    }
}
