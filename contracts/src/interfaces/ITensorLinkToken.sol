// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";

/// @title ITensorLinkToken
/// @notice The TensorLink token (TL): a fixed-supply ERC-20 with EIP-2612 permit. The whole supply is
/// minted once, at deployment, to the genesis allocation; there is no mint or burn afterwards.
interface ITensorLinkToken is IERC20, IERC20Metadata, IERC20Permit {
    /// @notice The genesis allocation lists `holders` and `amounts` of different lengths.
    error TensorLinkTokenAllocationLengthMismatch(uint256 holders, uint256 amounts);

    /// @notice The genesis allocation is empty, which would deploy a token nobody holds.
    error TensorLinkTokenEmptyAllocation();

    /// @notice Allocation entry `index` gives zero tokens (a typo in the genesis file, most likely).
    error TensorLinkTokenZeroAllocation(uint256 index, address holder);

    /// @notice Emitted once per genesis allocation entry, at deployment.
    /// @param holder the account credited
    /// @param amount the amount minted to it, in wei (18 decimals)
    event GenesisAllocation(address indexed holder, uint256 amount);
}
