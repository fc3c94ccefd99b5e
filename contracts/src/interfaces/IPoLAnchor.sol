// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IPoLAnchor
/// @notice Anchors proof-of-learning blocks: EIP-712 `PoLBlock` headers (v2, with the randomness that
/// fixes the validators' mandatory samples) signed by validators holding at least 2/3 of the epoch's
/// stake, hash-chained per job. Each anchored block is kept as one commitment to its hash and its
/// sorted signer list, so the signers can be proven (and slashed) later.
interface IPoLAnchor {
    /* ------------------------------------------------------------------ TYPES */

    /// @notice A PoL block header, the EIP-712 message validators sign:
    /// `PoLBlock(uint256 jobId,uint64 index,bytes32 parent,uint64 stepFrom,uint64 stepTo,bytes32 stepsRoot,bytes32 payoutsRoot,bytes32 checkpointRoot,bytes32 randomness,uint64 randomnessBlock)`.
    /// @param index 0 for a job's first block, then consecutive
    /// @param parent the previous block's hash (`hashBlock`), zero for index 0
    /// @param stepFrom first step covered (inclusive); equals the previous block's stepTo (0 first)
    /// @param stepTo end of the covered steps (exclusive), > stepFrom
    /// @param stepsRoot Merkle root of the step-record leaves (each leaf = the record's EIP-712 hash)
    /// @param payoutsRoot Merkle root of the (worker, amount) payout leaves
    /// @param checkpointRoot hash of the model checkpoint after stepTo
    /// @param randomness blockhash(randomnessBlock): seeds every validator's mandatory sample
    /// @param randomnessBlock the chain block whose hash is `randomness`
    struct PoLBlock {
        uint256 jobId;
        uint64 index;
        bytes32 parent;
        uint64 stepFrom;
        uint64 stepTo;
        bytes32 stepsRoot;
        bytes32 payoutsRoot;
        bytes32 checkpointRoot;
        bytes32 randomness;
        uint64 randomnessBlock;
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

    /// @notice The rest of block `index` of job `jobId`: its `randomness` (= blockhash of
    /// `randomnessBlock`), the hash of its signer list and the commitment stored for it.
    event BlockCommitted(
        uint256 indexed jobId,
        uint64 indexed index,
        bytes32 randomness,
        uint64 randomnessBlock,
        bytes32 signersHash,
        bytes32 commitment
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

    /// @notice randomnessBlock `randomnessBlock` is not in the last RANDOMNESS_MAX_AGE blocks before
    /// the current block `current`.
    error PoLAnchorRandomnessOutOfRange(uint64 randomnessBlock, uint256 current);

    /// @notice The header's randomness `got` is not blockhash(randomnessBlock) = `expected`.
    error PoLAnchorRandomnessMismatch(bytes32 expected, bytes32 got);

    /// @notice `count` signatures were given; at most `max` (maxValidators) can be useful.
    error PoLAnchorTooManySignatures(uint256 count, uint256 max);

    /// @notice No signature was given.
    error PoLAnchorNoSignatures();

    /// @notice Signature number `position` is malformed (length, s in the upper half, bad v).
    error PoLAnchorInvalidSignature(uint256 position);

    /// @notice Signature number `position` recovers `signer`, which already signed.
    error PoLAnchorDuplicateSigner(uint256 position, address signer);

    /// @notice Signature number `position` recovers `signer`, which is below `previous`: signatures
    /// must be ordered by ascending signer address.
    error PoLAnchorSignersNotAscending(uint256 position, address previous, address signer);

    /// @notice `signer` has no signing weight this epoch (not an active validator at the epoch start).
    error PoLAnchorNotActiveValidator(address signer);

    /// @notice The signers hold `signedStake`, under 2/3 of the epoch's `totalStake`.
    error PoLAnchorInsufficientStake(uint256 signedStake, uint256 totalStake);

    /// @notice Block `index` of job `jobId` is not anchored.
    error PoLAnchorUnknownBlock(uint256 jobId, uint256 index);

    /// @notice The header and signer list given for block `index` of job `jobId` are not the ones
    /// anchored (commitment `expected`, computed `got`).
    error PoLAnchorCommitmentMismatch(uint256 jobId, uint256 index, bytes32 expected, bytes32 got);

    /// @notice A zero address was given where a contract address is required.
    error PoLAnchorZeroAddress();

    /* ------------------------------------------------------------------ FUNCTIONS */

    /// @notice Anchors `header` signed with `signatures` (65-byte r||s||v each, ordered by ascending
    /// signer address) over its EIP-712 digest (`blockDigest`). Checks the per-job hash chain, the
    /// step continuity, randomness == blockhash(randomnessBlock) with randomnessBlock among the last
    /// RANDOMNESS_MAX_AGE blocks, and the 2/3 quorum of the epoch's signing weights; stores the
    /// commitment keccak256(abi.encode(blockHash, signersHash)); then lets the escrow reserve the
    /// block's budget. Anyone may submit. Cost is flat in the number of workers paid.
    /// @return blockHash the block's hash (`hashBlock(header)`), the next block's parent
    function submit(PoLBlock calldata header, bytes[] calldata signatures) external returns (bytes32 blockHash);

    /// @notice The block hash: the EIP-712 struct hash of `header` (domain-independent), used as parent.
    function hashBlock(PoLBlock calldata header) external pure returns (bytes32);

    /// @notice The EIP-712 digest validators sign for `header` (this chain, this contract).
    function blockDigest(PoLBlock calldata header) external view returns (bytes32);

    /// @notice The EIP-712 domain separator (name "TensorLink PoLAnchor", version "2"). The court
    /// verifies workers' `StepRecord` signatures under this same domain.
    function domainSeparator() external view returns (bytes32);

    /// @notice Hash of a signer list: keccak256 of the addresses, each left-padded to 32 bytes.
    function hashSigners(address[] calldata signers) external pure returns (bytes32);

    /// @notice The commitment stored for block `index` of job `jobId`:
    /// keccak256(abi.encode(blockHash, signersHash)); zero if not anchored.
    function blockCommitment(uint256 jobId, uint256 index) external view returns (bytes32);

    /// @notice Reverts unless `header` with `signers` is what was anchored as block `header.index` of
    /// job `header.jobId`; returns its hash.
    function checkBlock(PoLBlock calldata header, address[] calldata signers) external view returns (bytes32 blockHash);

    /// @notice The mandatory-sample predicate: whether `validator` must re-execute record leaf `leaf`
    /// of a block with `randomness` at `ratePpm`:
    /// uint256(keccak256(abi.encodePacked(randomness, validator, leaf))) % 1e6 < ratePpm.
    function isSampled(bytes32 randomness, address validator, bytes32 leaf, uint256 ratePpm)
        external
        pure
        returns (bool);

    /// @notice Job `jobId`'s chain head: last block hash, next expected index and next stepFrom.
    function head(uint256 jobId) external view returns (bytes32 lastHash, uint64 nextIndex, uint64 nextStep);

    /// @notice The StakeManager whose checkpoints supply the signing weights.
    function stakeManager() external view returns (address);

    /// @notice The JobEscrow notified of each anchored block.
    function escrow() external view returns (address);
}
