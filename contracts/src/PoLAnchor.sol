// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IPoLAnchor} from "./interfaces/IPoLAnchor.sol";
import {IStakeManager} from "./interfaces/IStakeManager.sol";
import {IJobEscrow} from "./interfaces/IJobEscrow.sol";

/// @title PoLAnchor
/// @notice Anchors PoL block headers. A header is accepted when it extends its job's hash chain and
/// carries ECDSA signatures over its EIP-712 digest from distinct validators of the current epoch's
/// snapshot whose snapshot stake is at least 2/3 of the snapshot's total. Signatures come sorted by
/// ascending signer address, which makes the distinctness check O(1) per signature; the loop is
/// bounded by the snapshot size (<= maxValidators). The cost does not depend on the number of
/// workers: payouts are a single Merkle root.
contract PoLAnchor is IPoLAnchor, EIP712 {
    /* ------------------------------------------------------------------ CONSTANTS */

    /// @notice EIP-712 type hash of `PoLBlock`.
    bytes32 public constant POL_BLOCK_TYPEHASH = keccak256(
        "PoLBlock(uint256 jobId,uint64 index,bytes32 parent,uint64 stepFrom,uint64 stepTo,bytes32 stepsRoot,bytes32 payoutsRoot,bytes32 checkpointRoot)"
    );

    /* ------------------------------------------------------------------ IMMUTABLES */

    IStakeManager private immutable _stakeManager;
    IJobEscrow private immutable _escrow;

    /* ------------------------------------------------------------------ STORAGE */

    struct Head {
        bytes32 lastHash;
        uint64 nextIndex;
        uint64 nextStep;
    }

    mapping(uint256 jobId => Head) private _heads;
    mapping(uint256 jobId => mapping(uint256 index => AnchoredBlock)) private _blocks;

    /* ------------------------------------------------------------------ CONSTRUCTOR */

    /// @param stakeManager_ supplies the epoch's validator snapshot
    /// @param escrow_ notified of each anchored block
    constructor(IStakeManager stakeManager_, IJobEscrow escrow_) EIP712("TensorLink PoLAnchor", "1") {
        if (address(stakeManager_) == address(0) || address(escrow_) == address(0)) revert PoLAnchorZeroAddress();
        _stakeManager = stakeManager_;
        _escrow = escrow_;
    }

    /* ------------------------------------------------------------------ ANCHORING */

    /// @inheritdoc IPoLAnchor
    function submit(PoLBlock calldata header, bytes[] calldata signatures) external returns (bytes32 blockHash) {
        Head memory h = _heads[header.jobId];
        if (header.index != h.nextIndex) revert PoLAnchorUnexpectedIndex(header.jobId, h.nextIndex, header.index);
        if (header.parent != h.lastHash) revert PoLAnchorParentMismatch(header.jobId, h.lastHash, header.parent);
        if (header.stepFrom != h.nextStep) revert PoLAnchorStepGap(header.jobId, h.nextStep, header.stepFrom);
        if (header.stepTo <= header.stepFrom) revert PoLAnchorEmptyStepRange(header.stepFrom, header.stepTo);

        blockHash = _hashBlock(header);
        (address[] memory signers, uint256 signedStake, uint256 totalStake) =
            _verifyQuorum(_hashTypedDataV4(blockHash), signatures);

        _heads[header.jobId] = Head({lastHash: blockHash, nextIndex: header.index + 1, nextStep: header.stepTo});
        _blocks[header.jobId][header.index] = AnchoredBlock({
            stepsRoot: header.stepsRoot,
            payoutsRoot: header.payoutsRoot,
            checkpointRoot: header.checkpointRoot,
            stepFrom: header.stepFrom,
            stepTo: header.stepTo,
            anchoredAt: uint64(block.timestamp)
        });
        _emitAnchored(header, blockHash, signers, signedStake, totalStake);

        // The escrow is a trusted contract of the suite; it reverts the whole submission if the job
        // cannot pay for the block (not Active, past its deadline, or over budget).
        _escrow.onBlockAnchored(header.jobId, header.index, header.stepFrom, header.stepTo, signers);
    }

    /* ------------------------------------------------------------------ VIEWS */

    /// @inheritdoc IPoLAnchor
    function hashBlock(PoLBlock calldata header) external pure returns (bytes32) {
        return _hashBlock(header);
    }

    /// @inheritdoc IPoLAnchor
    function blockDigest(PoLBlock calldata header) external view returns (bytes32) {
        return _hashTypedDataV4(_hashBlock(header));
    }

    /// @inheritdoc IPoLAnchor
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @inheritdoc IPoLAnchor
    function getBlock(uint256 jobId, uint256 index) external view returns (AnchoredBlock memory) {
        return _blocks[jobId][index];
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

    function _hashBlock(PoLBlock calldata header) private pure returns (bytes32) {
        return keccak256(abi.encode(POL_BLOCK_TYPEHASH, header));
    }

    /// Recovers every signer, requires ascending distinct members of the snapshot, and sums their
    /// snapshot stake against the 2/3 quorum.
    function _verifyQuorum(bytes32 digest, bytes[] calldata signatures)
        private
        view
        returns (address[] memory signers, uint256 signedStake, uint256 totalStake)
    {
        (, address[] memory validators, uint256[] memory stakes, uint256 total) = _stakeManager.activeSnapshot();
        if (validators.length == 0) revert PoLAnchorNoActiveValidators();
        uint256 count = signatures.length;
        if (count > validators.length) revert PoLAnchorTooManySignatures(count, validators.length);
        signers = new address[](count);
        address previous = address(0);
        for (uint256 i = 0; i < count; ++i) {
            (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, signatures[i]);
            if (err != ECDSA.RecoverError.NoError) revert PoLAnchorInvalidSignature(i);
            if (signer == previous) revert PoLAnchorDuplicateSigner(i, signer);
            if (signer < previous) revert PoLAnchorSignersNotAscending(i, previous, signer);
            signedStake += _stakeIn(validators, stakes, signer);
            signers[i] = signer;
            previous = signer;
        }
        totalStake = total;
        // signedStake <= totalStake <= token supply, far below 2^254: no overflow.
        if (signedStake * 3 < totalStake * 2) revert PoLAnchorInsufficientStake(signedStake, totalStake);
    }

    /// Snapshot stake of `signer`; reverts if it is not in the snapshot (bounded by its size).
    function _stakeIn(address[] memory validators, uint256[] memory stakes, address signer)
        private
        pure
        returns (uint256)
    {
        for (uint256 j = 0; j < validators.length; ++j) {
            if (validators[j] == signer) return stakes[j];
        }
        revert PoLAnchorNotActiveValidator(signer);
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
