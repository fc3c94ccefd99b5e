// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Receives a callback when it is sent tokens, as ERC-777 `tokensReceived` does.
interface ITokenReceiverHook {
    function tokensReceived(address from, uint256 amount) external;
}

/// @notice An ERC-20 with ERC-777-style receive hooks: after every transfer to an address that opted in,
/// the token calls `tokensReceived` on it, handing it control in the middle of the sender's function.
/// The escrow, stake manager and court are run against it to prove their reentrancy defences.
contract HookToken is ERC20 {
    mapping(address account => bool) public hooked;

    constructor(address holder, uint256 supply) ERC20("Hooked", "HOOK") {
        _mint(holder, supply);
    }

    /// @notice The caller opts in to receive hooks.
    function registerHook() external {
        hooked[msg.sender] = true;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (hooked[to]) ITokenReceiverHook(to).tokensReceived(from, value);
    }
}
