// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Test} from "./Test.sol";
import {Merkle} from "./Merkle.sol";
import {TensorLinkToken} from "../../src/TensorLinkToken.sol";
import {StakeManager} from "../../src/StakeManager.sol";
import {JobEscrow} from "../../src/JobEscrow.sol";
import {PoLAnchor} from "../../src/PoLAnchor.sol";
import {DisputeCourt} from "../../src/DisputeCourt.sol";
import {IStakeManager} from "../../src/interfaces/IStakeManager.sol";
import {IJobEscrow} from "../../src/interfaces/IJobEscrow.sol";
import {IPoLAnchor} from "../../src/interfaces/IPoLAnchor.sol";
import {IDisputeCourt} from "../../src/interfaces/IDisputeCourt.sol";
import {PoL} from "../../src/libraries/PoL.sol";

/// @notice Shared fixture: deploys the suite with the devnet genesis parameters, wires it, and offers
/// helpers for validators (real secp256k1 keys), jobs, payout trees and signed PoL blocks.
abstract contract SuiteFixture is Test {
    uint256 internal constant TL = 1e18;
    uint256 internal constant SUPPLY = 1_000_000_000 * TL;

    // genesis/devnet.json
    uint256 internal constant MIN_VALIDATOR_STAKE = 39_900 * TL;
    uint256 internal constant MIN_WORKER_STAKE = 1_000 * TL;
    uint256 internal constant MAX_VALIDATORS = 20;
    uint256 internal constant EPOCH = 3600;
    uint64 internal constant UNBONDING = 604_800;
    uint32 internal constant CHALLENGE_WINDOW = 600;
    uint16 internal constant VALIDATOR_FEE_BPS = 500;
    uint16 internal constant PROTOCOL_FEE_BPS = 100;
    uint32 internal constant MAX_WORKERS = 256;
    uint256 internal constant BOND = 100 * TL;
    uint32 internal constant VOTING_WINDOW = 600;
    uint16 internal constant COMMITTEE = 5;
    uint16 internal constant REWARD_BPS = 5_000;
    uint16 internal constant SLASH_BPS = 1_000;

    /// Default verify rate of test jobs (20%).
    uint32 internal constant RATE_PPM = 200_000;

    uint256 internal constant PRICE = 1 * TL;
    uint256 internal constant BUDGET = 1_000 * TL;

    struct Key {
        address addr;
        uint256 pk;
    }

    IERC20 internal token;
    StakeManager internal stakeManager;
    JobEscrow internal escrow;
    PoLAnchor internal anchor;
    DisputeCourt internal court;

    address internal treasury = _makeAddr("treasury");
    address internal client = _makeAddr("client");
    address internal outsider = _makeAddr("outsider");

    /// Validators, kept sorted by ascending address (the order signatures must come in).
    Key[] internal validators;
    uint256 private _nextPk = 0xA11CE;
    /// Private keys of the named accounts (`_makeAddr`), so workers can sign their records.
    mapping(address account => uint256) internal pkOf;

    function setUp() public virtual {
        // Leave room for randomness blocks: headers use the previous block's hash.
        vm.roll(1_000);
        address[] memory holders = new address[](1);
        holders[0] = address(this);
        uint256[] memory amounts = new uint256[](1);
        amounts[0] = SUPPLY;
        _deploySuite(IERC20(address(new TensorLinkToken("TensorLink", "TL", holders, amounts))));
    }

    /* ------------------------------------------------------------------ DEPLOYMENT */

    function _deploySuite(IERC20 token_) internal {
        token = token_;
        stakeManager = new StakeManager(token, _stakingParams(), MAX_VALIDATORS, EPOCH, address(this));
        escrow = new JobEscrow(token, stakeManager, _escrowParams(), address(this));
        anchor = new PoLAnchor(stakeManager, escrow);
        court = new DisputeCourt(token, stakeManager, anchor, escrow, _courtParams(), address(this));
        stakeManager.connect(address(escrow), address(court));
        escrow.connect(address(anchor), address(court));
        vm.label(address(stakeManager), "StakeManager");
        vm.label(address(escrow), "JobEscrow");
        vm.label(address(anchor), "PoLAnchor");
        vm.label(address(court), "DisputeCourt");
    }

    function _stakingParams() internal pure returns (IStakeManager.Params memory) {
        return IStakeManager.Params(MIN_VALIDATOR_STAKE, MIN_WORKER_STAKE, UNBONDING);
    }

    function _escrowParams() internal view returns (IJobEscrow.Params memory) {
        return IJobEscrow.Params(CHALLENGE_WINDOW, VALIDATOR_FEE_BPS, PROTOCOL_FEE_BPS, MAX_WORKERS, treasury);
    }

    function _courtParams() internal pure returns (IDisputeCourt.Params memory) {
        return IDisputeCourt.Params(BOND, VOTING_WINDOW, COMMITTEE, REWARD_BPS, SLASH_BPS);
    }

    /* ------------------------------------------------------------------ ACCOUNTS AND STAKE */

    function _makeAddr(string memory name) internal returns (address a) {
        uint256 pk = uint256(keccak256(bytes(name)));
        a = vm.addr(pk);
        pkOf[a] = pk;
        vm.label(a, name);
    }

    function _fund(address to, uint256 amount) internal {
        token.transfer(to, amount);
    }

    function _stake(address who, uint256 amount) internal {
        _fund(who, amount);
        vm.startPrank(who);
        token.approve(address(stakeManager), amount);
        stakeManager.stake(amount);
        vm.stopPrank();
    }

    function _newKey() internal returns (Key memory k) {
        k.pk = _nextPk++;
        k.addr = vm.addr(k.pk);
    }

    /// Adds `n` registered validators staking `stakeEach` and keeps `validators` sorted.
    function _addValidators(uint256 n, uint256 stakeEach) internal {
        for (uint256 i = 0; i < n; ++i) {
            Key memory k = _newKey();
            _stake(k.addr, stakeEach);
            vm.prank(k.addr);
            stakeManager.registerValidator();
            validators.push(k);
        }
        _sortValidators();
    }

    function _sortValidators() private {
        uint256 n = validators.length;
        for (uint256 i = 1; i < n; ++i) {
            Key memory k = validators[i];
            uint256 j = i;
            while (j > 0 && validators[j - 1].addr > k.addr) {
                validators[j] = validators[j - 1];
                --j;
            }
            validators[j] = k;
        }
    }

    function _nextEpoch() internal {
        vm.warp(block.timestamp + EPOCH);
    }

    function _worker(uint256 i) internal returns (address w) {
        w = _makeAddr(string.concat("worker", vm.toString(i)));
    }

    /// Creates `n` staked workers.
    function _stakedWorkers(uint256 n) internal returns (address[] memory workers) {
        workers = new address[](n);
        for (uint256 i = 0; i < n; ++i) {
            workers[i] = _worker(i);
            _stake(workers[i], MIN_WORKER_STAKE);
        }
    }

    /* ------------------------------------------------------------------ JOBS */

    function _createJob(uint256 budget, uint256 price) internal returns (uint256 jobId) {
        jobId = _createJobAt(budget, price, RATE_PPM);
    }

    function _createJobAt(uint256 budget, uint256 price, uint32 ratePpm) internal returns (uint256 jobId) {
        _fund(client, budget);
        vm.startPrank(client);
        token.approve(address(escrow), budget);
        jobId = escrow.createJob(
            keccak256("spec"), budget, price, uint64(block.timestamp + 1 days), keccak256("p"), ratePpm, 0, 0
        );
        vm.stopPrank();
    }

    function _assign(uint256 jobId, address[] memory workers) internal {
        vm.prank(client);
        escrow.assign(jobId, workers, keccak256(abi.encode(workers)));
    }

    /// Validators (n, 40,000 TL each) active in the current snapshot, `w` workers, one assigned job.
    function _activeJob(uint256 n, uint256 w) internal returns (uint256 jobId, address[] memory workers) {
        _addValidators(n, 40_000 * TL);
        _nextEpoch();
        workers = _stakedWorkers(w);
        jobId = _createJob(BUDGET, PRICE);
        _assign(jobId, workers);
    }

    /* ------------------------------------------------------------------ BLOCKS */

    function _payoutLeaves(address[] memory workers, uint256[] memory amounts)
        internal
        pure
        returns (bytes32[] memory leaves)
    {
        leaves = new bytes32[](workers.length);
        for (uint256 i = 0; i < workers.length; ++i) {
            leaves[i] = keccak256(bytes.concat(keccak256(abi.encode(workers[i], amounts[i]))));
        }
    }

    /// Splits a block's worker pool equally among `workers` (what a fair payouts tree holds).
    function _equalAmounts(uint256 steps, uint256 count) internal pure returns (uint256[] memory amounts) {
        uint256 gross = steps * PRICE;
        uint256 pool = gross - gross * VALIDATOR_FEE_BPS / 10_000 - gross * PROTOCOL_FEE_BPS / 10_000;
        amounts = new uint256[](count);
        for (uint256 i = 0; i < count; ++i) {
            amounts[i] = pool / count;
        }
    }

    function _stepRecord(uint256 jobId, uint64 step, address worker)
        internal
        pure
        returns (IDisputeCourt.StepRecord memory r)
    {
        r.jobId = jobId;
        r.step = step;
        r.stages = 1;
        r.replicas = 1;
        r.worker = worker;
        r.batchCommitment = keccak256(abi.encode("batch", step));
        r.paramsBefore = keccak256(abi.encode("before", step));
        r.optStateBefore = keccak256(abi.encode("opt-before", step));
        r.gradRoot = keccak256(abi.encode("grad", step, worker));
        r.reduceRoot = keccak256(abi.encode("reduce", step));
        r.paramsAfter = keccak256(abi.encode("after", step));
        r.optStateAfter = keccak256(abi.encode("opt-after", step));
        r.lossBits = 0x3FF0000000000000;
    }

    /// The record's leaf: its EIP-712 struct hash.
    function _stepLeaf(IDisputeCourt.StepRecord memory r) internal pure returns (bytes32) {
        return keccak256(abi.encode(PoL.STEP_RECORD_TYPEHASH, r));
    }

    /// The worker's EIP-712 signature over `r` (under the anchor's domain).
    function _recordSig(IDisputeCourt.StepRecord memory r) internal view returns (bytes memory) {
        return _sig(pkOf[r.worker], PoL.digest(anchor.domainSeparator(), _stepLeaf(r)));
    }

    /// One step record per worker for steps [from, to), i.e. (to - from) x workers leaves.
    function _stepLeaves(uint256 jobId, uint64 from, uint64 to, address[] memory workers)
        internal
        pure
        returns (bytes32[] memory leaves)
    {
        leaves = new bytes32[](uint256(to - from) * workers.length);
        uint256 n = 0;
        for (uint64 s = from; s < to; ++s) {
            for (uint256 i = 0; i < workers.length; ++i) {
                leaves[n++] = _stepLeaf(_stepRecord(jobId, s, workers[i]));
            }
        }
    }

    /// A header whose randomness is the previous chain block's hash.
    function _header(uint256 jobId, uint64 index, bytes32 parent, uint64 from, uint64 to, bytes32 payoutsRoot)
        internal
        view
        returns (IPoLAnchor.PoLBlock memory)
    {
        return IPoLAnchor.PoLBlock({
            jobId: jobId,
            index: index,
            parent: parent,
            stepFrom: from,
            stepTo: to,
            stepsRoot: keccak256(abi.encode("steps", jobId, index)),
            payoutsRoot: payoutsRoot,
            checkpointRoot: keccak256(abi.encode("ckpt", jobId, index)),
            randomness: blockhash(block.number - 1),
            randomnessBlock: uint64(block.number - 1)
        });
    }

    function _sig(uint256 pk, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, digest);
        return abi.encodePacked(r, s, v);
    }

    /// Signatures of the first `k` validators (ascending address order).
    function _sign(IPoLAnchor.PoLBlock memory h, uint256 k) internal view returns (bytes[] memory sigs) {
        bytes32 digest = anchor.blockDigest(h);
        sigs = new bytes[](k);
        for (uint256 i = 0; i < k; ++i) {
            sigs[i] = _sig(validators[i].pk, digest);
        }
    }

    /// The first `k` validators' addresses (ascending): the signer list of a block signed by `_sign(h, k)`.
    function _signers(uint256 k) internal view returns (address[] memory list) {
        list = new address[](k);
        for (uint256 i = 0; i < k; ++i) {
            list[i] = validators[i].addr;
        }
    }

    /// Anchors a block paying `amounts` to `workers`, signed by the first `k` validators.
    function _anchorBlock(
        uint256 jobId,
        uint64 from,
        uint64 to,
        address[] memory workers,
        uint256[] memory amounts,
        uint256 k
    ) internal returns (IPoLAnchor.PoLBlock memory h, bytes32[] memory leaves) {
        (bytes32 lastHash, uint64 nextIndex,) = anchor.head(jobId);
        leaves = _payoutLeaves(workers, amounts);
        h = _header(jobId, nextIndex, lastHash, from, to, Merkle.root(leaves));
        anchor.submit(h, _sign(h, k));
    }

    /* ------------------------------------------------------------------ DISPUTES */

    /// Commits (in this block) and reveals (in the next) a challenge by `who`; returns the dispute id.
    function _challenge(address who, IDisputeCourt.Evidence memory ev) internal returns (uint256 id) {
        _commit(who, ev);
        vm.roll(block.number + 1);
        vm.prank(who);
        id = court.challenge(ev);
    }

    function _commit(address who, IDisputeCourt.Evidence memory ev) internal {
        bytes32 c = court.challengeCommitment(who, ev.header.jobId, ev.header.index, _stepLeaf(ev.record), ev.salt);
        vm.prank(who);
        court.commitChallenge(c);
    }

    /// Rolls past the dispute's draw block and draws its committee.
    function _draw(uint256 id) internal {
        vm.roll(court.getDispute(id).drawBlock + 1);
        court.draw(id);
    }

    /// Evidence against `r` in block `h` signed by `signers`, with proofs into `stepLeaves` at
    /// `stepIndex` and into `payoutLeaves` at `payoutIndex` for `amount`.
    function _evidence(
        IPoLAnchor.PoLBlock memory h,
        address[] memory signers,
        IDisputeCourt.StepRecord memory r,
        bytes32[] memory stepLeaves,
        uint256 stepIndex,
        bytes32[] memory payoutLeaves,
        uint256 payoutIndex,
        uint256 amount
    ) internal view returns (IDisputeCourt.Evidence memory ev) {
        ev.header = h;
        ev.signers = signers;
        ev.record = r;
        ev.signature = _recordSig(r);
        ev.stepProof = Merkle.proof(stepLeaves, stepIndex);
        ev.payoutAmount = amount;
        ev.payoutProof = Merkle.proof(payoutLeaves, payoutIndex);
        ev.salt = keccak256(abi.encode("salt", stepIndex));
    }

    /* ------------------------------------------------------------------ ACCOUNTING */

    function _assertBooksBalance() internal view {
        assertEq(
            token.balanceOf(address(escrow)),
            escrow.totalLocked() + escrow.totalCredits(),
            "escrow TL == locked + credits"
        );
        assertEq(
            token.balanceOf(address(stakeManager)),
            stakeManager.totalBonded() + stakeManager.totalUnbonding(),
            "stake TL == bonded + unbonding"
        );
        assertEq(
            token.balanceOf(address(court)), court.totalBonds() + court.totalCredits(), "court TL == bonds + credits"
        );
    }
}
