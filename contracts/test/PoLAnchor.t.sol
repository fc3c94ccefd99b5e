// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {SuiteFixture} from "./utils/SuiteFixture.sol";
import {Merkle} from "./utils/Merkle.sol";
import {PoLAnchor} from "../src/PoLAnchor.sol";
import {IPoLAnchor} from "../src/interfaces/IPoLAnchor.sol";
import {IJobEscrow} from "../src/interfaces/IJobEscrow.sol";
import {IStakeManager} from "../src/interfaces/IStakeManager.sol";

contract PoLAnchorTest is SuiteFixture {
    bytes32 internal constant TYPEHASH = keccak256(
        "PoLBlock(uint256 jobId,uint64 index,bytes32 parent,uint64 stepFrom,uint64 stepTo,bytes32 stepsRoot,bytes32 payoutsRoot,bytes32 checkpointRoot,bytes32 randomness,uint64 randomnessBlock)"
    );
    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    uint256 internal jobId;
    address[] internal workers;
    bytes32 internal payoutsRoot;

    function setUp() public override {
        super.setUp();
        (jobId, workers) = _activeJob(3, 2);
        payoutsRoot = Merkle.root(_payoutLeaves(workers, _equalAmounts(10, 2)));
    }

    /* ------------------------------------------------------------------ HASHING */

    function test_constructor_revertsOnZero() public {
        vm.expectRevert(IPoLAnchor.PoLAnchorZeroAddress.selector);
        new PoLAnchor(IStakeManager(address(0)), escrow);
        vm.expectRevert(IPoLAnchor.PoLAnchorZeroAddress.selector);
        new PoLAnchor(stakeManager, IJobEscrow(address(0)));
        assertEq(anchor.stakeManager(), address(stakeManager), "stakeManager");
        assertEq(anchor.escrow(), address(escrow), "escrow");
    }

    function test_hashing_matchesEip712ByHand() public view {
        IPoLAnchor.PoLBlock memory h = _header(jobId, 0, bytes32(0), 0, 10, payoutsRoot);
        bytes32 structHash = keccak256(
            bytes.concat(
                abi.encode(TYPEHASH, h.jobId, h.index, h.parent, h.stepFrom, h.stepTo, h.stepsRoot, h.payoutsRoot),
                abi.encode(h.checkpointRoot, h.randomness, h.randomnessBlock)
            )
        );
        assertEq(anchor.hashBlock(h), structHash, "hashBlock");
        assertEq(anchor.domainSeparator(), _domain(block.chainid, address(anchor)), "domain");
        assertEq(
            anchor.blockDigest(h),
            keccak256(abi.encodePacked(hex"1901", _domain(block.chainid, address(anchor)), structHash)),
            "digest"
        );
        assertEq(anchor.POL_BLOCK_TYPEHASH(), TYPEHASH, "typehash");
    }

    /* ------------------------------------------------------------------ SUBMIT: HAPPY PATHS */

    function test_submit_anchorsAndChains() public {
        IPoLAnchor.PoLBlock memory h = _header(jobId, 0, bytes32(0), 0, 10, payoutsRoot);
        bytes32 expectedHash = anchor.hashBlock(h);
        address[] memory signers = new address[](2);
        signers[0] = validators[0].addr;
        signers[1] = validators[1].addr;
        vm.expectEmit(true, true, true, true, address(anchor));
        emit IPoLAnchor.BlockAnchored(
            jobId,
            0,
            expectedHash,
            bytes32(0),
            0,
            10,
            h.stepsRoot,
            payoutsRoot,
            h.checkpointRoot,
            signers,
            80_000 * TL,
            120_000 * TL
        );
        bytes32 signersHash = keccak256(abi.encodePacked(signers));
        bytes32 commitment = keccak256(abi.encode(expectedHash, signersHash));
        vm.expectEmit(true, true, false, true, address(anchor));
        emit IPoLAnchor.BlockCommitted(jobId, 0, h.randomness, h.randomnessBlock, signersHash, commitment);
        bytes32 blockHash = anchor.submit(h, _sign(h, 2));
        assertEq(blockHash, expectedHash, "returned hash");
        (bytes32 lastHash, uint64 nextIndex, uint64 nextStep) = anchor.head(jobId);
        assertEq(lastHash, blockHash, "head hash");
        assertEq(nextIndex, 1, "next index");
        assertEq(nextStep, 10, "next step");
        assertEq(anchor.blockCommitment(jobId, 0), commitment, "commitment stored");
        assertEq(anchor.hashSigners(signers), signersHash, "signers hash");
        assertEq(anchor.checkBlock(h, signers), blockHash, "header + signers provable");
        assertEq(escrow.payoutsRoot(jobId, 0), payoutsRoot, "payouts root");
        assertEq(escrow.claimableAt(jobId, 0), block.timestamp + CHALLENGE_WINDOW, "claimableAt");
        // The next block links to it.
        IPoLAnchor.PoLBlock memory h1 = _header(jobId, 1, blockHash, 10, 25, payoutsRoot);
        anchor.submit(h1, _sign(h1, 3));
        (, nextIndex, nextStep) = anchor.head(jobId);
        assertEq(nextIndex, 2, "index 2");
        assertEq(nextStep, 25, "step 25");
    }

    function test_submit_stakeWeightedQuorum() public {
        // A fresh suite where one validator alone holds 2/3 of the stake.
        _deploySuite(token);
        delete validators;
        Key memory big = _newKey();
        _stake(big.addr, 80_000 * TL);
        vm.prank(big.addr);
        stakeManager.registerValidator();
        validators.push(big);
        Key memory small = _newKey();
        _stake(small.addr, 40_000 * TL);
        vm.prank(small.addr);
        stakeManager.registerValidator();
        _nextEpoch();
        address[] memory ws = _stakedWorkers(1);
        uint256 id = _createJob(BUDGET, PRICE);
        _assign(id, ws);
        IPoLAnchor.PoLBlock memory h = _header(id, 0, bytes32(0), 0, 10, payoutsRoot);
        anchor.submit(h, _sign(h, 1));
        (, uint64 nextIndex,) = anchor.head(id);
        assertEq(nextIndex, 1, "80k of 120k is exactly 2/3");
    }

    /* ------------------------------------------------------------------ SUBMIT: CHAIN REVERTS */

    function test_submit_revertsOnReplayedBlock() public {
        IPoLAnchor.PoLBlock memory h = _header(jobId, 0, bytes32(0), 0, 10, payoutsRoot);
        bytes[] memory sigs = _sign(h, 2);
        anchor.submit(h, sigs);
        vm.expectRevert(abi.encodeWithSelector(IPoLAnchor.PoLAnchorUnexpectedIndex.selector, jobId, 1, 0));
        anchor.submit(h, sigs);
    }

    function test_submit_revertsOnSkippedIndex() public {
        IPoLAnchor.PoLBlock memory h = _header(jobId, 1, bytes32(0), 0, 10, payoutsRoot);
        bytes[] memory sigs = _sign(h, 2);
        vm.expectRevert(abi.encodeWithSelector(IPoLAnchor.PoLAnchorUnexpectedIndex.selector, jobId, 0, 1));
        anchor.submit(h, sigs);
    }

    function test_submit_revertsOnWrongParent() public {
        IPoLAnchor.PoLBlock memory h = _header(jobId, 0, bytes32(0), 0, 10, payoutsRoot);
        bytes32 first = anchor.submit(h, _sign(h, 2));
        IPoLAnchor.PoLBlock memory h1 = _header(jobId, 1, keccak256("forged"), 10, 20, payoutsRoot);
        bytes[] memory sigs = _sign(h1, 2);
        vm.expectRevert(
            abi.encodeWithSelector(IPoLAnchor.PoLAnchorParentMismatch.selector, jobId, first, keccak256("forged"))
        );
        anchor.submit(h1, sigs);
    }

    function test_submit_revertsOnStepGapAndEmptyRange() public {
        IPoLAnchor.PoLBlock memory h = _header(jobId, 0, bytes32(0), 5, 10, payoutsRoot);
        bytes[] memory sigs = _sign(h, 2);
        vm.expectRevert(abi.encodeWithSelector(IPoLAnchor.PoLAnchorStepGap.selector, jobId, 0, 5));
        anchor.submit(h, sigs);
        h = _header(jobId, 0, bytes32(0), 0, 0, payoutsRoot);
        sigs = _sign(h, 2);
        vm.expectRevert(abi.encodeWithSelector(IPoLAnchor.PoLAnchorEmptyStepRange.selector, 0, 0));
        anchor.submit(h, sigs);
    }

    function test_submit_revertsWhenEscrowCannotPay() public {
        IPoLAnchor.PoLBlock memory h = _header(jobId, 0, bytes32(0), 0, 1_001, payoutsRoot);
        bytes[] memory sigs = _sign(h, 2);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.JobEscrowBudgetExceeded.selector, jobId, 1_001 * TL, BUDGET));
        anchor.submit(h, sigs);
    }

    /* ------------------------------------------------------------------ SUBMIT: SIGNATURE REVERTS */

    function test_submit_revertsOnDuplicateSigner() public {
        IPoLAnchor.PoLBlock memory h = _header(jobId, 0, bytes32(0), 0, 10, payoutsRoot);
        bytes[] memory sigs = _sign(h, 2);
        sigs[1] = sigs[0];
        vm.expectRevert(abi.encodeWithSelector(IPoLAnchor.PoLAnchorDuplicateSigner.selector, 1, validators[0].addr));
        anchor.submit(h, sigs);
    }

    function test_submit_revertsOnUnsortedSigners() public {
        IPoLAnchor.PoLBlock memory h = _header(jobId, 0, bytes32(0), 0, 10, payoutsRoot);
        bytes[] memory sigs = _sign(h, 2);
        (sigs[0], sigs[1]) = (sigs[1], sigs[0]);
        vm.expectRevert(
            abi.encodeWithSelector(
                IPoLAnchor.PoLAnchorSignersNotAscending.selector, 1, validators[1].addr, validators[0].addr
            )
        );
        anchor.submit(h, sigs);
    }

    function test_submit_revertsOnNonValidatorSigner() public {
        IPoLAnchor.PoLBlock memory h = _header(jobId, 0, bytes32(0), 0, 10, payoutsRoot);
        Key memory stranger = _newKey();
        bytes[] memory sigs = new bytes[](1);
        sigs[0] = _sig(stranger.pk, anchor.blockDigest(h));
        vm.expectRevert(abi.encodeWithSelector(IPoLAnchor.PoLAnchorNotActiveValidator.selector, stranger.addr));
        anchor.submit(h, sigs);
    }

    function test_submit_revertsOnValidatorNotYetInSnapshot() public {
        // Registered this epoch: in the live set, not in the snapshot.
        Key memory late = _newKey();
        _stake(late.addr, 1_000_000 * TL);
        vm.prank(late.addr);
        stakeManager.registerValidator();
        assertTrue(stakeManager.isActiveValidator(late.addr), "live member");
        IPoLAnchor.PoLBlock memory h = _header(jobId, 0, bytes32(0), 0, 10, payoutsRoot);
        bytes[] memory sigs = new bytes[](1);
        sigs[0] = _sig(late.pk, anchor.blockDigest(h));
        vm.expectRevert(abi.encodeWithSelector(IPoLAnchor.PoLAnchorNotActiveValidator.selector, late.addr));
        anchor.submit(h, sigs);
    }

    function test_submit_revertsUnderTwoThirds() public {
        IPoLAnchor.PoLBlock memory h = _header(jobId, 0, bytes32(0), 0, 10, payoutsRoot);
        bytes[] memory sigs = _sign(h, 1);
        vm.expectRevert(
            abi.encodeWithSelector(IPoLAnchor.PoLAnchorInsufficientStake.selector, 40_000 * TL, 120_000 * TL)
        );
        anchor.submit(h, sigs);
        bytes[] memory none = new bytes[](0);
        vm.expectRevert(IPoLAnchor.PoLAnchorNoSignatures.selector);
        anchor.submit(h, none);
    }

    function test_submit_revertsOnWrongChainId() public {
        IPoLAnchor.PoLBlock memory h = _header(jobId, 0, bytes32(0), 0, 10, payoutsRoot);
        bytes32 foreign = keccak256(abi.encodePacked(hex"1901", _domain(1, address(anchor)), anchor.hashBlock(h)));
        _expectForeignDigestRejected(h, foreign);
    }

    function test_submit_revertsOnWrongContract() public {
        IPoLAnchor.PoLBlock memory h = _header(jobId, 0, bytes32(0), 0, 10, payoutsRoot);
        bytes32 foreign = keccak256(abi.encodePacked(hex"1901", _domain(block.chainid, outsider), anchor.hashBlock(h)));
        _expectForeignDigestRejected(h, foreign);
    }

    function test_submit_signaturesForOneJobDoNotAnchorAnother() public {
        uint256 other = _createJob(BUDGET, PRICE);
        _assign(other, workers);
        IPoLAnchor.PoLBlock memory h = _header(jobId, 0, bytes32(0), 0, 10, payoutsRoot);
        bytes[] memory sigs = _sign(h, 1);
        h.jobId = other;
        bytes32 digest = anchor.blockDigest(h);
        (uint8 v, bytes32 r, bytes32 s) = _split(sigs[0]);
        vm.expectRevert(
            abi.encodeWithSelector(IPoLAnchor.PoLAnchorNotActiveValidator.selector, ecrecover(digest, v, r, s))
        );
        anchor.submit(h, sigs);
    }

    function test_submit_revertsOnMalformedSignatures() public {
        IPoLAnchor.PoLBlock memory h = _header(jobId, 0, bytes32(0), 0, 10, payoutsRoot);
        bytes[] memory sigs = _sign(h, 2);
        sigs[1] = bytes.concat(sigs[1], hex"00");
        vm.expectRevert(abi.encodeWithSelector(IPoLAnchor.PoLAnchorInvalidSignature.selector, 1));
        anchor.submit(h, sigs);
        // The same signature with s flipped to the upper half (malleability) is rejected.
        sigs = _sign(h, 2);
        (uint8 v, bytes32 r, bytes32 s) = _split(sigs[0]);
        sigs[0] = abi.encodePacked(r, bytes32(SECP256K1_N - uint256(s)), v == 27 ? uint8(28) : uint8(27));
        vm.expectRevert(abi.encodeWithSelector(IPoLAnchor.PoLAnchorInvalidSignature.selector, 0));
        anchor.submit(h, sigs);
    }

    function test_submit_revertsOnTooManySignatures() public {
        IPoLAnchor.PoLBlock memory h = _header(jobId, 0, bytes32(0), 0, 10, payoutsRoot);
        bytes[] memory sigs = new bytes[](MAX_VALIDATORS + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IPoLAnchor.PoLAnchorTooManySignatures.selector, MAX_VALIDATORS + 1, MAX_VALIDATORS)
        );
        anchor.submit(h, sigs);
    }

    /* ------------------------------------------------------------------ SUBMIT: RANDOMNESS */

    function test_submit_revertsOnRandomnessBlockOutOfRange() public {
        IPoLAnchor.PoLBlock memory h = _header(jobId, 0, bytes32(0), 0, 10, payoutsRoot);
        h.randomnessBlock = uint64(block.number);
        h.randomness = bytes32(0);
        bytes[] memory sigs = _sign(h, 2);
        vm.expectRevert(
            abi.encodeWithSelector(IPoLAnchor.PoLAnchorRandomnessOutOfRange.selector, block.number, block.number)
        );
        anchor.submit(h, sigs);
        // 256 blocks back is the oldest accepted; 257 is refused.
        h = _header(jobId, 0, bytes32(0), 0, 10, payoutsRoot);
        vm.roll(block.number + 255);
        anchor.submit(h, _sign(h, 2));
        IPoLAnchor.PoLBlock memory h1 = _header(jobId, 1, anchor.hashBlock(h), 10, 20, payoutsRoot);
        vm.roll(block.number + 257);
        sigs = _sign(h1, 2);
        vm.expectRevert(
            abi.encodeWithSelector(IPoLAnchor.PoLAnchorRandomnessOutOfRange.selector, h1.randomnessBlock, block.number)
        );
        anchor.submit(h1, sigs);
    }

    function test_submit_revertsWhenRandomnessIsNotTheBlockHash() public {
        IPoLAnchor.PoLBlock memory h = _header(jobId, 0, bytes32(0), 0, 10, payoutsRoot);
        h.randomness = keccak256("chosen by the signers");
        bytes[] memory sigs = _sign(h, 2);
        vm.expectRevert(
            abi.encodeWithSelector(
                IPoLAnchor.PoLAnchorRandomnessMismatch.selector, blockhash(h.randomnessBlock), h.randomness
            )
        );
        anchor.submit(h, sigs);
    }

    /* ------------------------------------------------------------------ COMMITMENTS AND SAMPLES */

    function test_checkBlock_revertsOnUnknownBlockAndWrongSigners() public {
        IPoLAnchor.PoLBlock memory h = _header(jobId, 0, bytes32(0), 0, 10, payoutsRoot);
        address[] memory signers = _signers(2);
        vm.expectRevert(abi.encodeWithSelector(IPoLAnchor.PoLAnchorUnknownBlock.selector, jobId, 0));
        anchor.checkBlock(h, signers);
        bytes32 blockHash = anchor.submit(h, _sign(h, 2));
        address[] memory three = _signers(3);
        bytes32 got = keccak256(abi.encode(blockHash, keccak256(abi.encodePacked(three))));
        vm.expectRevert(
            abi.encodeWithSelector(
                IPoLAnchor.PoLAnchorCommitmentMismatch.selector, jobId, 0, anchor.blockCommitment(jobId, 0), got
            )
        );
        anchor.checkBlock(h, three);
        h.checkpointRoot = keccak256("another checkpoint");
        got = keccak256(abi.encode(anchor.hashBlock(h), keccak256(abi.encodePacked(signers))));
        vm.expectRevert(
            abi.encodeWithSelector(
                IPoLAnchor.PoLAnchorCommitmentMismatch.selector, jobId, 0, anchor.blockCommitment(jobId, 0), got
            )
        );
        anchor.checkBlock(h, signers);
    }

    function test_fuzz_isSampledIsThePacked84BytePredicate(bytes32 randomness, address v, bytes32 leaf, uint32 rateRaw)
        public
        view
    {
        uint256 rate = bound(rateRaw, 0, 1_000_000);
        bool expected = uint256(keccak256(abi.encodePacked(randomness, v, leaf))) % 1_000_000 < rate;
        assertEq(anchor.isSampled(randomness, v, leaf, rate), expected, "predicate");
        assertTrue(anchor.isSampled(randomness, v, leaf, 1_000_000), "rate 100% samples everything");
        assertFalse(anchor.isSampled(randomness, v, leaf, 0), "rate 0 samples nothing");
    }

    /* ------------------------------------------------------------------ FUZZ */

    /// With n equal-stake validators, k signers anchor iff 3k >= 2n.
    function test_fuzz_quorumThreshold(uint8 nRaw, uint8 kRaw) public {
        _deploySuite(token);
        delete validators;
        uint256 n = bound(nRaw, 1, 20);
        uint256 k = bound(kRaw, 1, n);
        _addValidators(n, 40_000 * TL);
        _nextEpoch();
        address[] memory ws = _stakedWorkers(1);
        uint256 id = _createJob(BUDGET, PRICE);
        _assign(id, ws);
        IPoLAnchor.PoLBlock memory h = _header(id, 0, bytes32(0), 0, 10, payoutsRoot);
        bytes[] memory sigs = _sign(h, k);
        if (3 * k >= 2 * n) {
            anchor.submit(h, sigs);
            (, uint64 nextIndex,) = anchor.head(id);
            assertEq(nextIndex, 1, "anchored");
        } else {
            vm.expectRevert(
                abi.encodeWithSelector(IPoLAnchor.PoLAnchorInsufficientStake.selector, k * 40_000 * TL, n * 40_000 * TL)
            );
            anchor.submit(h, sigs);
        }
    }

    /* ------------------------------------------------------------------ HELPERS */

    function _domain(uint256 chainId, address verifyingContract) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("TensorLink PoLAnchor"),
                keccak256("2"),
                chainId,
                verifyingContract
            )
        );
    }

    function _split(bytes memory sig) internal pure returns (uint8 v, bytes32 r, bytes32 s) {
        assembly {
            r := mload(add(sig, 0x20))
            s := mload(add(sig, 0x40))
            v := byte(0, mload(add(sig, 0x60)))
        }
    }

    /// A validator signs `foreign` (a digest for another domain); the anchor recovers some other
    /// address from it, which is not a validator.
    function _expectForeignDigestRejected(IPoLAnchor.PoLBlock memory h, bytes32 foreign) internal {
        bytes[] memory sigs = new bytes[](1);
        sigs[0] = _sig(validators[0].pk, foreign);
        (uint8 v, bytes32 r, bytes32 s) = _split(sigs[0]);
        address recovered = ecrecover(anchor.blockDigest(h), v, r, s);
        assertTrue(recovered != validators[0].addr, "domain separation");
        vm.expectRevert(abi.encodeWithSelector(IPoLAnchor.PoLAnchorNotActiveValidator.selector, recovered));
        anchor.submit(h, sigs);
    }
}
