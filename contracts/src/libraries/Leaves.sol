// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title Leaves
/// @notice The payout leaf shared by the contracts and the off-chain tree builders. It is double-hashed,
/// as in OpenZeppelin's StandardMerkleTree, so no leaf can be mistaken for an inner node; inner nodes
/// hash the sorted pair (`MerkleProof`). Step-record leaves are their EIP-712 struct hash (`PoL`).
library Leaves {
    /// @notice Payout leaf: keccak256(bytes.concat(keccak256(abi.encode(worker, amount)))).
    function payout(address worker, uint256 amount) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(worker, amount))));
    }
}
