// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title IStakeManager
/// @notice Stake, unbonding, the validator active set (top `maxValidators` by stake) with O(1)
/// per-validator epoch checkpoints of its signing weight, worker eligibility and stake locks,
/// reputation counters, and slashing (by the DisputeCourt only).
interface IStakeManager {
    /* ------------------------------------------------------------------ TYPES */

    /// @notice Parameters governance may change, each within fixed bounds.
    /// @param minValidatorStake stake (wei) needed to register as, and stay, a validator
    /// @param minWorkerStake stake (wei) a worker must post to be assigned or to challenge
    /// @param unbondingPeriod seconds between `requestUnstake` and the earliest `withdraw`
    struct Params {
        uint256 minValidatorStake;
        uint256 minWorkerStake;
        uint64 unbondingPeriod;
    }

    /* ------------------------------------------------------------------ EVENTS */

    /// @notice `account` added `amount` to its stake, which is now `newStake`.
    event Staked(address indexed account, uint256 amount, uint256 newStake);

    /// @notice `account` moved `amount` from its stake to unbonding; its whole unbonding balance
    /// `unbonding` becomes withdrawable at `releaseAt`.
    event UnstakeRequested(address indexed account, uint256 amount, uint256 unbonding, uint64 releaseAt);

    /// @notice `account` withdrew `amount` of released unbonding stake.
    event Withdrawn(address indexed account, uint256 amount);

    /// @notice `validator` registered as a validator candidate.
    event ValidatorRegistered(address indexed validator);

    /// @notice `validator` withdrew its candidacy (and left the live active set if it held a seat).
    event ValidatorUnregistered(address indexed validator);

    /// @notice `validator` entered the live active set with `stake`.
    event ActiveSetJoined(address indexed validator, uint256 stake);

    /// @notice `validator` left the live active set (displaced, unstaked or slashed below the minimum).
    event ActiveSetLeft(address indexed validator, uint256 stake);

    /// @notice `worker`'s stake is locked: it cannot unstake below `amount` before `until` (it holds
    /// assigned work whose blocks can still be disputed).
    event WorkerLocked(address indexed worker, uint256 amount, uint64 until);

    /// @notice Committee member `member` did not vote on a dispute that then failed its quorum.
    event VoteMissed(address indexed member, uint256 total);

    /// @notice `amount` of `account`'s stake (bonded first, then unbonding) was slashed and sent to
    /// `recipient` (the DisputeCourt).
    event Slashed(address indexed account, uint256 amount, address indexed recipient);

    /// @notice `worker` was credited `steps` verified steps; its running total is `total`.
    event VerifiedStepsRecorded(address indexed worker, uint256 steps, uint256 total);

    /// @notice Governance changed the parameters.
    event ParamsUpdated(Params oldParams, Params newParams);

    /// @notice The escrow (reputation recorder) and the dispute court (slasher) were wired, once.
    event Connected(address escrow, address disputeCourt);

    /* ------------------------------------------------------------------ ERRORS */

    /// @notice An amount of zero was passed where a positive amount is required.
    error StakeManagerZeroAmount();

    /// @notice `account` has `stake` but the operation needs `needed`.
    error StakeManagerInsufficientStake(address account, uint256 stake, uint256 needed);

    /// @notice `account` has nothing unbonding.
    error StakeManagerNothingToWithdraw(address account);

    /// @notice `account`'s unbonding stake is locked until `releaseAt` (now is `nowTs`).
    error StakeManagerStillUnbonding(address account, uint64 releaseAt, uint256 nowTs);

    /// @notice `caller` is not allowed to call this function (slash: only the DisputeCourt;
    /// recordVerifiedSteps: only the JobEscrow).
    error StakeManagerUnauthorized(address caller);

    /// @notice `connect` was already called.
    error StakeManagerAlreadyConnected();

    /// @notice A zero address was given where a contract address is required.
    error StakeManagerZeroAddress();

    /// @notice `account` has assigned work: its stake may not fall below `locked` before `until`.
    error StakeManagerStakeLocked(address account, uint256 locked, uint64 until);

    /// @notice `count` addresses were passed; at most `max` are allowed.
    error StakeManagerTooMany(uint256 count, uint256 max);

    /// @notice `account` is not a registered validator candidate.
    error StakeManagerNotRegistered(address account);

    /// @notice Parameter `name` = `value` lies outside [`min`, `max`].
    error StakeManagerParamOutOfBounds(string name, uint256 value, uint256 min, uint256 max);

    /* ------------------------------------------------------------------ STAKING */

    /// @notice Pulls `amount` TL from the caller (needs an allowance) and adds it to the caller's stake.
    /// A registered validator's active-set position is updated.
    /// @param amount wei of TL, > 0
    function stake(uint256 amount) external;

    /// @notice Moves `amount` from the caller's stake to unbonding. The caller's whole unbonding
    /// balance becomes withdrawable `unbondingPeriod` seconds from now (the timer restarts).
    /// Unbonding stake can still be slashed. Reverts while a worker lock (`lockOf`) would be broken.
    /// @param amount wei of TL, 0 < amount <= stake
    function requestUnstake(uint256 amount) external;

    /// @notice Transfers the caller's released unbonding balance to the caller.
    function withdraw() external;

