// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ITokenReceiverHook, HookToken} from "./HookToken.sol";

/// @notice A malicious participant (worker, client, staker or challenger) that, when it receives tokens,
/// calls back into the contract paying it with a prepared call and records how that call ended.
contract ReentrantReceiver is ITokenReceiverHook {
    address public target;
    bytes public reentryCall;
    uint256 public attempts;
    bool public lastSucceeded;
    bytes public lastRevertData;

    constructor(HookToken token) {
        token.registerHook();
    }

    /// @notice Acts as an account: forwards `data` to `to`, bubbling up a revert.
    function exec(address to, bytes calldata data) external returns (bytes memory ret) {
        bool ok;
        (ok, ret) = to.call(data);
        if (!ok) {
            assembly {
                revert(add(ret, 0x20), mload(ret))
            }
        }
    }

    /// @notice Prepares the call made from inside the next token receipt.
    function arm(address to, bytes calldata data) external {
        target = to;
        reentryCall = data;
    }

    function tokensReceived(address, uint256) external {
        if (target == address(0)) return;
        address to = target;
        target = address(0); // one attempt per arming
        ++attempts;
        (bool ok, bytes memory ret) = to.call(reentryCall);
        lastSucceeded = ok;
        lastRevertData = ret;
    }
}
