// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IPullPayments} from "./interfaces/IPullPayments.sol";

/// @title PullPayments
/// @notice The one implementation of the credit-then-withdraw ledger, inherited by JobEscrow and
/// DisputeCourt (each keeps its own balances, since each holds its own TL). It costs nothing over the
/// two copies it replaced: the same two storage writes per credit plus one `Credited` event.
abstract contract PullPayments is IPullPayments, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    IERC20 internal immutable _payToken;

    mapping(address account => uint256) private _credits;
    uint256 private _totalCredits;

    /// @param token_ the token credits are paid in
    constructor(IERC20 token_) {
        _payToken = token_;
    }

    /// @inheritdoc IPullPayments
    function withdraw() external nonReentrant {
        uint256 amount = _credits[msg.sender];
        if (amount == 0) revert PullPaymentsNothingToWithdraw(msg.sender);
        _credits[msg.sender] = 0;
        _totalCredits -= amount;
        emit Withdrawn(msg.sender, amount);
        _payToken.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc IPullPayments
    function creditOf(address account) external view returns (uint256) {
        return _credits[account];
    }

    /// @inheritdoc IPullPayments
    function totalCredits() public view returns (uint256) {
        return _totalCredits;
    }

    /// Credits `amount` to `account` (no-op for zero).
    function _credit(address account, uint256 amount) internal {
        if (amount == 0) return;
        _credits[account] += amount;
        _totalCredits += amount;
        emit Credited(account, amount);
    }
}