    /// @notice Registers the caller as a validator candidate (needs `minValidatorStake`) and tries to
    /// enter the live active set: it joins if the set has room or if its stake is strictly greater
    /// than the smallest member's, which it then displaces. Calling it again (e.g. after the set
    /// shrank) retries the entry.
    function registerValidator() external;

    /// @notice Withdraws the caller's validator candidacy: it leaves the live active set at once (its
    /// signing weight for the current epoch drops to zero, as for stake that leaves) and a later stake
    /// change does not bring it back. Its stake stays bonded; `registerValidator` undoes this.
    function unregisterValidator() external;

    /* ------------------------------------------------------------------ PRIVILEGED */

    /// @notice Slashes `bps` basis points of `account`'s bonded plus unbonding stake (bonded first)
    /// and transfers the slashed TL to the caller. Only the DisputeCourt may call it.
    /// @return slashed wei of TL taken
    function slash(address account, uint256 bps) external returns (uint256 slashed);

    /// @notice Adds `steps` to `worker`'s verified-step counter. Only the JobEscrow may call it.
    function recordVerifiedSteps(address worker, uint256 steps) external;

    /// @notice Checks that each of `workers` holds `minWorkerStake` and locks that much of its stake
    /// until `until` (a lock only grows: the larger amount and the later time are kept). Only the
    /// JobEscrow may call it, at assignment; `workers` is bounded by the escrow's maxWorkersPerJob.
    function lockWorkers(address[] calldata workers, uint64 until) external;

    /// @notice Counts a missed vote against committee member `member`. Only the DisputeCourt may call it.
    function recordMissedVote(address member) external;

    /// @notice Governance: replaces the parameters; each must lie within its bounds.
    function setParams(Params calldata newParams) external;

    /// @notice Governance, once: wires the JobEscrow and the DisputeCourt.
    function connect(address escrow, address disputeCourt) external;

    /* ------------------------------------------------------------------ VIEWS */

    /// @notice The staked token (TL).
    function token() external view returns (IERC20);

    /// @notice The current parameters.
    function params() external view returns (Params memory);

    /// @notice The JobEscrow wired by `connect` (zero before).
    function escrow() external view returns (address);

    /// @notice The DisputeCourt wired by `connect` (zero before): the only slasher.
    function disputeCourt() external view returns (address);

    /// @notice Maximum size of the active set (immutable).
    function maxValidators() external view returns (uint256);

    /// @notice Epoch length in seconds (immutable).
    function epochLength() external view returns (uint256);

    /// @notice Timestamp at which epoch 0 started (the deployment block's timestamp).
    function genesisTime() external view returns (uint256);

    /// @notice The current epoch number: (now - genesisTime) / epochLength.
    function currentEpoch() external view returns (uint256);

    /// @notice `account`'s bonded stake.
    function stakeOf(address account) external view returns (uint256);

    /// @notice `account`'s unbonding balance and when it is released.
    function unbondingOf(address account) external view returns (uint256 amount, uint64 releaseAt);

    /// @notice Sum of all bonded stake.
    function totalBonded() external view returns (uint256);

    /// @notice Sum of all unbonding balances.
    function totalUnbonding() external view returns (uint256);

    /// @notice Whether `account` has registered as a validator candidate.
    function isRegisteredValidator(address account) external view returns (bool);

    /// @notice Whether `account` is in the live active set (the snapshot may differ until next epoch).
    function isActiveValidator(address account) external view returns (bool);

    /// @notice Whether `account`'s bonded stake reaches `minWorkerStake`.
    function isWorker(address account) external view returns (bool);

    /// @notice The live active set, unordered, with each member's stake, and their sum.
    function activeValidators()
        external
        view
        returns (address[] memory validators, uint256[] memory stakes, uint256 totalStake);

    /// @notice The validators that can sign in the current epoch, each with its signing weight
    /// (`snapshotStakeOf`, > 0), and the quorum denominator: the active set's total stake when the
    /// epoch began. PoL quorums and dispute committees use this set. Bounded by maxValidators.
    function activeSnapshot()
        external
        view
        returns (uint256 epoch, address[] memory validators, uint256[] memory stakes, uint256 totalStake);

    /// @notice `validator`'s signing weight this epoch: the smaller of its active stake when the epoch
    /// began and its active stake now (stake added mid-epoch does not count; stake that left does not
    /// count either). Zero for a non-member. O(1): one checkpoint slot per validator.
    function snapshotStakeOf(address validator) external view returns (uint256);

    /// @notice The signing weights (`snapshotStakeOf`) of `validators`, and the quorum denominator
    /// (the active set's total stake when the epoch began). At most maxValidators addresses.
    function snapshotStakes(address[] calldata validators)
        external
        view
        returns (uint256[] memory stakes, uint256 totalStake);

    /// @notice The quorum arithmetic of a signer list in one call: the sum of their signing weights,
    /// the quorum denominator, and the index of the first signer without weight (`validators.length`
    /// if all have one). At most maxValidators addresses.
    function quorumStake(address[] calldata validators)
        external
        view
        returns (uint256 signedStake, uint256 totalStake, uint256 firstWithoutWeight);

    /// @notice `worker`'s stake lock: it cannot unstake below `amount` before `until`.
    function lockOf(address worker) external view returns (uint256 amount, uint64 until);

    /// @notice `account`'s reputation counters.
    function reputation(address account)
        external
        view
        returns (uint256 verifiedSteps, uint256 slashes, uint256 missedVotes);
}
