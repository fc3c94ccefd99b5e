// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SuiteFixture} from "./utils/SuiteFixture.sol";
import {Leaves} from "../src/libraries/Leaves.sol";
import {IDisputeCourt} from "../src/interfaces/IDisputeCourt.sol";
import {IPoLAnchor} from "../src/interfaces/IPoLAnchor.sol";

contract LeavesHarness {
    function payout(address worker, uint256 amount) external pure returns (bytes32) {
        return Leaves.payout(worker, amount);
    }

    function step(IDisputeCourt.StepRecord calldata record) external pure returns (bytes32) {
        return Leaves.step(record);
    }
}

/// Golden vectors for the encodings other implementations must reproduce (docs/contracts.md). The
/// expected values were computed independently with `cast keccak` / `cast abi-encode`.
contract EncodingsTest is SuiteFixture {
    address internal constant W1 = 0x70997970C51812dc3A010C7d01b50e0d17dc79C8;
    address internal constant W2 = 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC;
    address internal constant ANCHOR_AT = 0x5FbDB2315678afecb367f032d93F642f64180aa3;

    LeavesHarness internal leaves = new LeavesHarness();

    function test_payoutLeafAndRoot_goldenVectors() public view {
        bytes32 l1 = leaves.payout(W1, 94e18);
        bytes32 l2 = leaves.payout(W2, 47e18);
        assertEq(l1, 0x442cfaf7f9489d3a412be09bb9613e5bdbbf2581be972fa2cc01b2f037a70387, "payout leaf");
        assertEq(l2, 0x2e225760cebc14ac28618875badedb9548fa1409e4fb055b39ef46814fb5c9d0, "payout leaf 2");
        bytes32 root = 0x5ea6a2758802cc246c86c5fbd6f830bb4c63a6c413ba7a6d345ea0c0eb0d137c;
        bytes32[] memory proof = new bytes32[](1);
        proof[0] = l2;
        assertTrue(MerkleProof.verify(proof, root, l1), "two-leaf root, sorted pair");
    }

    function test_stepLeaf_goldenVector() public view {
        IDisputeCourt.StepRecord memory r = IDisputeCourt.StepRecord({
            jobId: 1,
            step: 7,
            stage: 1,
            replica: 2,
            worker: W1,
            paramsRootBefore: keccak256("a"),
            batchCommitment: keccak256("b"),
            gradRoot: keccak256("g"),
            reduceRoot: keccak256("r"),
            paramsRootAfter: keccak256("p"),
            lossBits: 0x3FF8000000000000 // 1.5
        });
        assertEq(leaves.step(r), 0x003ee72c7356ac41d4e5113f3ecb4df3cc645a8b30cc2f57a5fb0d11ad12941b, "step leaf");
    }

    function test_polBlockHashAndDigest_goldenVectors() public {
        // The anchor's code at a fixed address on the devnet chain id (immutables travel with the code;
        // OpenZeppelin's EIP712 rebuilds the separator for the new address and chain).
        vm.etch(ANCHOR_AT, address(anchor).code);
        vm.chainId(7701);
        IPoLAnchor fixedAnchor = IPoLAnchor(ANCHOR_AT);
        IPoLAnchor.PoLBlock memory h = IPoLAnchor.PoLBlock({
            jobId: 1,
            index: 3,
            parent: keccak256("parent"),
            stepFrom: 30,
            stepTo: 40,
            stepsRoot: keccak256("steps"),
            payoutsRoot: keccak256("payouts"),
            checkpointRoot: keccak256("checkpoint")
        });
        assertEq(
            anchor.POL_BLOCK_TYPEHASH(), 0xaa410d82851bbdbbce0fe990db91ceed9e1c49ad767342f8024c8f120c397933, "type hash"
        );
        assertEq(
            fixedAnchor.hashBlock(h), 0x1160c9994ef918c8762daf4609916fd94792d54aefc57da6893af7633fa32c98, "block hash"
        );
        assertEq(
            fixedAnchor.domainSeparator(),
            0x14f2aca2f7c0ed77e0a94084bf4bb3a7883a3aecc332c7c2cf543a3a4d7bf727,
            "domain separator"
        );
        assertEq(
            fixedAnchor.blockDigest(h), 0xa630e1204ef3bd14fa3746549b2608aa50ad9f57d86bb1ef4bd38d90d03ff555, "digest"
        );
    }
}
