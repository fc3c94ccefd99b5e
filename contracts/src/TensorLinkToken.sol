// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {ITensorLinkToken} from "./interfaces/ITensorLinkToken.sol";

/// @title TensorLinkToken (TL)
/// @notice Fixed-supply ERC-20 with EIP-2612 permit. The supply is minted once, at deployment, to the
/// genesis allocation (`genesis/devnet.json` "token.allocations"); nothing mints or burns afterwards.
contract TensorLinkToken is ERC20Permit, ITensorLinkToken {
    /* ------------------------------------------------------------------ CONSTRUCTOR */

    /// @param name_ token name ("TensorLink")
    /// @param symbol_ token symbol ("TL")
    /// @param holders genesis accounts
    /// @param amounts wei (18 decimals) minted to each account, same order as `holders`
    constructor(string memory name_, string memory symbol_, address[] memory holders, uint256[] memory amounts)
        ERC20(name_, symbol_)
        ERC20Permit(name_)
    {
        if (holders.length != amounts.length) {
            revert TensorLinkTokenAllocationLengthMismatch(holders.length, amounts.length);
        }
        if (holders.length == 0) revert TensorLinkTokenEmptyAllocation();
        // Bounded by the deployer's own genesis file, not by any user input.
        for (uint256 i = 0; i < holders.length; ++i) {
            if (amounts[i] == 0) revert TensorLinkTokenZeroAllocation(i, holders[i]);
            _mint(holders[i], amounts[i]);
            emit GenesisAllocation(holders[i], amounts[i]);
        }
    }

    /* ------------------------------------------------------------------ VIEWS */

    /// @notice The next permit nonce of `owner`.
    function nonces(address owner) public view override(ERC20Permit, IERC20Permit) returns (uint256) {
        return super.nonces(owner);
    }
}
