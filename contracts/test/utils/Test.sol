// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Vm} from "./Vm.sol";

/// @notice Minimal test base: the cheatcode handle, assertions that revert with a labelled message,
/// `bound`, and the invariant-targeting getters forge reads from a test contract
/// (`targetContracts`, `targetSelectors`, `targetSenders`, `excludeSenders`).
abstract contract Test {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    address[] private _targetedContracts;
    FuzzSelector[] private _targetedSelectors;
    address[] private _targetedSenders;
    address[] private _excludedSenders;

    /* ------------------------------------------------------------------ INVARIANT TARGETING */

    function targetContracts() public view returns (address[] memory) {
        return _targetedContracts;
    }

    function targetSelectors() public view returns (FuzzSelector[] memory) {
        return _targetedSelectors;
    }

    function targetSenders() public view returns (address[] memory) {
        return _targetedSenders;
    }

    function excludeSenders() public view returns (address[] memory) {
        return _excludedSenders;
    }

    function targetContract(address target) internal {
        _targetedContracts.push(target);
    }

    function targetSelector(FuzzSelector memory selector) internal {
        _targetedSelectors.push(selector);
    }

    function targetSender(address sender) internal {
        _targetedSenders.push(sender);
    }

    function excludeSender(address sender) internal {
        _excludedSenders.push(sender);
    }

    /* ------------------------------------------------------------------ FUZZ HELPERS */

    /// @notice Maps `x` into [min, max] without discarding inputs.
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (x >= min && x <= max) return x;
        uint256 size = max - min;
        if (size == type(uint256).max) return x;
        return min + x % (size + 1);
    }

    /* ------------------------------------------------------------------ ASSERTIONS */

    function fail(string memory message) internal pure {
        revert(message);
    }

    function assertTrue(bool condition, string memory label) internal pure {
        if (!condition) revert(string.concat("assertTrue failed: ", label));
    }

    function assertFalse(bool condition, string memory label) internal pure {
        if (condition) revert(string.concat("assertFalse failed: ", label));
    }

    function assertEq(uint256 a, uint256 b, string memory label) internal pure {
        if (a != b) {
            revert(string.concat("assertEq failed: ", label, ": ", vm.toString(a), " != ", vm.toString(b)));
        }
    }

    function assertEq(address a, address b, string memory label) internal pure {
        if (a != b) {
            revert(string.concat("assertEq failed: ", label, ": ", vm.toString(a), " != ", vm.toString(b)));
        }
    }

    function assertEq(bytes32 a, bytes32 b, string memory label) internal pure {
        if (a != b) {
            revert(string.concat("assertEq failed: ", label, ": ", vm.toString(a), " != ", vm.toString(b)));
        }
    }

    function assertEq(bool a, bool b, string memory label) internal pure {
        if (a != b) revert(string.concat("assertEq(bool) failed: ", label));
    }

    function assertEq(string memory a, string memory b, string memory label) internal pure {
        if (keccak256(bytes(a)) != keccak256(bytes(b))) {
            revert(string.concat("assertEq failed: ", label, ": ", a, " != ", b));
        }
    }

    function assertLe(uint256 a, uint256 b, string memory label) internal pure {
        if (a > b) revert(string.concat("assertLe failed: ", label, ": ", vm.toString(a), " > ", vm.toString(b)));
    }

    function assertGe(uint256 a, uint256 b, string memory label) internal pure {
        if (a < b) revert(string.concat("assertGe failed: ", label, ": ", vm.toString(a), " < ", vm.toString(b)));
    }

    function assertLt(uint256 a, uint256 b, string memory label) internal pure {
        if (a >= b) revert(string.concat("assertLt failed: ", label, ": ", vm.toString(a), " >= ", vm.toString(b)));
    }

    function assertGt(uint256 a, uint256 b, string memory label) internal pure {
        if (a <= b) revert(string.concat("assertGt failed: ", label, ": ", vm.toString(a), " <= ", vm.toString(b)));
    }
}
