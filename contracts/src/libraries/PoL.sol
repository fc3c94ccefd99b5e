// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IDisputeCourt} from "../interfaces/IDisputeCourt.sol";
import {IPoLAnchor} from "../interfaces/IPoLAnchor.sol";

/// @title PoL
/// @notice The v2 proof-of-learning encodings (docs/contracts.md, PROTOCOL v2): the EIP-712 type hashes
/// of `StepRecord` and `PoLBlock`, their struct hashes, the signer-list hash and the mandatory-sample
/// predicate. Shared by the anchor, the court and the escrow so no encoding is written twice.
library PoL {
    /// @notice EIP-712 type hash of `StepRecord`.
    bytes32 internal constant STEP_RECORD_TYPEHASH = keccak256(
        "StepRecord(uint256 jobId,uint64 step,uint32 stage,uint32 replica,uint32 stages,uint32 replicas,address worker,bytes32 batchCommitment,bytes32 paramsBefore,bytes32 optStateBefore,bytes32 actIn,bytes32 actOut,bytes32 gradIn,bytes32 gradOut,bytes32 gradRoot,bytes32 reduceRoot,bytes32 paramsAfter,bytes32 optStateAfter,uint64 lossBits)"
    );

    /// @notice EIP-712 type hash of `PoLBlock`.
    bytes32 internal constant POL_BLOCK_TYPEHASH = keccak256(
        "PoLBlock(uint256 jobId,uint64 index,bytes32 parent,uint64 stepFrom,uint64 stepTo,bytes32 stepsRoot,bytes32 payoutsRoot,bytes32 checkpointRoot,bytes32 randomness,uint64 randomnessBlock)"
    );

    /// @notice Denominator of every `...Ppm` rate.
    uint256 internal constant PPM = 1_000_000;

    /// @notice recordHash = hashStruct(record); it is also the record's leaf in the block's stepsRoot.
    /// Every field is static, so abi.encode(record) is the 19 fields as 32-byte words, in order.
    function recordHash(IDisputeCourt.StepRecord calldata record) internal pure returns (bytes32) {
        return keccak256(abi.encode(STEP_RECORD_TYPEHASH, record));
    }

    /// @notice blockHash = hashStruct(header), domain-independent: the next block's parent.
    function blockHash(IPoLAnchor.PoLBlock calldata header) internal pure returns (bytes32) {
        return keccak256(abi.encode(POL_BLOCK_TYPEHASH, header));
    }

    /// @notice The EIP-712 digest of `structHash` under `domainSeparator`.
    function digest(bytes32 domainSeparator, bytes32 structHash) internal pure returns (bytes32 d) {
        // keccak256(0x1901 ‖ domainSeparator ‖ structHash), as OpenZeppelin's MessageHashUtils.
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, hex"1901")
            mstore(add(ptr, 0x02), domainSeparator)
            mstore(add(ptr, 0x22), structHash)
            d := keccak256(ptr, 0x42)
        }
    }

    /// @notice Hash of a block's signer list (ascending): keccak256 of the addresses, each left-padded
    /// to 32 bytes, concatenated (= keccak256(abi.encodePacked(address[]))).
    function signersHash(address[] memory signers) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(signers));
    }

    /// @notice Whether validator `validator` must re-execute record leaf `leaf` of a block drawn with
    /// `randomness` at `ratePpm`: uint256(keccak256(randomness ‖ validator ‖ leaf)) mod 10^6 < ratePpm,
    /// over the 84-byte packed preimage.
    function isSampled(bytes32 randomness, address validator, bytes32 leaf, uint256 ratePpm)
        internal
        pure
        returns (bool)
    {
        return uint256(keccak256(abi.encodePacked(randomness, validator, leaf))) % PPM < ratePpm;
    }
}
