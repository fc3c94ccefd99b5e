// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Test} from "./utils/Test.sol";
import {TensorLinkToken} from "../src/TensorLinkToken.sol";
import {ITensorLinkToken} from "../src/interfaces/ITensorLinkToken.sol";

contract TensorLinkTokenTest is Test {
    uint256 internal constant OWNER_PK = 0xB0B;

    function _deploy(address[] memory holders, uint256[] memory amounts) internal returns (TensorLinkToken) {
        return new TensorLinkToken("TensorLink", "TL", holders, amounts);
    }

    function test_constructor_mintsGenesisAllocation() public {
        address[] memory holders = new address[](2);
        holders[0] = address(0xA);
        holders[1] = address(0xB);
        uint256[] memory amounts = new uint256[](2);
        amounts[0] = 10_000_000e18;
        amounts[1] = 100_000e18;
        vm.expectEmit(true, false, false, true);
        emit ITensorLinkToken.GenesisAllocation(address(0xA), 10_000_000e18);
        TensorLinkToken tl = _deploy(holders, amounts);
        assertEq(tl.totalSupply(), 10_100_000e18, "supply");
        assertEq(tl.balanceOf(address(0xB)), 100_000e18, "holder b");
        assertEq(tl.name(), "TensorLink", "name");
        assertEq(tl.symbol(), "TL", "symbol");
        assertEq(tl.decimals(), 18, "decimals");
    }

    function test_constructor_revertsOnBadAllocation() public {
        address[] memory holders = new address[](1);
        holders[0] = address(0xA);
        uint256[] memory none = new uint256[](0);
        vm.expectRevert(abi.encodeWithSelector(ITensorLinkToken.TensorLinkTokenAllocationLengthMismatch.selector, 1, 0));
        _deploy(holders, none);
        vm.expectRevert(ITensorLinkToken.TensorLinkTokenEmptyAllocation.selector);
        _deploy(new address[](0), none);
        uint256[] memory zero = new uint256[](1);
        vm.expectRevert(
            abi.encodeWithSelector(ITensorLinkToken.TensorLinkTokenZeroAllocation.selector, 0, address(0xA))
        );
        _deploy(holders, zero);
    }

    function test_permit_setsAllowanceFromSignature() public {
        address owner = vm.addr(OWNER_PK);
        address[] memory holders = new address[](1);
        holders[0] = owner;
        uint256[] memory amounts = new uint256[](1);
        amounts[0] = 1e18;
        TensorLinkToken tl = _deploy(holders, amounts);
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"),
                owner,
                address(this),
                1e18,
                0,
                deadline
            )
        );
        bytes32 digest = keccak256(abi.encodePacked(hex"1901", tl.DOMAIN_SEPARATOR(), structHash));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(OWNER_PK, digest);
        tl.permit(owner, address(this), 1e18, deadline, v, r, s);
        assertEq(tl.allowance(owner, address(this)), 1e18, "allowance");
        assertEq(tl.nonces(owner), 1, "nonce used");
        tl.transferFrom(owner, address(0xC), 1e18);
        assertEq(tl.balanceOf(address(0xC)), 1e18, "moved with the permit");
    }
}
