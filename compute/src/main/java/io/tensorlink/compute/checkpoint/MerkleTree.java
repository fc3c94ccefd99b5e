package io.tensorlink.compute.checkpoint;

import io.tensorlink.compute.hash.Keccak;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A keccak256 Merkle tree in OpenZeppelin's layout, so roots and proofs agree with
 * {@code @openzeppelin/merkle-tree}'s {@code StandardMerkleTree} (leaf encoding {@code bytes32},
 * {@code sortLeaves: false}) and verify with Solidity's {@code MerkleProof.verify}.
 *
 * <ul>
 *   <li>A leaf over a 32-byte value {@code v} is {@code keccak256(keccak256(v))} (the double hash
 *       keeps a leaf from being passed off as an inner node).
 *   <li>An inner node is {@code keccak256(min(a, b) ‖ max(a, b))}, bytes compared unsigned.
 *   <li>The tree is a complete binary tree in an array of {@code 2n − 1} nodes: leaf {@code i}
 *       sits at {@code 2n − 2 − i} and node {@code j} hashes its children {@code 2j+1, 2j+2};
 *       the root is node 0.
 * </ul>
 *
 * <p>Compute keeps its own copy of this small algorithm because it must not depend on the
 * contracts module.
 */
public final class MerkleTree {

  private final byte[][] nodes;
  private final int leafCount;

  private MerkleTree(final byte[][] nodes, final int leafCount) {
    this.nodes = nodes;
    this.leafCount = leafCount;
  }

  /** Builds the tree over {@code values} (each 32 bytes) in the given order. */
  public static MerkleTree of(final List<byte[]> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("a Merkle tree needs at least one leaf");
    }
    final int n = values.size();
    final byte[][] nodes = new byte[2 * n - 1][];
    for (int i = 0; i < n; i++) {
      nodes[nodes.length - 1 - i] = leafHash(values.get(i));
    }
    for (int j = nodes.length - 1 - n; j >= 0; j--) {
      nodes[j] = nodeHash(nodes[2 * j + 1], nodes[2 * j + 2]);
    }
    return new MerkleTree(nodes, n);
  }

  public byte[] root() {
    return nodes[0].clone();
  }

  /** Sibling hashes from leaf {@code index} up to the root, as {@code MerkleProof.verify} takes them. */
  public List<byte[]> proof(final int index) {
    if (index < 0 || index >= leafCount) {
      throw new IndexOutOfBoundsException("leaf " + index + " outside [0, " + leafCount + ")");
    }
    final List<byte[]> proof = new ArrayList<>();
    int j = nodes.length - 1 - index;
    while (j > 0) {
      final int sibling = (j % 2 == 1) ? j + 1 : j - 1;
      proof.add(nodes[sibling].clone());
      j = (j - 1) / 2;
    }
    return proof;
  }

  /** True when {@code proof} links the leaf over {@code value} to {@code root}. */
  public static boolean verify(final List<byte[]> proof, final byte[] root, final byte[] value) {
    byte[] h = leafHash(value);
    for (final byte[] p : proof) {
      h = nodeHash(h, p);
    }
    return Arrays.equals(h, root);
  }

  /** {@code keccak256(keccak256(value))} for a 32-byte value. */
  public static byte[] leafHash(final byte[] value) {
    if (value.length != 32) {
      throw new IllegalArgumentException("Merkle leaf values are 32 bytes, got " + value.length);
    }
    return Keccak.keccak256(Keccak.keccak256(value));
  }

  /** keccak256 of the pair in ascending unsigned byte order. */
  public static byte[] nodeHash(final byte[] a, final byte[] b) {
    return Arrays.compareUnsigned(a, b) <= 0 ? Keccak.keccak256(a, b) : Keccak.keccak256(b, a);
  }
}
