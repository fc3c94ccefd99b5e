// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IPoLAnchor} from "./interfaces/IPoLAnchor.sol";
import {IStakeManager} from "./interfaces/IStakeManager.sol";
import {IJobEscrow} from "./interfaces/IJobEscrow.sol";
import {PoL} from "./libraries/PoL.sol";

/// @title PoLAnchor
/// @notice Anchors PoL block headers (v2). A header is accepted when it extends its job's hash chain,
/// its randomness is the hash of one of the last RANDOMNESS_MAX_AGE chain blocks, and it carries ECDSA
/// signatures over its EIP-712 digest from distinct validators whose signing weights this epoch sum to
/// at least 2/3 of the epoch's total. Signatures come sorted by ascending signer address, which makes
/// the distinctness check O(1) per signature; the loop is bounded by maxValidators. Per block the
/// contract stores one word, the commitment to (block hash, signer list); the cost does not depend on
/// the number of workers (payouts are one Merkle root) and signers' fees are claimed later.
contract PoLAnchor is IPoLAnchor, EIP712 {
    /* ------------------------------------------------------------------ CONSTANTS */

    /// @notice EIP-712 type hash of `PoLBlock` (v2).
    bytes32 public constant POL_BLOCK_TYPEHASH = PoL.POL_BLOCK_TYPEHASH;

    /// @notice EIP-712 type hash of `StepRecord` (v2), signed by workers under this contract's domain.
    bytes32 public constant STEP_RECORD_TYPEHASH = PoL.STEP_RECORD_TYPEHASH;

    /// @notice How many blocks back `randomnessBlock` may lie (the EVM's blockhash window).
    uint256 public constant RANDOMNESS_MAX_AGE = 256;

    /* ------------------------------------------------------------------ IMMUTABLES */

    IStakeManager private immutable _stakeManager;
    IJobEscrow private immutable _escrow;
    uint256 private immutable _maxValidators;

    /* ------------------------------------------------------------------ STORAGE */

    struct Head {
        bytes32 lastHash;
        uint64 nextIndex;
        uint64 nextStep;
    }

    mapping(uint256 jobId => Head) private _heads;
    /// keccak256(abi.encode(blockHash, signersHash)) per anchored block.
    mapping(uint256 jobId => mapping(uint256 index => bytes32)) private _commitments;

    /* ------------------------------------------------------------------ CONSTRUCTOR */

    /// @param stakeManager_ supplies the epoch's signing weights
    /// @param escrow_ notified of each anchored block
    constructor(IStakeManager stakeManager_, IJobEscrow escrow_) EIP712("TensorLink PoLAnchor", "2") {
        if (address(stakeManager_) == address(0) || address(escrow_) == address(0)) revert PoLAnchorZeroAddress();
        _stakeManager = stakeManager_;
        _escrow = escrow_;
        _maxValidators = stakeManager_.maxValidators();
    }

    /* ------------------------------------------------------------------ ANCHORING */

    /// @inheritdoc IPoLAnchor
    function submit(PoLBlock calldata header, bytes[] calldata signatures) external returns (bytes32 blockHash) {
        Head memory h = _heads[header.jobId];
        if (header.index != h.nextIndex) revert PoLAnchorUnexpectedIndex(header.jobId, h.nextIndex, header.index);
        if (header.parent != h.lastHash) revert PoLAnchorParentMismatch(header.jobId, h.lastHash, header.parent);
        if (header.stepFrom != h.nextStep) revert PoLAnchorStepGap(header.jobId, h.nextStep, header.stepFrom);
        if (header.stepTo <= header.stepFrom) revert PoLAnchorEmptyStepRange(header.stepFrom, header.stepTo);
        _checkRandomness(header.randomness, header.randomnessBlock);

        blockHash = PoL.blockHash(header);
        (address[] memory signers, uint256 signedStake, uint256 totalStake) =
            _verifyQuorum(_hashTypedDataV4(blockHash), signatures);
        bytes32 signersHash = PoL.signersHash(signers);
        bytes32 commitment = keccak256(abi.encode(blockHash, signersHash));

        _heads[header.jobId] = Head({lastHash: blockHash, nextIndex: header.index + 1, nextStep: header.stepTo});
        _commitments[header.jobId][header.index] = commitment;
        _emitAnchored(header, blockHash, signers, signedStake, totalStake);
        emit BlockCommitted(
            header.jobId, header.index, header.randomness, header.randomnessBlock, signersHash, commitment
        );

        // The escrow is a trusted contract of the suite; it reverts the whole submission if the job
        // cannot pay for the block (not Active, past its deadline, or over budget).
        _escrow.onBlockAnchored(
            header.jobId, header.index, header.stepFrom, header.stepTo, header.payoutsRoot, signers.length
        );
    }

    /* ------------------------------------------------------------------ VIEWS */

    /// @inheritdoc IPoLAnchor
    function hashBlock(PoLBlock calldata header) external pure returns (bytes32) {
        return PoL.blockHash(header);
    }

    /// @inheritdoc IPoLAnchor
    function blockDigest(PoLBlock calldata header) external view returns (bytes32) {
        return _hashTypedDataV4(PoL.blockHash(header));
    }

    /// @inheritdoc IPoLAnchor
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @inheritdoc IPoLAnchor
    function hashSigners(address[] calldata signers) external pure returns (bytes32) {
        return PoL.signersHash(signers);
    }

    /// @inheritdoc IPoLAnchor
    function blockCommitment(uint256 jobId, uint256 index) external view returns (bytes32) {
        return _commitments[jobId][index];
    }

    /// @inheritdoc IPoLAnchor
    function checkBlock(PoLBlock calldata header, address[] calldata signers)
        external
        view
        returns (bytes32 blockHash)
    {
        bytes32 expected = _commitments[header.jobId][header.index];
        if (expected == bytes32(0)) revert PoLAnchorUnknownBlock(header.jobId, header.index);
        blockHash = PoL.blockHash(header);
        bytes32 got = keccak256(abi.encode(blockHash, PoL.signersHash(signers)));
        if (got != expected) revert PoLAnchorCommitmentMismatch(header.jobId, header.index, expected, got);
    }

    /// @inheritdoc IPoLAnchor
    function isSampled(bytes32 randomness, address validator, bytes32 leaf, uint256 ratePpm)
        external
        pure
        returns (bool)
    {
        return PoL.isSampled(randomness, validator, leaf, ratePpm);
    }

    /// @inheritdoc IPoLAnchor
    function head(uint256 jobId) external view returns (bytes32 lastHash, uint64 nextIndex, uint64 nextStep) {
        Head memory h = _heads[jobId];
        return (h.lastHash, h.nextIndex, h.nextStep);
    }

    /// @inheritdoc IPoLAnchor
    function stakeManager() external view returns (address) {
        return address(_stakeManager);
    }

    /// @inheritdoc IPoLAnchor
    function escrow() external view returns (address) {
        return address(_escrow);
    }

    /* ------------------------------------------------------------------ INTERNAL */

    /// randomnessBlock must be one of the last RANDOMNESS_MAX_AGE blocks and randomness its hash.
    function _checkRandomness(bytes32 randomness, uint64 randomnessBlock) private view {
        if (randomnessBlock >= block.number || block.number - randomnessBlock > RANDOMNESS_MAX_AGE) {
            revert PoLAnchorRandomnessOutOfRange(randomnessBlock, block.number);
        }
        bytes32 expected = blockhash(randomnessBlock);
        if (randomness != expected) revert PoLAnchorRandomnessMismatch(expected, randomness);
    }

    /// Recovers every signer, requires them ascending and distinct, looks up their signing weights in
    /// one call and sums them against the 2/3 quorum.
    function _verifyQuorum(bytes32 digest, bytes[] calldata signatures)
        private
        view
        returns (address[] memory signers, uint256 signedStake, uint256 totalStake)
    {
        uint256 count = signatures.length;
        if (count == 0) revert PoLAnchorNoSignatures();
        if (count > _maxValidators) revert PoLAnchorTooManySignatures(count, _maxValidators);
        signers = new address[](count);
        address previous = address(0);
        for (uint256 i = 0; i < count; ++i) {
            address signer = _recover(digest, signatures[i]);
            if (signer == address(0)) revert PoLAnchorInvalidSignature(i);
            if (signer == previous) revert PoLAnchorDuplicateSigner(i, signer);
            if (signer < previous) revert PoLAnchorSignersNotAscending(i, previous, signer);
            signers[i] = signer;
            previous = signer;
        }
        uint256 missing;
        (signedStake, totalStake, missing) = _stakeManager.quorumStake(signers);
        if (missing < count) revert PoLAnchorNotActiveValidator(signers[missing]);
        // signedStake <= totalStake <= token supply, far below 2^254: no overflow.
        if (signedStake * 3 < totalStake * 2) revert PoLAnchorInsufficientStake(signedStake, totalStake);
    }

    /// ecrecover straight from calldata (no copy of the signature into memory). Returns zero for a
    /// malformed signature: length other than 65, s in the upper half of the curve order (malleable),
    /// v not 27/28, or no recoverable address; the same rules as OpenZeppelin's ECDSA.
    function _recover(bytes32 digest, bytes calldata signature) private pure returns (address signer) {
        if (signature.length != 65) return address(0);
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly ("memory-safe") {
            r := calldataload(signature.offset)
            s := calldataload(add(signature.offset, 0x20))
            v := byte(0, calldataload(add(signature.offset, 0x40)))
        }
        if (uint256(s) > 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0) return address(0);
        if (v != 27 && v != 28) return address(0);
        return ecrecover(digest, v, r, s);
    }

    function _emitAnchored(
        PoLBlock calldata header,
        bytes32 blockHash,
        address[] memory signers,
        uint256 signedStake,
        uint256 totalStake
    ) private {
        emit BlockAnchored(
            header.jobId,
            header.index,
            blockHash,
            header.parent,
            header.stepFrom,
            header.stepTo,
            header.stepsRoot,
            header.payoutsRoot,
            header.checkpointRoot,
            signers,
            signedStake,
            totalStake
        );
    }
}
