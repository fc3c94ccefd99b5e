// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IPoLAnchor
/// @notice Anchors proof-of-learning blocks: EIP-712 `PoLBlock` headers signed by distinct validators
/// of the epoch's active snapshot holding at least 2/3 of its stake, hash-chained per job.
interface IPoLAnchor {
    /* ------------------------------------------------------------------ TYPES */

    /// @notice A PoL block header, the EIP-712 message validators sign:
    /// `PoLBlock(uint256 jobId,uint64 index,bytes32 parent,uint64 stepFrom,uint64 stepTo,bytes32 stepsRoot,bytes32 payoutsRoot,bytes32 checkpointRoot)`.
    /// @param index 0 for a job's first block, then consecutive
    /// @param parent the previous block's hash (`hashBlock`), zero for index 0
    /// @param stepFrom first step covered (inclusive); equals the previous block's stepTo (0 first)
    /// @param stepTo end of the covered steps (exclusive), > stepFrom
    /// @param stepsRoot Merkle root of the step-record leaves
    /// @param payoutsRoot Merkle root of the (worker, amount) payout leaves
    /// @param checkpointRoot hash of the model checkpoint after stepTo
    struct PoLBlock {
        uint256 jobId;
        uint64 index;
        bytes32 parent;
        uint64 stepFrom;
        uint64 stepTo;
        bytes32 stepsRoot;
        bytes32 payoutsRoot;
        bytes32 checkpointRoot;
    }

    /// @notice What the contract keeps of an anchored block (its hash is in `BlockAnchored` and, for
    /// the last block, in `head`). anchoredAt == 0 means "not anchored".
    struct AnchoredBlock {
        bytes32 stepsRoot;
        bytes32 payoutsRoot;
        bytes32 checkpointRoot;
        uint64 stepFrom;
        uint64 stepTo;
        uint64 anchoredAt;
    }

    /* ------------------------------------------------------------------ EVENTS */

    /// @notice Block `index` of job `jobId` with hash `blockHash` was anchored, signed by `signers`
    /// (ascending) holding `signedStake` of the epoch's `totalStake`.
    event BlockAnchored(
        uint256 indexed jobId,
        uint64 indexed index,
        bytes32 indexed blockHash,
        bytes32 parent,
        uint64 stepFrom,
        uint64 stepTo,
        bytes32 stepsRoot,
        bytes32 payoutsRoot,
        bytes32 checkpointRoot,
        address[] signers,
        uint256 signedStake,
        uint256 totalStake
    );

    /* ------------------------------------------------------------------ ERRORS */

    /// @notice The header's index is `got` but job `jobId` expects `expected` next (a replayed or
    /// skipped block).
    error PoLAnchorUnexpectedIndex(uint256 jobId, uint64 expected, uint64 got);

    /// @notice The header's parent `got` is not job `jobId`'s last anchored block hash `expected`.
    error PoLAnchorParentMismatch(uint256 jobId, bytes32 expected, bytes32 got);

    /// @notice The header's stepFrom `got` does not continue job `jobId`'s steps at `expected`.
    error PoLAnchorStepGap(uint256 jobId, uint64 expected, uint64 got);

    /// @notice The header covers no step: stepTo `stepTo` <= stepFrom `stepFrom`.
    error PoLAnchorEmptyStepRange(uint64 stepFrom, uint64 stepTo);

    /// @notice `count` signatures were given; at most `max` (the snapshot size) can be useful.
    error PoLAnchorTooManySignatures(uint256 count, uint256 max);

    /// @notice The epoch's snapshot holds no validator.
    error PoLAnchorNoActiveValidators();

    /// @notice Signature number `position` is malformed (length, s in the upper half, bad v).
    error PoLAnchorInvalidSignature(uint256 position);

    /// @notice Signature number `position` recovers `signer`, which already signed.
    error PoLAnchorDuplicateSigner(uint256 position, address signer);

    /// @notice Signature number `position` recovers `signer`, which is below `previous`: signatures
    /// must be ordered by ascending signer address.
    error PoLAnchorSignersNotAscending(uint256 position, address previous, address signer);

    /// @notice `signer` is not in the epoch's active snapshot.
    error PoLAnchorNotActiveValidator(address signer);

    /// @notice The signers hold `signedStake`, under 2/3 of the snapshot's `totalStake`.
    error PoLAnchorInsufficientStake(uint256 signedStake, uint256 totalStake);

    /// @notice A zero address was given where a contract address is required.
    error PoLAnchorZeroAddress();

    /* ------------------------------------------------------------------ FUNCTIONS */

    /// @notice Anchors `header` signed with `signatures` (65-byte r||s||v each, ordered by ascending
    /// signer address) over its EIP-712 digest (`blockDigest`). Checks the per-job hash chain,
    /// the step continuity and the 2/3 stake quorum of the current epoch's snapshot, then lets the
    /// escrow reserve the block's budget and credit the signers' fees. Anyone may submit.
    /// @return blockHash the block's hash (`hashBlock(header)`), the next block's parent
    function submit(PoLBlock calldata header, bytes[] calldata signatures) external returns (bytes32 blockHash);

    /// @notice The block hash: the EIP-712 struct hash of `header` (domain-independent), used as parent.
    function hashBlock(PoLBlock calldata header) external pure returns (bytes32);

    /// @notice The EIP-712 digest validators sign for `header` (this chain, this contract).
    function blockDigest(PoLBlock calldata header) external view returns (bytes32);

    /// @notice The EIP-712 domain separator (name "TensorLink PoLAnchor", version "1").
    function domainSeparator() external view returns (bytes32);

    /// @notice Anchored block `index` of job `jobId` (all zero if not anchored).
    function getBlock(uint256 jobId, uint256 index) external view returns (AnchoredBlock memory);

    /// @notice Job `jobId`'s chain head: last block hash, next expected index and next stepFrom.
    function head(uint256 jobId) external view returns (bytes32 lastHash, uint64 nextIndex, uint64 nextStep);

    /// @notice The StakeManager whose snapshot supplies the validators.
    function stakeManager() external view returns (address);

    /// @notice The JobEscrow notified of each anchored block.
    function escrow() external view returns (address);
}
