// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IPullPayments
/// @notice The pull-payment ledger shared by JobEscrow and DisputeCourt: money owed to an account is
/// credited, and the account withdraws it itself. No transfer to an arbitrary address ever happens
/// in the middle of another operation.
interface IPullPayments {
    /// @notice `account` was credited `amount` (a refund, a fee, a returned bond, a reward).
    event Credited(address indexed account, uint256 amount);

    /// @notice `account` withdrew its credited balance `amount`.
    event Withdrawn(address indexed account, uint256 amount);

    /// @notice `account` has no credited balance.
    error PullPaymentsNothingToWithdraw(address account);

    /// @notice Transfers the caller's whole credited balance to the caller.
    function withdraw() external;

    /// @notice `account`'s credited, withdrawable balance.
    function creditOf(address account) external view returns (uint256);

    /// @notice Sum of all credited balances.
    function totalCredits() external view returns (uint256);
}
