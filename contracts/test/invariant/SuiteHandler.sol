// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Test} from "../utils/Test.sol";
import {Merkle} from "../utils/Merkle.sol";
import {StakeManager} from "../../src/StakeManager.sol";
import {JobEscrow} from "../../src/JobEscrow.sol";
import {PoLAnchor} from "../../src/PoLAnchor.sol";
import {DisputeCourt} from "../../src/DisputeCourt.sol";
import {IJobEscrow} from "../../src/interfaces/IJobEscrow.sol";
import {IPoLAnchor} from "../../src/interfaces/IPoLAnchor.sol";
import {IDisputeCourt} from "../../src/interfaces/IDisputeCourt.sol";
import {PoL} from "../../src/libraries/PoL.sol";

/// @notice Drives the whole suite with bounded random actions from a fixed cast (validators with real
/// keys, workers, clients, a challenger) and keeps ghost records the invariants compare against.
/// Actions return early rather than revert when their preconditions do not hold; the ones expected
/// to fail sometimes (claims inside the window, challenges, votes) use try/catch.
contract SuiteHandler is Test {
    uint256 internal constant TL = 1e18;

    IERC20 internal immutable token;
    StakeManager internal immutable stakeManager;
    JobEscrow internal immutable escrow;
    PoLAnchor internal immutable anchor;
    DisputeCourt internal immutable court;

    address[] public stakers; // validators, workers, challenger
    address[] public workers;
    address[] public clients;
    address public challenger;
    mapping(address account => uint256) internal pkOf;

    struct AnchoredInfo {
        IPoLAnchor.PoLBlock header;
        address[] signers;
        uint256 anchoredAt;
        uint256[] amounts;
    }

    uint256[] public jobIds;
    AnchoredInfo[] internal blocks;
    uint256[] public disputeIds;
    uint256[] public requestIds;
    mapping(uint256 requestId => uint256 blockPos) internal requestBlock;

    // Ghosts.
    uint256 public ghost_fraudVerdicts;
    /// Accounts a fraud verdict slashed: the worker plus the sampled signers.
    uint256 public ghost_slashedAccounts;
    uint256 public ghost_claims;
    uint256 public ghost_anchors;
    uint256 public ghost_disputes;
    uint256 public ghost_sweeps;
    uint256 public ghost_dataAnswered;
    uint256 public ghost_dataFailed;
    bool public ghost_earlyClaim;
    bool public ghost_doubleClaim;
    bool public ghost_unauthorizedSlash;
    mapping(bytes32 leafKey => bool) internal ghost_claimed;

    constructor(
        IERC20 token_,
        StakeManager stakeManager_,
        JobEscrow escrow_,
        PoLAnchor anchor_,
        DisputeCourt court_,
        address[] memory validatorAddrs,
        uint256[] memory validatorPks,
        address[] memory workers_,
        uint256[] memory workerPks,
        address[] memory clients_,
        address challenger_
    ) {
        token = token_;
        stakeManager = stakeManager_;
        escrow = escrow_;
        anchor = anchor_;
        court = court_;
        for (uint256 i = 0; i < validatorAddrs.length; ++i) {
            stakers.push(validatorAddrs[i]);
            pkOf[validatorAddrs[i]] = validatorPks[i];
        }
        for (uint256 i = 0; i < workers_.length; ++i) {
            stakers.push(workers_[i]);
            workers.push(workers_[i]);
            pkOf[workers_[i]] = workerPks[i];
        }
        stakers.push(challenger_);
        challenger = challenger_;
        clients = clients_;
    }

    /* ------------------------------------------------------------------ STAKING */

    function stake(uint256 actorSeed, uint256 amount) external {
        address a = stakers[actorSeed % stakers.length];
        amount = bound(amount, 1, 20_000 * TL);
        if (token.balanceOf(address(this)) < amount) return;
        token.transfer(a, amount);
        vm.startPrank(a);
        token.approve(address(stakeManager), amount);
        stakeManager.stake(amount);
        vm.stopPrank();
    }

    function requestUnstake(uint256 actorSeed, uint256 amount) external {
        address a = stakers[actorSeed % stakers.length];
        uint256 s = stakeManager.stakeOf(a);
        if (s == 0) return;
        vm.prank(a);
        // Refused while a worker lock holds the stake.
        try stakeManager.requestUnstake(bound(amount, 1, s)) {} catch {}
    }

    function withdrawStake(uint256 actorSeed) external {
        address a = stakers[actorSeed % stakers.length];
        (uint256 u, uint64 releaseAt) = stakeManager.unbondingOf(a);
        if (u == 0 || block.timestamp < releaseAt) return;
        vm.prank(a);
        stakeManager.withdraw();
    }

    function registerValidator(uint256 actorSeed) external {
        address a = stakers[actorSeed % stakers.length];
        if (pkOf[a] == 0 || _isWorker(a) || stakeManager.stakeOf(a) < stakeManager.params().minValidatorStake) return;
        vm.prank(a);
        stakeManager.registerValidator();
    }

    /// Anyone but the court trying to slash must fail.
    function unauthorizedSlash(uint256 actorSeed, uint256 victimSeed) external {
        address a = stakers[actorSeed % stakers.length];
        address victim = stakers[victimSeed % stakers.length];
        vm.prank(a);
        try stakeManager.slash(victim, 1_000) {
            ghost_unauthorizedSlash = true;
        } catch {}
    }

    /* ------------------------------------------------------------------ JOBS */

    function createJob(uint256 clientSeed, uint256 budget, uint256 price) external {
        address c = clients[clientSeed % clients.length];
        price = bound(price, 1e15, 10 * TL);
        budget = bound(budget, price, 2_000 * TL);
        if (token.balanceOf(address(this)) < budget) return;
        token.transfer(c, budget);
        vm.startPrank(c);
        token.approve(address(escrow), budget);
        jobIds.push(
            escrow.createJob(
                keccak256("spec"), budget, price, uint64(block.timestamp + 2 days), bytes32(0), 500_000, 0, 0
            )
        );
        vm.stopPrank();
    }

    function assign(uint256 jobSeed) external {
        if (jobIds.length == 0) return;
        uint256 id = jobIds[jobSeed % jobIds.length];
        IJobEscrow.Job memory j = escrow.getJob(id);
        if (j.status != IJobEscrow.JobStatus.Open && j.status != IJobEscrow.JobStatus.Active) return;
        if (block.timestamp > j.deadline) return;
        for (uint256 i = 0; i < workers.length; ++i) {
            if (!stakeManager.isWorker(workers[i])) return;
        }
        vm.prank(j.client);
        escrow.assign(id, workers, keccak256(abi.encode(id, block.timestamp)));
    }

    function cancelJob(uint256 jobSeed) external {
        if (jobIds.length == 0) return;
        uint256 id = jobIds[jobSeed % jobIds.length];
        IJobEscrow.Job memory j = escrow.getJob(id);
        if (j.status != IJobEscrow.JobStatus.Open && j.status != IJobEscrow.JobStatus.Active) return;
        vm.prank(j.client);
        escrow.cancelJob(id);
    }

    function refund(uint256 jobSeed) external {
        if (jobIds.length == 0) return;
        try escrow.refund(jobIds[jobSeed % jobIds.length]) {} catch {}
    }

    /// Anchors the next block of a job, signed by every member of the snapshot. The payout tree may
    /// over-promise (leaves up to the block's gross each); the escrow must cap it.
    function anchorBlock(uint256 jobSeed, uint256 steps, uint256 amountSeed) external {
        if (jobIds.length == 0) return;
        uint256 id = jobIds[jobSeed % jobIds.length];
        IJobEscrow.Job memory j = escrow.getJob(id);
        if (j.status != IJobEscrow.JobStatus.Active || block.timestamp > j.deadline) return;
        steps = bound(steps, 1, 8);
        uint256 gross = steps * j.pricePerStep;
        if (gross > j.budget - j.reserved) return;
        (, address[] memory members,,) = stakeManager.activeSnapshot();
        if (members.length == 0) return;

        (bytes32 lastHash, uint64 nextIndex, uint64 nextStep) = anchor.head(id);
        uint256[] memory amounts = new uint256[](workers.length);
        for (uint256 i = 0; i < workers.length; ++i) {
            amounts[i] = uint256(keccak256(abi.encode(amountSeed, i))) % (gross / workers.length + 2);
        }
        vm.roll(block.number + 1);
        uint64 stepTo = nextStep + uint64(steps);
        IPoLAnchor.PoLBlock memory h = IPoLAnchor.PoLBlock({
            jobId: id,
            index: nextIndex,
            parent: lastHash,
            stepFrom: nextStep,
            stepTo: stepTo,
            stepsRoot: Merkle.root(_stepLeaves(id, nextStep, stepTo)),
            payoutsRoot: Merkle.root(_payoutLeaves(amounts)),
            checkpointRoot: keccak256(abi.encode(id, stepTo)),
            randomness: blockhash(block.number - 1),
            randomnessBlock: uint64(block.number - 1)
        });
        // _signAll sorts `members` in place: afterwards it is the block's signer list.
        anchor.submit(h, _signAll(anchor.blockDigest(h), members));
        AnchoredInfo storage info = blocks.push();
        info.header = h;
        info.signers = members;
        info.anchoredAt = block.timestamp;
        info.amounts = amounts;
        ++ghost_anchors;
    }

    function claim(uint256 blockSeed, uint256 workerSeed) external {
        if (blocks.length == 0) return;
        AnchoredInfo storage b = blocks[blockSeed % blocks.length];
        uint256 w = workerSeed % workers.length;
        bytes32[] memory proof = Merkle.proof(_payoutLeaves(b.amounts), w);
        vm.prank(workers[w]);
        uint256 jobId = b.header.jobId;
        uint64 index = b.header.index;
        try escrow.claim(jobId, index, b.amounts[w], proof) {
            ++ghost_claims;
            if (block.timestamp < b.anchoredAt + escrow.getJob(jobId).challengeWindow) ghost_earlyClaim = true;
            bytes32 key = keccak256(abi.encode(jobId, index, workers[w]));
            if (ghost_claimed[key]) ghost_doubleClaim = true;
            ghost_claimed[key] = true;
        } catch {}
    }

    function sweep(uint256 blockSeed) external {
        if (blocks.length == 0) return;
        AnchoredInfo storage b = blocks[blockSeed % blocks.length];
        try escrow.sweep(b.header.jobId, b.header.index) {
            ++ghost_sweeps;
        } catch {}
    }

    function withdrawEscrow(uint256 actorSeed) external {
        address a = _anyone(actorSeed);
        if (escrow.creditOf(a) == 0) return;
        vm.prank(a);
        escrow.withdraw();
    }

    /* ------------------------------------------------------------------ DISPUTES */

    /// Commits, then reveals (one block later) a challenge of a worker's signed record.
    function challenge(uint256 blockSeed, uint256 workerSeed, uint256 stepSeed) external {
        if (blocks.length == 0) return;
        AnchoredInfo storage b = blocks[blockSeed % blocks.length];
        IPoLAnchor.PoLBlock memory h = b.header;
        uint256 w = workerSeed % workers.length;
        uint64 step = h.stepFrom + uint64(stepSeed % (h.stepTo - h.stepFrom));
        bytes32[] memory stepLeaves = _stepLeaves(h.jobId, h.stepFrom, h.stepTo);
        IDisputeCourt.Evidence memory ev;
        ev.header = h;
        ev.signers = b.signers;
        ev.record = _record(h.jobId, step, workers[w]);
        bytes32 leaf = keccak256(abi.encode(PoL.STEP_RECORD_TYPEHASH, ev.record));
        (uint8 v, bytes32 r, bytes32 s_) = vm.sign(pkOf[workers[w]], PoL.digest(anchor.domainSeparator(), leaf));
        ev.signature = abi.encodePacked(r, s_, v);
        ev.stepProof = Merkle.proof(stepLeaves, uint256(step - h.stepFrom) * workers.length + w);
        ev.payoutAmount = b.amounts[w];
        ev.payoutProof = Merkle.proof(_payoutLeaves(b.amounts), w);
        ev.salt = keccak256(abi.encode(blockSeed, workerSeed, stepSeed, block.number));
        uint256 bond = court.params().challengeBond;
        if (token.balanceOf(address(this)) < bond) return;
        token.transfer(challenger, bond);
        vm.startPrank(challenger);
        court.commitChallenge(court.challengeCommitment(challenger, h.jobId, h.index, leaf, ev.salt));
        vm.roll(block.number + 1);
        token.approve(address(court), bond);
        try court.challenge(ev) returns (uint256 id) {
            disputeIds.push(id);
            ++ghost_disputes;
        } catch {}
        token.approve(address(court), 0);
        vm.stopPrank();
    }

    /// Draws a dispute's committee once its draw block is mined.
    function draw(uint256 disputeSeed) external {
        if (disputeIds.length == 0) return;
        uint256 id = disputeIds[disputeSeed % disputeIds.length];
        IDisputeCourt.Dispute memory d = court.getDispute(id);
        if (d.status != IDisputeCourt.DisputeStatus.Drawing) return;
        if (block.number <= d.drawBlock) vm.roll(d.drawBlock + 1);
        try court.draw(id) {} catch {}
    }

    function vote(uint256 disputeSeed, uint256 memberSeed, bool fraud) external {
        if (disputeIds.length == 0) return;
        uint256 id = disputeIds[disputeSeed % disputeIds.length];
        address[] memory members = court.committee(id);
        if (members.length == 0) return;
        vm.prank(members[memberSeed % members.length]);
        try court.vote(id, fraud) {} catch {}
    }

    function resolve(uint256 disputeSeed) external {
        if (disputeIds.length == 0) return;
        uint256 id = disputeIds[disputeSeed % disputeIds.length];
        try court.resolve(id) {
            if (court.getDispute(id).status == IDisputeCourt.DisputeStatus.Fraud) {
                ++ghost_fraudVerdicts;
                ghost_slashedAccounts += 1 + court.sampledSigners(id).length;
            }
        } catch {}
    }

    /* ------------------------------------------------------------------ DATA AVAILABILITY */

    /// Demands the (step, 0, 0) record of a block.
    function requestData(uint256 blockSeed, uint256 stepSeed) external {
        if (blocks.length == 0) return;
        uint256 pos = blockSeed % blocks.length;
        AnchoredInfo storage b = blocks[pos];
        uint64 step = b.header.stepFrom + uint64(stepSeed % (b.header.stepTo - b.header.stepFrom));
        uint256 bond = court.params().challengeBond;
        if (token.balanceOf(address(this)) < bond) return;
        token.transfer(challenger, bond);
        vm.startPrank(challenger);
        token.approve(address(court), bond);
        try court.requestData(b.header, b.signers, step, 0, 0) returns (uint256 id) {
            requestIds.push(id);
            requestBlock[id] = pos;
        } catch {}
        token.approve(address(court), 0);
        vm.stopPrank();
    }

    /// Answers a request with a worker's signed record of the step.
    function provideData(uint256 requestSeed, uint256 workerSeed) external {
        if (requestIds.length == 0) return;
        uint256 id = requestIds[requestSeed % requestIds.length];
        IDisputeCourt.DataRequest memory r = court.getDataRequest(id);
        if (r.status != IDisputeCourt.RequestStatus.Open) return;
        AnchoredInfo storage b = blocks[requestBlock[id]];
        uint256 w = workerSeed % workers.length;
        IDisputeCourt.StepRecord memory record = _record(r.jobId, r.step, workers[w]);
        bytes32 leaf = keccak256(abi.encode(PoL.STEP_RECORD_TYPEHASH, record));
        (uint8 v, bytes32 rs, bytes32 ss) = vm.sign(pkOf[workers[w]], PoL.digest(anchor.domainSeparator(), leaf));
        bytes32[] memory proof = Merkle.proof(
            _stepLeaves(r.jobId, b.header.stepFrom, b.header.stepTo),
            uint256(r.step - b.header.stepFrom) * workers.length + w
        );
        try court.provideData(id, record, abi.encodePacked(rs, ss, v), proof) {
            ++ghost_dataAnswered;
        } catch {}
    }

    /// After an unanswered request's deadline: every signer slashed, the block voided.
    function resolveData(uint256 requestSeed) external {
        if (requestIds.length == 0) return;
        uint256 id = requestIds[requestSeed % requestIds.length];
        AnchoredInfo storage b = blocks[requestBlock[id]];
        try court.resolveData(id, b.signers) {
            ++ghost_dataFailed;
            ghost_slashedAccounts += b.signers.length;
        } catch {}
    }

    function withdrawCourt(uint256 actorSeed) external {
        address a = _anyone(actorSeed);
        if (court.creditOf(a) == 0) return;
        vm.prank(a);
        court.withdraw();
    }

    /* ------------------------------------------------------------------ TIME */

    /// Mostly short jumps; one in sixteen jumps past the claim period so sweeps can happen.
    function warp(uint256 seconds_) external {
        uint256 jump = seconds_ % 16 == 0 ? 91 days : bound(seconds_, 1, 1 days);
        vm.warp(block.timestamp + jump);
    }

    /* ------------------------------------------------------------------ VIEWS FOR INVARIANTS */

    function stakerCount() external view returns (uint256) {
        return stakers.length;
    }

    function jobCount() external view returns (uint256) {
        return jobIds.length;
    }

    function blockCount() external view returns (uint256) {
        return blocks.length;
    }

    function blockAt(uint256 i) external view returns (uint256 jobId, uint64 index) {
        return (blocks[i].header.jobId, blocks[i].header.index);
    }

    /* ------------------------------------------------------------------ INTERNAL */

    function _anyone(uint256 seed) internal view returns (address) {
        uint256 n = stakers.length + clients.length + 1;
        uint256 i = seed % n;
        if (i < stakers.length) return stakers[i];
        if (i < stakers.length + clients.length) return clients[i - stakers.length];
        return escrow.treasury();
    }

    function _payoutLeaves(uint256[] memory amounts) internal view returns (bytes32[] memory leaves) {
        leaves = new bytes32[](workers.length);
        for (uint256 i = 0; i < workers.length; ++i) {
            leaves[i] = keccak256(bytes.concat(keccak256(abi.encode(workers[i], amounts[i]))));
        }
    }

    function _isWorker(address a) internal view returns (bool) {
        for (uint256 i = 0; i < workers.length; ++i) {
            if (workers[i] == a) return true;
        }
        return false;
    }

    function _record(uint256 jobId, uint64 step, address worker)
        internal
        pure
        returns (IDisputeCourt.StepRecord memory r)
    {
        r.jobId = jobId;
        r.step = step;
        r.stages = 1;
        r.replicas = 1;
        r.worker = worker;
        r.gradRoot = keccak256(abi.encode(jobId, step, worker));
    }

    function _stepLeaves(uint256 jobId, uint64 from, uint64 to) internal view returns (bytes32[] memory leaves) {
        leaves = new bytes32[](uint256(to - from) * workers.length);
        uint256 n = 0;
        for (uint64 s = from; s < to; ++s) {
            for (uint256 i = 0; i < workers.length; ++i) {
                leaves[n++] = keccak256(abi.encode(PoL.STEP_RECORD_TYPEHASH, _record(jobId, s, workers[i])));
            }
        }
    }

    /// Signs with every snapshot member, in ascending address order.
    function _signAll(bytes32 digest, address[] memory members) internal view returns (bytes[] memory sigs) {
        uint256 n = members.length;
        for (uint256 i = 1; i < n; ++i) {
            address m = members[i];
            uint256 k = i;
            while (k > 0 && members[k - 1] > m) {
                members[k] = members[k - 1];
                --k;
            }
            members[k] = m;
        }
        sigs = new bytes[](n);
        for (uint256 i = 0; i < n; ++i) {
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(pkOf[members[i]], digest);
            sigs[i] = abi.encodePacked(r, s, v);
        }
    }
}
