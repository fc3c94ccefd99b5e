// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IDisputeCourt} from "../interfaces/IDisputeCourt.sol";

/// @title Leaves
/// @notice The Merkle leaf encodings shared by the contracts and the off-chain tree builders. Leaves are
/// double-hashed, as in OpenZeppelin's StandardMerkleTree, so that no leaf (64 bytes of preimage or
/// more) can be mistaken for an inner node; inner nodes hash the sorted pair (`MerkleProof`).
library Leaves {
    /// @notice Payout leaf: keccak256(bytes.concat(keccak256(abi.encode(worker, amount)))).
    function payout(address worker, uint256 amount) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(worker, amount))));
    }

    /// @notice Step-record leaf: keccak256(bytes.concat(keccak256(abi.encode(record)))); every field
    /// is static, so abi.encode(record) is the 11 fields, each left-padded to 32 bytes, in order.
    function step(IDisputeCourt.StepRecord calldata record) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(record))));
    }
}
