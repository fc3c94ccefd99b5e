// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {SuiteFixture} from "./utils/SuiteFixture.sol";
import {StakeManager} from "../src/StakeManager.sol";
import {IStakeManager} from "../src/interfaces/IStakeManager.sol";

contract StakeManagerTest is SuiteFixture {
    address internal alice = _makeAddr("alice");
    address internal bob = _makeAddr("bob");

    /* ------------------------------------------------------------------ CONSTRUCTOR */

    function test_constructor_setsImmutablesAndParams() public view {
        assertEq(address(stakeManager.token()), address(token), "token");
        assertEq(stakeManager.maxValidators(), MAX_VALIDATORS, "maxValidators");
        assertEq(stakeManager.epochLength(), EPOCH, "epochLength");
        assertEq(stakeManager.genesisTime(), block.timestamp, "genesisTime");
        assertEq(stakeManager.params().minValidatorStake, MIN_VALIDATOR_STAKE, "minValidatorStake");
        assertEq(stakeManager.params().minWorkerStake, MIN_WORKER_STAKE, "minWorkerStake");
        assertEq(stakeManager.params().unbondingPeriod, UNBONDING, "unbondingPeriod");
        assertEq(stakeManager.escrow(), address(escrow), "escrow");
        assertEq(stakeManager.disputeCourt(), address(court), "court");
        assertEq(stakeManager.owner(), address(this), "owner");
    }

    function test_constructor_revertsOnZeroToken() public {
        vm.expectRevert(IStakeManager.StakeManagerZeroAddress.selector);
        new StakeManager(IERC20(address(0)), _stakingParams(), 20, 3600, address(this));
    }

    function test_constructor_revertsOnMaxValidatorsOutOfBounds() public {
        vm.expectRevert(
            abi.encodeWithSelector(IStakeManager.StakeManagerParamOutOfBounds.selector, "maxValidators", 0, 1, 64)
        );
        new StakeManager(token, _stakingParams(), 0, 3600, address(this));
        vm.expectRevert(
            abi.encodeWithSelector(IStakeManager.StakeManagerParamOutOfBounds.selector, "maxValidators", 65, 1, 64)
        );
        new StakeManager(token, _stakingParams(), 65, 3600, address(this));
    }

    function test_constructor_revertsOnEpochLengthOutOfBounds() public {
        vm.expectRevert(
            abi.encodeWithSelector(IStakeManager.StakeManagerParamOutOfBounds.selector, "epochLength", 59, 60, 30 days)
        );
        new StakeManager(token, _stakingParams(), 20, 59, address(this));
    }

    function test_constructor_revertsOnParamsOutOfBounds() public {
        IStakeManager.Params memory p = _stakingParams();
        p.minValidatorStake = 0;
        vm.expectRevert(
            abi.encodeWithSelector(
                IStakeManager.StakeManagerParamOutOfBounds.selector, "minValidatorStake", 0, 1e18, 10_000_000e18
            )
        );
        new StakeManager(token, p, 20, 3600, address(this));
    }

    /* ------------------------------------------------------------------ STAKE */

    function test_stake_revertsOnZero() public {
        vm.prank(alice);
        vm.expectRevert(IStakeManager.StakeManagerZeroAmount.selector);
        stakeManager.stake(0);
    }

    function test_stake_revertsWithoutAllowance() public {
        _fund(alice, 10 * TL);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(stakeManager), 0, 10 * TL)
        );
        stakeManager.stake(10 * TL);
    }

    function test_stake_creditsAndEmits() public {
        _fund(alice, 3_000 * TL);
        vm.startPrank(alice);
        token.approve(address(stakeManager), 3_000 * TL);
        vm.expectEmit(true, false, false, true, address(stakeManager));
        emit IStakeManager.Staked(alice, 1_000 * TL, 1_000 * TL);
        stakeManager.stake(1_000 * TL);
        stakeManager.stake(2_000 * TL);
        vm.stopPrank();
        assertEq(stakeManager.stakeOf(alice), 3_000 * TL, "stake");
        assertEq(stakeManager.totalBonded(), 3_000 * TL, "totalBonded");
        assertEq(token.balanceOf(address(stakeManager)), 3_000 * TL, "held");
        assertTrue(stakeManager.isWorker(alice), "worker");
        assertFalse(stakeManager.isActiveValidator(alice), "not a validator");
    }

    function test_stake_updatesActiveMemberStake() public {
        _addValidators(2, 40_000 * TL);
        address v = validators[0].addr;
        _stake(v, 5_000 * TL);
        (, uint256[] memory stakes, uint256 total) = stakeManager.activeValidators();
        assertEq(total, 85_000 * TL, "active total");
        assertEq(stakes[0] + stakes[1], 85_000 * TL, "member stakes");
    }

    /* ------------------------------------------------------------------ REQUEST UNSTAKE */

    function test_requestUnstake_revertsOnZero() public {
        vm.prank(alice);
        vm.expectRevert(IStakeManager.StakeManagerZeroAmount.selector);
        stakeManager.requestUnstake(0);
    }

    function test_requestUnstake_revertsAboveStake() public {
        _stake(alice, 10 * TL);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IStakeManager.StakeManagerInsufficientStake.selector, alice, 10 * TL, 11 * TL)
        );
        stakeManager.requestUnstake(11 * TL);
    }

    function test_requestUnstake_movesToUnbondingAndRestartsTimer() public {
        _stake(alice, 100 * TL);
        vm.prank(alice);
        vm.expectEmit(true, false, false, true, address(stakeManager));
        emit IStakeManager.UnstakeRequested(alice, 40 * TL, 40 * TL, uint64(block.timestamp) + UNBONDING);
        stakeManager.requestUnstake(40 * TL);
        vm.warp(block.timestamp + 1 days);
        vm.prank(alice);
        stakeManager.requestUnstake(10 * TL);
        (uint256 amount, uint64 releaseAt) = stakeManager.unbondingOf(alice);
        assertEq(amount, 50 * TL, "unbonding");
        assertEq(releaseAt, block.timestamp + UNBONDING, "timer restarted");
        assertEq(stakeManager.stakeOf(alice), 50 * TL, "bonded");
        assertEq(stakeManager.totalUnbonding(), 50 * TL, "totalUnbonding");
        assertEq(stakeManager.totalBonded(), 50 * TL, "totalBonded");
    }

    function test_requestUnstake_belowMinimumLeavesActiveSet() public {
        _addValidators(1, 40_000 * TL);
        address v = validators[0].addr;
        vm.prank(v);
        vm.expectEmit(true, false, false, true, address(stakeManager));
        emit IStakeManager.ActiveSetLeft(v, 40_000 * TL);
        stakeManager.requestUnstake(200 * TL);
        assertFalse(stakeManager.isActiveValidator(v), "left");
        assertTrue(stakeManager.isRegisteredValidator(v), "still registered");
        (,, uint256 total) = stakeManager.activeValidators();
        assertEq(total, 0, "active total");
    }

    /* ------------------------------------------------------------------ WITHDRAW */

    function test_withdraw_revertsWhenNothingUnbonding() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStakeManager.StakeManagerNothingToWithdraw.selector, alice));
        stakeManager.withdraw();
    }

    function test_withdraw_revertsBeforeRelease() public {
        _stake(alice, 100 * TL);
        vm.prank(alice);
        stakeManager.requestUnstake(100 * TL);
        uint64 releaseAt = uint64(block.timestamp) + UNBONDING;
        vm.warp(releaseAt - 1);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IStakeManager.StakeManagerStillUnbonding.selector, alice, releaseAt, releaseAt - 1)
        );
        stakeManager.withdraw();
    }

    function test_withdraw_paysAfterRelease() public {
        _stake(alice, 100 * TL);
        vm.prank(alice);
        stakeManager.requestUnstake(60 * TL);
        vm.warp(block.timestamp + UNBONDING);
        vm.prank(alice);
        vm.expectEmit(true, false, false, true, address(stakeManager));
        emit IStakeManager.Withdrawn(alice, 60 * TL);
        stakeManager.withdraw();
        assertEq(token.balanceOf(alice), 60 * TL, "paid");
        assertEq(stakeManager.totalUnbonding(), 0, "totalUnbonding");
        (uint256 amount,) = stakeManager.unbondingOf(alice);
        assertEq(amount, 0, "cleared");
        _assertBooksBalance();
    }

    /* ------------------------------------------------------------------ REGISTER / ACTIVE SET */

    function test_registerValidator_revertsBelowMinimum() public {
        _stake(alice, MIN_VALIDATOR_STAKE - 1);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStakeManager.StakeManagerInsufficientStake.selector,
                alice,
                MIN_VALIDATOR_STAKE - 1,
                MIN_VALIDATOR_STAKE
            )
        );
        stakeManager.registerValidator();
    }

    function test_registerValidator_atMinimumJoins() public {
        _stake(alice, MIN_VALIDATOR_STAKE);
        vm.prank(alice);
        vm.expectEmit(true, false, false, true, address(stakeManager));
        emit IStakeManager.ValidatorRegistered(alice);
        vm.expectEmit(true, false, false, true, address(stakeManager));
        emit IStakeManager.ActiveSetJoined(alice, MIN_VALIDATOR_STAKE);
        stakeManager.registerValidator();
        assertTrue(stakeManager.isActiveValidator(alice), "active");
        // idempotent
        vm.prank(alice);
        stakeManager.registerValidator();
        (address[] memory vals,,) = stakeManager.activeValidators();
        assertEq(vals.length, 1, "one seat");
    }

    function test_unregisterValidator_leavesTheSetAtOnceAndStakingDoesNotReturnIt() public {
        _stake(alice, MIN_VALIDATOR_STAKE);
        _stake(bob, MIN_VALIDATOR_STAKE + 1);
        vm.prank(alice);
        stakeManager.registerValidator();
        vm.prank(bob);
        stakeManager.registerValidator();
        vm.prank(alice);
        vm.expectEmit(true, false, false, true, address(stakeManager));
        emit IStakeManager.ActiveSetLeft(alice, MIN_VALIDATOR_STAKE);
        vm.expectEmit(true, false, false, true, address(stakeManager));
        emit IStakeManager.ValidatorUnregistered(alice);
        stakeManager.unregisterValidator();
        assertFalse(stakeManager.isRegisteredValidator(alice), "not registered");
        assertFalse(stakeManager.isActiveValidator(alice), "not active");
        assertEq(stakeManager.snapshotStakeOf(alice), 0, "no signing weight this epoch");
        assertEq(stakeManager.stakeOf(alice), MIN_VALIDATOR_STAKE, "stake stays bonded");
        (address[] memory vals,, uint256 total) = stakeManager.activeValidators();
        assertEq(vals.length, 1, "one seat left");
        assertEq(vals[0], bob, "bob moved into the freed slot");
        assertEq(total, MIN_VALIDATOR_STAKE + 1, "total");
        // More stake does not bring a withdrawn candidate back; registering again does.
        _stake(alice, 1 * TL);
        assertFalse(stakeManager.isActiveValidator(alice), "still out");
        vm.prank(alice);
        stakeManager.registerValidator();
        assertTrue(stakeManager.isActiveValidator(alice), "back after registering");
    }

    function test_unregisterValidator_outsideTheSetOnlyClearsTheCandidacy() public {
        _stake(alice, MIN_VALIDATOR_STAKE);
        vm.prank(alice);
        stakeManager.registerValidator();
        vm.prank(alice);
        stakeManager.requestUnstake(1 * TL);
        assertFalse(stakeManager.isActiveValidator(alice), "below the minimum: out of the set");
        vm.prank(alice);
        stakeManager.unregisterValidator();
        assertFalse(stakeManager.isRegisteredValidator(alice), "candidacy withdrawn");
    }

    function test_unregisterValidator_revertsWhenNotRegistered() public {
        _stake(alice, MIN_VALIDATOR_STAKE);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStakeManager.StakeManagerNotRegistered.selector, alice));
        stakeManager.unregisterValidator();
        vm.prank(alice);
        stakeManager.registerValidator();
        vm.prank(alice);
        stakeManager.unregisterValidator();
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStakeManager.StakeManagerNotRegistered.selector, alice));
        stakeManager.unregisterValidator();
    }

    function test_registerValidator_top20Rule() public {
        // 20 validators at 40,000..40,019 TL fill the set.
        for (uint256 i = 0; i < 20; ++i) {
            Key memory k = _newKey();
            _stake(k.addr, (40_000 + i) * TL);
            vm.prank(k.addr);
            stakeManager.registerValidator();
        }
        (address[] memory vals,, uint256 total) = stakeManager.activeValidators();
        assertEq(vals.length, 20, "full");
        address smallest = vals[0];
        // A 21st with a smaller stake registers but stays outside.
        Key memory low = _newKey();
        _stake(low.addr, 39_999 * TL);
        vm.prank(low.addr);
        stakeManager.registerValidator();
        assertTrue(stakeManager.isRegisteredValidator(low.addr), "registered");
        assertFalse(stakeManager.isActiveValidator(low.addr), "outside");
        // A tie with the smallest keeps the incumbent.
        Key memory tie = _newKey();
        _stake(tie.addr, 40_000 * TL);
        vm.prank(tie.addr);
        stakeManager.registerValidator();
        assertFalse(stakeManager.isActiveValidator(tie.addr), "tie stays out");
        // A bigger one displaces the smallest.
        Key memory big = _newKey();
        _stake(big.addr, 50_000 * TL);
        vm.prank(big.addr);
        vm.expectEmit(true, false, false, true, address(stakeManager));
        emit IStakeManager.ActiveSetLeft(smallest, 40_000 * TL);
        stakeManager.registerValidator();
        assertTrue(stakeManager.isActiveValidator(big.addr), "big in");
        assertFalse(stakeManager.isActiveValidator(smallest), "smallest out");
        (,, uint256 newTotal) = stakeManager.activeValidators();
        assertEq(newTotal, total - 40_000 * TL + 50_000 * TL, "total");
        // The displaced one, still registered, comes back as soon as it stakes past the smallest member.
        _stake(smallest, 20_000 * TL);
        assertTrue(stakeManager.isActiveValidator(smallest), "back in");
        (vals,,) = stakeManager.activeValidators();
        assertEq(vals.length, 20, "still capped");
    }

    /* ------------------------------------------------------------------ SNAPSHOT */

    function test_activeSnapshot_frozenForTheEpoch() public {
        (uint256 epoch0, address[] memory snap0,,) = stakeManager.activeSnapshot();
        assertEq(epoch0, 0, "epoch 0");
        _addValidators(2, 40_000 * TL);
        (, snap0,,) = stakeManager.activeSnapshot();
        assertEq(snap0.length, 0, "epoch 0 snapshot is the set at its start: empty");
        _nextEpoch();
        (uint256 epoch1, address[] memory snap1,, uint256 total1) = stakeManager.activeSnapshot();
        assertEq(epoch1, 1, "epoch 1");
        assertEq(snap1.length, 2, "live set before any change");
        assertEq(total1, 80_000 * TL, "total");
        // A newcomer in epoch 1 has no weight before epoch 2; the total stays the epoch start's.
        Key memory k = _newKey();
        _fund(k.addr, 60_000 * TL);
        vm.startPrank(k.addr);
        token.approve(address(stakeManager), 60_000 * TL);
        stakeManager.stake(60_000 * TL);
        stakeManager.registerValidator();
        vm.stopPrank();
        (, address[] memory after1,, uint256 afterTotal) = stakeManager.activeSnapshot();
        assertEq(after1.length, 2, "snapshot unchanged mid-epoch");
        assertEq(afterTotal, 80_000 * TL, "snapshot total unchanged");
        assertEq(stakeManager.snapshotStakeOf(k.addr), 0, "no weight yet");
        _nextEpoch();
        (,,, uint256 total2) = stakeManager.activeSnapshot();
        assertEq(total2, 140_000 * TL, "next epoch sees the change");
        assertEq(stakeManager.snapshotStakeOf(k.addr), 60_000 * TL, "weight from the next epoch");
    }

    function test_snapshotStakeOf_isTheSmallerOfEpochStartAndNow() public {
        _addValidators(1, 50_000 * TL);
        address v = validators[0].addr;
        _nextEpoch();
        assertEq(stakeManager.snapshotStakeOf(v), 50_000 * TL, "epoch start");
        // Topping up mid-epoch does not add weight; unstaking removes it at once.
        _stake(v, 10_000 * TL);
        assertEq(stakeManager.snapshotStakeOf(v), 50_000 * TL, "top-up counts next epoch");
        vm.prank(v);
        stakeManager.requestUnstake(15_000 * TL);
        assertEq(stakeManager.snapshotStakeOf(v), 45_000 * TL, "unstaked stake cannot sign");
        vm.prank(v);
        stakeManager.requestUnstake(6_000 * TL);
        assertEq(stakeManager.snapshotStakeOf(v), 0, "below the minimum: left the set");
        address[] memory list = new address[](1);
        list[0] = v;
        (uint256[] memory stakes, uint256 total) = stakeManager.snapshotStakes(list);
        assertEq(stakes[0], 0, "batch view agrees");
        assertEq(total, 50_000 * TL, "quorum denominator is the epoch start's total");
        address[] memory tooMany = new address[](MAX_VALIDATORS + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IStakeManager.StakeManagerTooMany.selector, MAX_VALIDATORS + 1, MAX_VALIDATORS)
        );
        stakeManager.snapshotStakes(tooMany);
        vm.expectRevert(
            abi.encodeWithSelector(IStakeManager.StakeManagerTooMany.selector, MAX_VALIDATORS + 1, MAX_VALIDATORS)
        );
        stakeManager.quorumStake(tooMany);
        address[] memory pair = new address[](2);
        pair[0] = outsider;
        pair[1] = v;
        (uint256 signedStake, uint256 quorumTotal, uint256 firstWithout) = stakeManager.quorumStake(pair);
        assertEq(signedStake, 0, "no weight left");
        assertEq(quorumTotal, 50_000 * TL, "denominator");
        assertEq(firstWithout, 0, "first signer without weight");
    }

    /* ------------------------------------------------------------------ WORKER LOCKS */

    function test_lockWorkers_onlyEscrowChecksStakeAndOnlyGrows() public {
        _stake(alice, 2_000 * TL);
        address[] memory ws = new address[](1);
        ws[0] = alice;
        vm.expectRevert(abi.encodeWithSelector(IStakeManager.StakeManagerUnauthorized.selector, address(this)));
        stakeManager.lockWorkers(ws, uint64(block.timestamp + 10));
        ws[0] = outsider;
        vm.prank(address(escrow));
        vm.expectRevert(
            abi.encodeWithSelector(IStakeManager.StakeManagerInsufficientStake.selector, outsider, 0, MIN_WORKER_STAKE)
        );
        stakeManager.lockWorkers(ws, uint64(block.timestamp + 10));
        ws[0] = alice;
        uint64 until = uint64(block.timestamp + 1 days);
        vm.prank(address(escrow));
        vm.expectEmit(true, false, false, true, address(stakeManager));
        emit IStakeManager.WorkerLocked(alice, MIN_WORKER_STAKE, until);
        stakeManager.lockWorkers(ws, until);
        vm.prank(address(escrow));
        stakeManager.lockWorkers(ws, until - 100);
        (uint256 amount, uint64 lockedUntil) = stakeManager.lockOf(alice);
        assertEq(amount, MIN_WORKER_STAKE, "amount");
        assertEq(lockedUntil, until, "a shorter lock does not shorten it");
        // Unstaking above the lock is fine; below it is refused until the lock ends.
        uint256 free = stakeManager.stakeOf(alice) - MIN_WORKER_STAKE;
        vm.startPrank(alice);
        if (free != 0) stakeManager.requestUnstake(free);
        vm.expectRevert(
            abi.encodeWithSelector(IStakeManager.StakeManagerStakeLocked.selector, alice, MIN_WORKER_STAKE, until)
        );
        stakeManager.requestUnstake(1);
        vm.warp(until);
        stakeManager.requestUnstake(MIN_WORKER_STAKE);
        vm.stopPrank();
    }

    function test_recordMissedVote_onlyCourt() public {
        vm.expectRevert(abi.encodeWithSelector(IStakeManager.StakeManagerUnauthorized.selector, address(this)));
        stakeManager.recordMissedVote(alice);
        vm.prank(address(court));
        vm.expectEmit(true, false, false, true, address(stakeManager));
        emit IStakeManager.VoteMissed(alice, 1);
        stakeManager.recordMissedVote(alice);
        (,, uint256 missed) = stakeManager.reputation(alice);
        assertEq(missed, 1, "counted");
    }

    /* ------------------------------------------------------------------ SLASH */

    function test_slash_revertsForAnyoneButTheCourt() public {
        _stake(alice, 100 * TL);
        vm.expectRevert(abi.encodeWithSelector(IStakeManager.StakeManagerUnauthorized.selector, address(this)));
        stakeManager.slash(alice, 1_000);
        vm.prank(address(escrow));
        vm.expectRevert(abi.encodeWithSelector(IStakeManager.StakeManagerUnauthorized.selector, address(escrow)));
        stakeManager.slash(alice, 1_000);
    }

    function test_slash_revertsBeforeConnect() public {
        StakeManager fresh = new StakeManager(token, _stakingParams(), 20, 3600, address(this));
        vm.prank(address(0));
        vm.expectRevert(abi.encodeWithSelector(IStakeManager.StakeManagerUnauthorized.selector, address(0)));
        fresh.slash(alice, 1_000);
    }

    function test_slash_revertsOnBadBps() public {
        vm.startPrank(address(court));
        vm.expectRevert(
            abi.encodeWithSelector(IStakeManager.StakeManagerParamOutOfBounds.selector, "slashBps", 0, 1, 10_000)
        );
        stakeManager.slash(alice, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IStakeManager.StakeManagerParamOutOfBounds.selector, "slashBps", 10_001, 1, 10_000)
        );
        stakeManager.slash(alice, 10_001);
        vm.stopPrank();
    }

    function test_slash_takesBondedThenUnbonding() public {
        _stake(alice, 1_000 * TL);
        vm.prank(alice);
        stakeManager.requestUnstake(950 * TL);
        vm.prank(address(court));
        vm.expectEmit(true, true, false, true, address(stakeManager));
        emit IStakeManager.Slashed(alice, 100 * TL, address(court));
        uint256 slashed = stakeManager.slash(alice, 1_000);
        assertEq(slashed, 100 * TL, "10% of 1,000");
        assertEq(stakeManager.stakeOf(alice), 0, "bonded first");
        (uint256 unbonding,) = stakeManager.unbondingOf(alice);
        assertEq(unbonding, 900 * TL, "then unbonding");
        assertEq(token.balanceOf(address(court)), 100 * TL, "sent to court");
        (, uint256 slashes,) = stakeManager.reputation(alice);
        assertEq(slashes, 1, "slash counted");
        _assertBooksBalance_stakeOnly();
    }

    function test_slash_dropsValidatorBelowMinimum() public {
        _addValidators(1, 40_000 * TL);
        address v = validators[0].addr;
        vm.prank(address(court));
        stakeManager.slash(v, 500);
        assertFalse(stakeManager.isActiveValidator(v), "38,000 < 39,900");
    }

    /* ------------------------------------------------------------------ REPUTATION */

    function test_recordVerifiedSteps_onlyEscrow() public {
        vm.expectRevert(abi.encodeWithSelector(IStakeManager.StakeManagerUnauthorized.selector, address(this)));
        stakeManager.recordVerifiedSteps(alice, 5);
        vm.prank(address(escrow));
        vm.expectEmit(true, false, false, true, address(stakeManager));
        emit IStakeManager.VerifiedStepsRecorded(alice, 5, 5);
        stakeManager.recordVerifiedSteps(alice, 5);
        vm.prank(address(escrow));
        stakeManager.recordVerifiedSteps(alice, 7);
        (uint256 steps,,) = stakeManager.reputation(alice);
        assertEq(steps, 12, "steps");
    }

    /* ------------------------------------------------------------------ GOVERNANCE */

    function test_setParams_onlyOwner() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        stakeManager.setParams(_stakingParams());
    }

    function test_setParams_revertsOutOfBounds() public {
        IStakeManager.Params memory p = _stakingParams();
        p.minWorkerStake = 1_000_001e18;
        vm.expectRevert(
            abi.encodeWithSelector(
                IStakeManager.StakeManagerParamOutOfBounds.selector,
                "minWorkerStake",
                p.minWorkerStake,
                1e18,
                1_000_000e18
            )
        );
        stakeManager.setParams(p);
        p = _stakingParams();
        p.unbondingPeriod = 91 days;
        vm.expectRevert(
            abi.encodeWithSelector(
                IStakeManager.StakeManagerParamOutOfBounds.selector, "unbondingPeriod", 91 days, 7 days, 90 days
            )
        );
        stakeManager.setParams(p);
    }

    function test_setParams_updatesAndEmits() public {
        IStakeManager.Params memory p = IStakeManager.Params(50_000 * TL, 2_000 * TL, 8 days);
        vm.expectEmit(false, false, false, true, address(stakeManager));
        emit IStakeManager.ParamsUpdated(_stakingParams(), p);
        stakeManager.setParams(p);
        assertEq(stakeManager.params().minValidatorStake, 50_000 * TL, "minValidatorStake");
        assertEq(stakeManager.params().unbondingPeriod, 8 days, "unbonding");
    }

    function test_connect_onlyOnceOnlyOwnerNoZero() public {
        vm.expectRevert(IStakeManager.StakeManagerAlreadyConnected.selector);
        stakeManager.connect(alice, alice);
        StakeManager fresh = new StakeManager(token, _stakingParams(), 20, 3600, address(this));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        fresh.connect(alice, alice);
        vm.expectRevert(IStakeManager.StakeManagerZeroAddress.selector);
        fresh.connect(address(0), alice);
        vm.expectEmit(false, false, false, true, address(fresh));
        emit IStakeManager.Connected(alice, outsider);
        fresh.connect(alice, outsider);
    }

    function test_ownership_transfersInTwoSteps() public {
        stakeManager.transferOwnership(alice);
        assertEq(stakeManager.owner(), address(this), "still owner until accepted");
        vm.prank(alice);
        stakeManager.acceptOwnership();
        assertEq(stakeManager.owner(), alice, "accepted");
    }

    /* ------------------------------------------------------------------ FUZZ */

    function test_fuzz_stakeUnstakeWithdraw(uint256 amount, uint256 part, uint256 wait) public {
        amount = bound(amount, 1, 1_000_000 * TL);
        part = bound(part, 1, amount);
        wait = bound(wait, 0, 2 * UNBONDING);
        _stake(alice, amount);
        vm.prank(alice);
        stakeManager.requestUnstake(part);
        vm.warp(block.timestamp + wait);
        if (wait < UNBONDING) {
            vm.expectRevert();
            vm.prank(alice);
            stakeManager.withdraw();
        } else {
            vm.prank(alice);
            stakeManager.withdraw();
            assertEq(token.balanceOf(alice), part, "withdrawn");
        }
        assertEq(stakeManager.stakeOf(alice), amount - part, "bonded");
        _assertBooksBalance_stakeOnly();
    }

    /// With only stake increases, the live set is exactly the top `maxValidators` (ties aside).
    function test_fuzz_activeSetIsTopByStake(uint256 seed, uint8 count) public {
        uint256 n = bound(count, 1, 30);
        address[] memory all = new address[](n);
        for (uint256 i = 0; i < n; ++i) {
            Key memory k = _newKey();
            all[i] = k.addr;
            uint256 s = MIN_VALIDATOR_STAKE + uint256(keccak256(abi.encode(seed, i))) % (100_000 * TL);
            _stake(k.addr, s);
            vm.prank(k.addr);
            stakeManager.registerValidator();
        }
        (address[] memory vals, uint256[] memory stakes, uint256 total) = stakeManager.activeValidators();
        assertEq(vals.length, n < MAX_VALIDATORS ? n : MAX_VALIDATORS, "set size");
        uint256 minMember = type(uint256).max;
        uint256 sum = 0;
        for (uint256 i = 0; i < vals.length; ++i) {
            assertEq(stakes[i], stakeManager.stakeOf(vals[i]), "member stake");
            if (stakes[i] < minMember) minMember = stakes[i];
            sum += stakes[i];
        }
        assertEq(sum, total, "total");
        for (uint256 i = 0; i < n; ++i) {
            if (!stakeManager.isActiveValidator(all[i])) {
                assertLe(stakeManager.stakeOf(all[i]), minMember, "outsider outweighs a member");
            }
        }
    }

    function _assertBooksBalance_stakeOnly() private view {
        assertEq(
            token.balanceOf(address(stakeManager)) - token.balanceOf(address(0)),
            stakeManager.totalBonded() + stakeManager.totalUnbonding(),
            "stake TL == bonded + unbonding"
        );
    }
}
