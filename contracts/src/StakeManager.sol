// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IStakeManager} from "./interfaces/IStakeManager.sol";

/// @title StakeManager
/// @notice Holds TL stake for validators and workers. The live active set is the top `maxValidators`
/// registered validators by stake, kept with bounded work: an unordered array capped at
/// `maxValidators`, where a newcomer displaces the smallest member only if it stakes strictly more.
/// A member whose stake falls stays in place until it drops below `minValidatorStake`; a registered
/// outsider that now outweighs it takes the seat on its next `stake` or `registerValidator` call.
/// Epoch snapshots are lazy and O(1): each validator (and the total) has one checkpoint slot holding
/// its active stake at the start of the epoch of its last change and its active stake now; the
/// signing weight in an epoch is the smaller of the two. No operation copies the set. Raising
/// `minValidatorStake` evicts a member only when its stake next changes.
contract StakeManager is IStakeManager, Ownable2Step, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /* ------------------------------------------------------------------ BOUNDS */

    /// @notice Bounds of `minValidatorStake` (wei).
    uint256 public constant MIN_VALIDATOR_STAKE_FLOOR = 1e18;
    uint256 public constant MIN_VALIDATOR_STAKE_CEIL = 10_000_000e18;
    /// @notice Bounds of `minWorkerStake` (wei).
    uint256 public constant MIN_WORKER_STAKE_FLOOR = 1e18;
    uint256 public constant MIN_WORKER_STAKE_CEIL = 1_000_000e18;
    /// @notice Bounds of `unbondingPeriod` (seconds).
    /// The floor exceeds the longest possible dispute life (anchoring lag of 256 blocks + challenge
    /// window <= 2 days + data window of 1 day + draw <= 257 blocks + voting window <= 2 days): stake
    /// that signed or produced a disputable block is still slashable when it leaves
    /// (`test_attack_unbondingShorterThanWindows`).
    uint64 public constant UNBONDING_PERIOD_FLOOR = 7 days;
    uint64 public constant UNBONDING_PERIOD_CEIL = 90 days;
    /// @notice Bounds of the immutable `maxValidators` and `epochLength`.
    uint256 public constant MAX_VALIDATORS_CEIL = 64;
    uint256 public constant EPOCH_LENGTH_FLOOR = 60;
    uint256 public constant EPOCH_LENGTH_CEIL = 30 days;

    uint256 private constant BPS = 10_000;

    /* ------------------------------------------------------------------ IMMUTABLES */

    IERC20 private immutable _token;
    uint256 private immutable _maxValidators;
    uint256 private immutable _epochLength;
    uint256 private immutable _genesisTime;

    /* ------------------------------------------------------------------ STORAGE */

    struct Unbonding {
        uint128 amount;
        uint64 releaseAt;
    }

    struct Reputation {
        uint128 verifiedSteps;
        uint64 slashes;
        uint64 missedVotes;
    }

    /// One slot per validator (and one for the set's total): active stake at the start of `epoch`
    /// (the epoch of the last change) and now, the 1-based seat in the active set (0 = none) and whether
    /// the account registered. `pos` and `registered` are unused in the total's checkpoint.
    struct Checkpoint {
        uint40 epoch;
        uint96 atEpochStart;
        uint96 live;
        uint8 pos;
        bool registered;
    }

    struct Lock {
        uint128 amount;
        uint64 until;
    }

    Params private _params;
    address private _escrow;
    address private _disputeCourt;

    mapping(address account => uint256) private _stakes;
    mapping(address account => Unbonding) private _unbonding;
    mapping(address account => Reputation) private _reputation;
    uint256 private _totalBonded;
    uint256 private _totalUnbonding;

    /// Live active set, unordered: seat i holds `_activeAddrs[i]` with active stake
    /// `_activeStakes[i]` (uint96, two per storage slot, so the displacement scan reads half as many
    /// slots).
    address[] private _activeAddrs;
    uint96[] private _activeStakes;
    /// Per-validator checkpoints (weights, seat, registration), and the same for the set's total.
    mapping(address validator => Checkpoint) private _checkpoints;
    Checkpoint private _totalCheckpoint;
    mapping(address worker => Lock) private _locks;

    /* ------------------------------------------------------------------ CONSTRUCTOR */

    /// @param token_ the staked token (TL)
    /// @param params_ initial parameters (bounded)
    /// @param maxValidators_ active-set size, 1..64
    /// @param epochLength_ epoch length in seconds, 60 s..30 days
    /// @param owner_ governance
    constructor(IERC20 token_, Params memory params_, uint256 maxValidators_, uint256 epochLength_, address owner_)
        Ownable(owner_)
    {
        if (address(token_) == address(0)) revert StakeManagerZeroAddress();
        _checkBounds("maxValidators", maxValidators_, 1, MAX_VALIDATORS_CEIL);
        _checkBounds("epochLength", epochLength_, EPOCH_LENGTH_FLOOR, EPOCH_LENGTH_CEIL);
        _validate(params_);
        _token = token_;
        _maxValidators = maxValidators_;
        _epochLength = epochLength_;
        _genesisTime = block.timestamp;
        _params = params_;
        emit ParamsUpdated(Params(0, 0, 0), params_);
    }

    /* ------------------------------------------------------------------ MODIFIERS */

    modifier onlyDisputeCourt() {
        _checkCaller(_disputeCourt);
        _;
    }

    modifier onlyEscrow() {
        _checkCaller(_escrow);
        _;
    }

    /* ------------------------------------------------------------------ STAKING */

    /// @inheritdoc IStakeManager
    function stake(uint256 amount) external nonReentrant {
        if (amount == 0) revert StakeManagerZeroAmount();
        // Deposit: pull before crediting, so a token with transfer hooks can never observe stake that
        // is not backed yet (the nonReentrant guard is the second line of defence).
        _token.safeTransferFrom(msg.sender, address(this), amount);
        uint256 newStake = _stakes[msg.sender] + amount;
        _stakes[msg.sender] = newStake;
        _totalBonded += amount;
        if (_checkpoints[msg.sender].registered) _updateActive(msg.sender, newStake);
        emit Staked(msg.sender, amount, newStake);
    }

    /// @inheritdoc IStakeManager
    function requestUnstake(uint256 amount) external {
        if (amount == 0) revert StakeManagerZeroAmount();
        uint256 current = _stakes[msg.sender];
        if (amount > current) revert StakeManagerInsufficientStake(msg.sender, current, amount);
        uint256 newStake = current - amount;
        Lock memory lock = _locks[msg.sender];
        if (block.timestamp < lock.until && newStake < lock.amount) {
            revert StakeManagerStakeLocked(msg.sender, lock.amount, lock.until);
        }
        _stakes[msg.sender] = newStake;
        _totalBonded -= amount;
        Unbonding storage u = _unbonding[msg.sender];
        uint128 unbonding = u.amount + SafeCast.toUint128(amount);
        uint64 releaseAt = uint64(block.timestamp) + _params.unbondingPeriod;
        u.amount = unbonding;
        u.releaseAt = releaseAt;
        _totalUnbonding += amount;
        if (_checkpoints[msg.sender].registered) _updateActive(msg.sender, newStake);
        emit UnstakeRequested(msg.sender, amount, unbonding, releaseAt);
    }

    /// @inheritdoc IStakeManager
    function withdraw() external nonReentrant {
        Unbonding memory u = _unbonding[msg.sender];
        if (u.amount == 0) revert StakeManagerNothingToWithdraw(msg.sender);
        if (block.timestamp < u.releaseAt) {
            revert StakeManagerStillUnbonding(msg.sender, u.releaseAt, block.timestamp);
        }
        delete _unbonding[msg.sender];
        _totalUnbonding -= u.amount;
        emit Withdrawn(msg.sender, u.amount);
        _token.safeTransfer(msg.sender, u.amount);
    }

    /// @inheritdoc IStakeManager
    function registerValidator() external {
        uint256 current = _stakes[msg.sender];
        uint256 needed = _params.minValidatorStake;
        if (current < needed) revert StakeManagerInsufficientStake(msg.sender, current, needed);
        Checkpoint storage c = _checkpoints[msg.sender];
        if (!c.registered) {
            c.registered = true;
            emit ValidatorRegistered(msg.sender);
        }
        _updateActive(msg.sender, current);
    }

    /// @inheritdoc IStakeManager
    function unregisterValidator() external {
        Checkpoint memory c = _checkpoints[msg.sender];
        if (!c.registered) revert StakeManagerNotRegistered(msg.sender);
        // Effects on storage first: _removeActive re-reads the checkpoint and keeps `registered`.
        _checkpoints[msg.sender].registered = false;
        if (c.pos != 0) _removeActive(c.pos - 1, msg.sender, c.live);
        emit ValidatorUnregistered(msg.sender);
    }

    /* ------------------------------------------------------------------ PRIVILEGED */

    /// @inheritdoc IStakeManager
    function slash(address account, uint256 bps) external onlyDisputeCourt nonReentrant returns (uint256 slashed) {
        _checkBounds("slashBps", bps, 1, BPS);
        uint256 bonded = _stakes[account];
        Unbonding storage u = _unbonding[account];
        uint256 unbonding = u.amount;
        slashed = (bonded + unbonding) * bps / BPS;
        uint256 fromBonded = slashed < bonded ? slashed : bonded;
        uint256 fromUnbonding = slashed - fromBonded;
        if (fromBonded != 0) {
            _stakes[account] = bonded - fromBonded;
            _totalBonded -= fromBonded;
            if (_checkpoints[account].registered) _updateActive(account, bonded - fromBonded);
        }
        if (fromUnbonding != 0) {
            // fromUnbonding <= unbonding, which fits in uint128 by construction.
            u.amount = uint128(unbonding - fromUnbonding);
            _totalUnbonding -= fromUnbonding;
        }
        Reputation storage r = _reputation[account];
        r.slashes += 1;
        emit Slashed(account, slashed, msg.sender);
        if (slashed != 0) _token.safeTransfer(msg.sender, slashed);
    }

    /// @inheritdoc IStakeManager
    function recordVerifiedSteps(address worker, uint256 steps) external onlyEscrow {
        Reputation storage r = _reputation[worker];
        uint128 total = r.verifiedSteps + SafeCast.toUint128(steps);
        r.verifiedSteps = total;
        emit VerifiedStepsRecorded(worker, steps, total);
    }

    /// @inheritdoc IStakeManager
    function lockWorkers(address[] calldata workers, uint64 until) external onlyEscrow {
        uint256 needed = _params.minWorkerStake;
        // Bounded by the escrow's maxWorkersPerJob.
        for (uint256 i = 0; i < workers.length; ++i) {
            address w = workers[i];
            uint256 current = _stakes[w];
            if (current < needed) revert StakeManagerInsufficientStake(w, current, needed);
            Lock memory lock = _locks[w];
            bool expired = block.timestamp >= lock.until;
            uint128 amount = (expired || lock.amount < needed) ? uint128(needed) : lock.amount;
            uint64 lockedUntil = (expired || lock.until < until) ? until : lock.until;
            _locks[w] = Lock({amount: amount, until: lockedUntil});
            emit WorkerLocked(w, amount, lockedUntil);
        }
    }

    /// @inheritdoc IStakeManager
    function recordMissedVote(address member) external onlyDisputeCourt {
        Reputation storage r = _reputation[member];
        uint64 total = r.missedVotes + 1;
        r.missedVotes = total;
        emit VoteMissed(member, total);
    }

    /// @inheritdoc IStakeManager
    function setParams(Params calldata newParams) external onlyOwner {
        _validate(newParams);
        Params memory old = _params;
        _params = newParams;
        emit ParamsUpdated(old, newParams);
    }

    /// @inheritdoc IStakeManager
    function connect(address escrow_, address disputeCourt_) external onlyOwner {
        if (_escrow != address(0)) revert StakeManagerAlreadyConnected();
        if (escrow_ == address(0) || disputeCourt_ == address(0)) revert StakeManagerZeroAddress();
        _escrow = escrow_;
        _disputeCourt = disputeCourt_;
        emit Connected(escrow_, disputeCourt_);
    }

    /* ------------------------------------------------------------------ VIEWS */

    /// @inheritdoc IStakeManager
    function token() external view returns (IERC20) {
        return _token;
    }

    /// @inheritdoc IStakeManager
    function params() external view returns (Params memory) {
        return _params;
    }

    /// @inheritdoc IStakeManager
    function escrow() external view returns (address) {
        return _escrow;
    }

    /// @inheritdoc IStakeManager
    function disputeCourt() external view returns (address) {
        return _disputeCourt;
    }

    /// @inheritdoc IStakeManager
    function maxValidators() external view returns (uint256) {
        return _maxValidators;
    }

    /// @inheritdoc IStakeManager
    function epochLength() external view returns (uint256) {
        return _epochLength;
    }

    /// @inheritdoc IStakeManager
    function genesisTime() external view returns (uint256) {
        return _genesisTime;
    }

    /// @inheritdoc IStakeManager
    function currentEpoch() public view returns (uint256) {
        return (block.timestamp - _genesisTime) / _epochLength;
    }

    /// @inheritdoc IStakeManager
    function stakeOf(address account) external view returns (uint256) {
        return _stakes[account];
    }

    /// @inheritdoc IStakeManager
    function unbondingOf(address account) external view returns (uint256 amount, uint64 releaseAt) {
        Unbonding memory u = _unbonding[account];
        return (u.amount, u.releaseAt);
    }

    /// @inheritdoc IStakeManager
    function totalBonded() external view returns (uint256) {
        return _totalBonded;
    }

    /// @inheritdoc IStakeManager
    function totalUnbonding() external view returns (uint256) {
        return _totalUnbonding;
    }

    /// @inheritdoc IStakeManager
    function isRegisteredValidator(address account) external view returns (bool) {
        return _checkpoints[account].registered;
    }

    /// @inheritdoc IStakeManager
    function isActiveValidator(address account) external view returns (bool) {
        return _checkpoints[account].pos != 0;
    }

    /// @inheritdoc IStakeManager
    function isWorker(address account) external view returns (bool) {
        return _stakes[account] >= _params.minWorkerStake;
    }

    /// @inheritdoc IStakeManager
    function activeValidators()
        external
        view
        returns (address[] memory validators, uint256[] memory stakes, uint256 totalStake)
    {
        uint256 len = _activeAddrs.length;
        validators = new address[](len);
        stakes = new uint256[](len);
        // Bounded by maxValidators.
        for (uint256 i = 0; i < len; ++i) {
            validators[i] = _activeAddrs[i];
            stakes[i] = _activeStakes[i];
        }
        totalStake = _totalCheckpoint.live;
    }

    /// @inheritdoc IStakeManager
    function activeSnapshot()
        external
        view
        returns (uint256 epoch, address[] memory validators, uint256[] memory stakes, uint256 totalStake)
    {
        epoch = currentEpoch();
        uint256 len = _activeAddrs.length;
        validators = new address[](len);
        stakes = new uint256[](len);
        uint256 n = 0;
        // Bounded by maxValidators. A validator that left the live set has live weight 0, so the
        // live members are the only ones with a positive signing weight.
        for (uint256 i = 0; i < len; ++i) {
            address v = _activeAddrs[i];
            uint256 w = _weight(_checkpoints[v], epoch);
            if (w != 0) {
                validators[n] = v;
                stakes[n] = w;
                ++n;
            }
        }
        assembly ("memory-safe") {
            mstore(validators, n)
            mstore(stakes, n)
        }
        totalStake = _epochStart(_totalCheckpoint, epoch);
    }

    /// @inheritdoc IStakeManager
    function snapshotStakeOf(address validator) external view returns (uint256) {
        return _weight(_checkpoints[validator], currentEpoch());
    }

    /// @inheritdoc IStakeManager
    function snapshotStakes(address[] calldata validators)
        external
        view
        returns (uint256[] memory stakes, uint256 totalStake)
    {
        uint256 len = validators.length;
        if (len > _maxValidators) revert StakeManagerTooMany(len, _maxValidators);
        uint256 epoch = currentEpoch();
        stakes = new uint256[](len);
        for (uint256 i = 0; i < len; ++i) {
            stakes[i] = _weight(_checkpoints[validators[i]], epoch);
        }
        totalStake = _epochStart(_totalCheckpoint, epoch);
    }

    /// @inheritdoc IStakeManager
    function quorumStake(address[] calldata validators)
        external
        view
        returns (uint256 signedStake, uint256 totalStake, uint256 firstWithoutWeight)
    {
        uint256 len = validators.length;
        if (len > _maxValidators) revert StakeManagerTooMany(len, _maxValidators);
        uint256 epoch = currentEpoch();
        firstWithoutWeight = len;
        for (uint256 i = 0; i < len; ++i) {
            uint256 w = _weight(_checkpoints[validators[i]], epoch);
            if (w == 0 && firstWithoutWeight == len) firstWithoutWeight = i;
            signedStake += w;
        }
        totalStake = _epochStart(_totalCheckpoint, epoch);
    }

    /// @inheritdoc IStakeManager
    function lockOf(address worker) external view returns (uint256 amount, uint64 until) {
        Lock memory lock = _locks[worker];
        return (lock.amount, lock.until);
    }

    /// @inheritdoc IStakeManager
    function reputation(address account)
        external
        view
        returns (uint256 verifiedSteps, uint256 slashes, uint256 missedVotes)
    {
        Reputation memory r = _reputation[account];
        return (r.verifiedSteps, r.slashes, r.missedVotes);
    }

    /* ------------------------------------------------------------------ INTERNAL: ACTIVE SET */

    /// Active stake at the start of epoch `epoch` (>= the checkpoint's epoch).
    function _epochStart(Checkpoint memory c, uint256 epoch) private pure returns (uint256) {
        return c.epoch == epoch ? c.atEpochStart : c.live;
    }

    /// Signing weight in `epoch`: min(active stake at the epoch start, active stake now).
    function _weight(Checkpoint memory c, uint256 epoch) private pure returns (uint256) {
        uint256 start = _epochStart(c, epoch);
        return start < c.live ? start : c.live;
    }

    /// Moves `c` to the current epoch (remembering the value the epoch started with) and sets `live`.
    function _advance(Checkpoint memory c, uint256 live) private view returns (Checkpoint memory) {
        uint256 epoch = currentEpoch();
        if (c.epoch != epoch) {
            c.atEpochStart = c.live;
            // The epoch fits in 40 bits for any realistic timestamp: epochLength >= 60 s.
            c.epoch = uint40(epoch);
        }
        // Active stakes are uint96 in `_activeStakes` already (SafeCast where they are written).
        c.live = uint96(live);
        return c;
    }

    /// Records `validator`'s new active stake (0 = not a member) and seat `pos` (1-based, 0 = none),
    /// and moves the total by the difference.
    function _setActiveStake(address validator, uint256 oldStake, uint256 newStake, uint256 pos) private {
        Checkpoint memory c = _advance(_checkpoints[validator], newStake);
        // pos <= maxValidators <= 64.
        c.pos = uint8(pos);
        _checkpoints[validator] = c;
        Checkpoint memory t = _totalCheckpoint;
        _totalCheckpoint = _advance(t, uint256(t.live) - oldStake + newStake);
    }

    /// Re-evaluates `validator`'s seat after its stake became `newStake`.
    function _updateActive(address validator, uint256 newStake) private {
        Checkpoint memory c = _checkpoints[validator];
        uint256 pos = c.pos;
        bool eligible = newStake >= _params.minValidatorStake;
        if (pos != 0) {
            // A member's checkpoint `live` is its seat's stake.
            uint256 oldStake = c.live;
            if (eligible) {
                _activeStakes[pos - 1] = SafeCast.toUint96(newStake);
                _setActiveStake(validator, oldStake, newStake, pos);
            } else {
                _removeActive(pos - 1, validator, oldStake);
            }
            return;
        }
        if (!eligible) return;
        uint256 len = _activeAddrs.length;
        if (len < _maxValidators) {
            _activeAddrs.push(validator);
            _activeStakes.push(SafeCast.toUint96(newStake));
            _setActiveStake(validator, 0, newStake, len + 1);
            emit ActiveSetJoined(validator, newStake);
            return;
        }
        // Full set: find the smallest member (bounded by maxValidators entries, two per slot).
        uint256 minIdx = 0;
        uint256 minStake = type(uint256).max;
        for (uint256 i = 0; i < len; ++i) {
            uint256 st = _activeStakes[i];
            if (st < minStake) {
                minStake = st;
                minIdx = i;
            }
        }
        if (newStake <= minStake) return;
        address evicted = _activeAddrs[minIdx];
        _activeAddrs[minIdx] = validator;
        _activeStakes[minIdx] = SafeCast.toUint96(newStake);
        _setActiveStake(evicted, minStake, 0, 0);
        _setActiveStake(validator, 0, newStake, minIdx + 1);
        emit ActiveSetLeft(evicted, minStake);
        emit ActiveSetJoined(validator, newStake);
    }

    function _removeActive(uint256 idx, address validator, uint256 oldStake) private {
        uint256 last = _activeAddrs.length - 1;
        if (idx != last) {
            address moved = _activeAddrs[last];
            _activeAddrs[idx] = moved;
            _activeStakes[idx] = _activeStakes[last];
            // pos <= maxValidators <= 64.
            _checkpoints[moved].pos = uint8(idx + 1);
        }
        _activeAddrs.pop();
        _activeStakes.pop();
        _setActiveStake(validator, oldStake, 0, 0);
        emit ActiveSetLeft(validator, oldStake);
    }

    /* ------------------------------------------------------------------ INTERNAL: CHECKS */

    function _checkCaller(address allowed) private view {
        if (msg.sender != allowed || allowed == address(0)) revert StakeManagerUnauthorized(msg.sender);
    }

    function _validate(Params memory p) private pure {
        _checkBounds("minValidatorStake", p.minValidatorStake, MIN_VALIDATOR_STAKE_FLOOR, MIN_VALIDATOR_STAKE_CEIL);
        _checkBounds("minWorkerStake", p.minWorkerStake, MIN_WORKER_STAKE_FLOOR, MIN_WORKER_STAKE_CEIL);
        _checkBounds("unbondingPeriod", p.unbondingPeriod, UNBONDING_PERIOD_FLOOR, UNBONDING_PERIOD_CEIL);
    }

    function _checkBounds(string memory name, uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert StakeManagerParamOutOfBounds(name, value, min, max);
    }
}
