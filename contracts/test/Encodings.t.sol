// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SuiteFixture} from "./utils/SuiteFixture.sol";
import {Leaves} from "../src/libraries/Leaves.sol";
import {PoL} from "../src/libraries/PoL.sol";
import {IDisputeCourt} from "../src/interfaces/IDisputeCourt.sol";
import {IPoLAnchor} from "../src/interfaces/IPoLAnchor.sol";

contract EncodingsHarness {
    function payout(address worker, uint256 amount) external pure returns (bytes32) {
        return Leaves.payout(worker, amount);
    }

    function recordHash(IDisputeCourt.StepRecord calldata record) external pure returns (bytes32) {
        return PoL.recordHash(record);
    }

    function digest(bytes32 domainSeparator, bytes32 structHash) external pure returns (bytes32) {
        return PoL.digest(domainSeparator, structHash);
    }

    function isSampled(bytes32 randomness, address v, bytes32 leaf, uint256 ratePpm) external pure returns (bool) {
        return PoL.isSampled(randomness, v, leaf, ratePpm);
    }
}

/// Golden vectors (PROTOCOL v2, docs/contracts.md) for the encodings other implementations must
/// reproduce. Each value is computed here by the contracts' own code and compared with the value
/// computed independently with `cast keccak` / `cast abi-encode` / `cast wallet sign --no-hash`.
contract EncodingsTest is SuiteFixture {
    address internal constant W1 = 0x70997970C51812dc3A010C7d01b50e0d17dc79C8;
    address internal constant W2 = 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC;
    address internal constant ANCHOR_AT = 0x5FbDB2315678afecb367f032d93F642f64180aa3;
    uint256 internal constant ANVIL_KEY_1 = 0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d;

    bytes32 internal constant V1_TYPEHASH = 0x3fc69e9ebca839b563a4c9f5bad98ec62283cd7fe760e35429f63eb0f7993ebb;
    bytes32 internal constant V1_RECORD_HASH = 0x9fb0f8cf58b452d96cb517a723c2f1c54bf46edb9c43b20ae5ca979e61481789;
    bytes32 internal constant DOMAIN_SEPARATOR = 0x0f871b2aa66bac0adc459d4f78676023b093165fe6c38848b3110514f2b27b8c;
    bytes32 internal constant V1_DIGEST = 0xf326f5d4e68062f734b040a12d467a4651c0af09e0e5a0e78ae249d176ac6bce;
    bytes internal constant V1_SIGNATURE =
        hex"597489a118cc9698c3a63782325d7e8bde1de17063323d9653d110c674387e566d8c5a8b3d59a7e3e20786dc0ffb60ee83e668976888a47eccc871d243892cca1b";
    bytes32 internal constant H1_TYPEHASH = 0x9aef0bc5f0b8cd5d541687e67e81d848433415933b5237c7ceb93dd3971a7e80;
    bytes32 internal constant H1_BLOCK_HASH = 0x3e4d524a8a693bdf8674f3dda09bd05f8c216fa357584852be24f2500ec17ca5;
    bytes32 internal constant H1_DIGEST = 0x5655fcdc6f45f2f7b93d1e6952cc9be8d64de1f35b93edf9765be0a52111af9a;
    uint256 internal constant S1_VALUE = 645_786;

    EncodingsHarness internal harness = new EncodingsHarness();

    function test_payoutLeafAndRoot_goldenVectors() public view {
        bytes32 l1 = harness.payout(W1, 94e18);
        bytes32 l2 = harness.payout(W2, 47e18);
        assertEq(l1, 0x442cfaf7f9489d3a412be09bb9613e5bdbbf2581be972fa2cc01b2f037a70387, "payout leaf");
        assertEq(l2, 0x2e225760cebc14ac28618875badedb9548fa1409e4fb055b39ef46814fb5c9d0, "payout leaf 2");
        bytes32 root = 0x5ea6a2758802cc246c86c5fbd6f830bb4c63a6c413ba7a6d345ea0c0eb0d137c;
        bytes32[] memory proof = new bytes32[](1);
        proof[0] = l2;
        assertTrue(MerkleProof.verify(proof, root, l1), "two-leaf root, sorted pair");
    }

    /// V1: the StepRecord type hash, its struct hash (= its stepsRoot leaf), the digest the worker
    /// signs under the anchor's domain (chain 7701, anchor at 0x5FbD…0aa3) and anvil key #1's
    /// deterministic (RFC 6979) signature, which recovers to the worker.
    function test_stepRecordV1_goldenVectors() public {
        IPoLAnchor fixedAnchor = _fixedAnchor();
        IDisputeCourt.StepRecord memory r = _v1();
        assertEq(anchor.STEP_RECORD_TYPEHASH(), V1_TYPEHASH, "StepRecord type hash");
        assertEq(harness.recordHash(r), V1_RECORD_HASH, "recordHash");
        assertEq(fixedAnchor.domainSeparator(), DOMAIN_SEPARATOR, "domain separator (version 2)");
        bytes32 digest = harness.digest(fixedAnchor.domainSeparator(), V1_RECORD_HASH);
        assertEq(digest, V1_DIGEST, "worker signature digest");
        assertEq(keccak256(_sig(ANVIL_KEY_1, digest)), keccak256(V1_SIGNATURE), "RFC 6979 signature");
        assertEq(ECDSA.recover(digest, V1_SIGNATURE), W1, "recovers the worker");
    }

    /// H1: the PoLBlock type hash, the block hash and the digest validators sign.
    function test_polBlockH1_goldenVectors() public {
        IPoLAnchor fixedAnchor = _fixedAnchor();
        IPoLAnchor.PoLBlock memory h = IPoLAnchor.PoLBlock({
            jobId: 1,
            index: 0,
            parent: bytes32(0),
            stepFrom: 0,
            stepTo: 9,
            stepsRoot: keccak256("s"),
            payoutsRoot: keccak256("p"),
            checkpointRoot: keccak256("c"),
            randomness: keccak256("r"),
            randomnessBlock: 42
        });
        assertEq(anchor.POL_BLOCK_TYPEHASH(), H1_TYPEHASH, "PoLBlock type hash");
        assertEq(fixedAnchor.hashBlock(h), H1_BLOCK_HASH, "block hash");
        assertEq(fixedAnchor.blockDigest(h), H1_DIGEST, "digest");
    }

    /// S1: the sample value of validator 0x3C44…93BC for V1's leaf under keccak256("r").
    function test_sampleS1_goldenVector() public view {
        uint256 value = uint256(keccak256(abi.encodePacked(keccak256("r"), W2, V1_RECORD_HASH))) % 1_000_000;
        assertEq(value, S1_VALUE, "S1");
        assertTrue(harness.isSampled(keccak256("r"), W2, V1_RECORD_HASH, S1_VALUE + 1), "sampled just above");
        assertFalse(harness.isSampled(keccak256("r"), W2, V1_RECORD_HASH, S1_VALUE), "not sampled at the value");
        assertFalse(anchor.isSampled(keccak256("r"), W2, V1_RECORD_HASH, S1_VALUE), "anchor view agrees");
    }

    /// The anchor's code at a fixed address on the devnet chain id (immutables travel with the code;
    /// OpenZeppelin's EIP712 rebuilds the separator for the new address and chain).
    function _fixedAnchor() internal returns (IPoLAnchor) {
        vm.etch(ANCHOR_AT, address(anchor).code);
        vm.chainId(7701);
        return IPoLAnchor(ANCHOR_AT);
    }

    function _v1() internal pure returns (IDisputeCourt.StepRecord memory r) {
        r.jobId = 1;
        r.step = 7;
        r.stage = 1;
        r.replica = 0;
        r.stages = 2;
        r.replicas = 1;
        r.worker = W1;
        r.batchCommitment = keccak256("a");
        r.paramsBefore = keccak256("b");
        r.optStateBefore = keccak256("c");
        r.actIn = keccak256("d");
        r.actOut = keccak256("e");
        r.gradIn = keccak256("f");
        r.gradOut = keccak256("g");
        r.gradRoot = keccak256("h");
        r.reduceRoot = keccak256("i");
        r.paramsAfter = keccak256("j");
        r.optStateAfter = keccak256("k");
        r.lossBits = 0x3FF8000000000000;
    }
}
