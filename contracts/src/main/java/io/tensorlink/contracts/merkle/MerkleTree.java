package io.tensorlink.contracts.merkle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.web3j.crypto.Hash;

/**
 * A binary Merkle tree laid out exactly like OpenZeppelin's {@code StandardMerkleTree}: keccak256
 * over sorted pairs, leaves sorted by hash, node {@code i} having children {@code 2i+1} and
 * {@code 2i+2}. Roots and proofs therefore agree with {@code MerkleProof.verify} on chain and with
 * the {@code @openzeppelin/merkle-tree} JS library.
 *
 * <p>Leaves are given already hashed (see {@link StandardLeaf}); the tree never hashes them again,
 * which is what makes a 64-byte inner node impossible to pass off as a leaf. Immutable and
 * thread-safe; every byte array in or out is copied.
 */
public final class MerkleTree {
  /** Length of every node, leaves included. */
  public static final int HASH_LENGTH = 32;

  private final byte[][] nodes;
  private final int leafCount;

  private MerkleTree(final byte[][] nodes, final int leafCount) {
    this.nodes = nodes;
    this.leafCount = leafCount;
  }

  /**
   * Builds the tree over leaf hashes (any order; they are sorted first, as OpenZeppelin does).
   *
   * @throws IllegalArgumentException if there is no leaf or one is not 32 bytes long
   */
  public static MerkleTree of(final List<byte[]> leafHashes) {
    Objects.requireNonNull(leafHashes, "leafHashes");
    if (leafHashes.isEmpty()) {
      throw new IllegalArgumentException("a Merkle tree needs at least one leaf");
    }
    final List<byte[]> sorted = new ArrayList<>(leafHashes.size());
    for (int i = 0; i < leafHashes.size(); i++) {
      sorted.add(checkHash(leafHashes.get(i), "leaf " + i));
    }
    sorted.sort(Arrays::compareUnsigned);
    final int n = sorted.size();
    final byte[][] nodes = new byte[2 * n - 1][];
    for (int i = 0; i < n; i++) {
      nodes[nodes.length - 1 - i] = sorted.get(i);
    }
    for (int i = nodes.length - 1 - n; i >= 0; i--) {
      nodes[i] = hashPair(nodes[2 * i + 1], nodes[2 * i + 2]);
    }
    return new MerkleTree(nodes, n);
  }

  public byte[] root() {
    return nodes[0].clone();
  }

  public int size() {
    return leafCount;
  }

  /**
   * The sibling path from a leaf to the root, bottom-up, as {@code MerkleProof.verify} takes it.
   *
   * @throws IllegalArgumentException if the leaf is not in the tree
   */
  public List<byte[]> proof(final byte[] leafHash) {
    final byte[] leaf = checkHash(leafHash, "leaf");
    for (int i = nodes.length - leafCount; i < nodes.length; i++) {
      if (Arrays.equals(nodes[i], leaf)) {
        return proofAt(i);
      }
    }
    throw new IllegalArgumentException("leaf 0x" + hex(leaf) + " is not in the tree");
  }

  private List<byte[]> proofAt(final int nodeIndex) {
    final List<byte[]> path = new ArrayList<>();
    for (int i = nodeIndex; i > 0; i = (i - 1) / 2) {
      // Left children sit at odd indices, so the sibling is the next node; right ones, the previous.
      final int sibling = (i % 2 == 1) ? i + 1 : i - 1;
      path.add(nodes[sibling].clone());
    }
    return Collections.unmodifiableList(path);
  }

  /** Recomputes the root from a leaf and its proof, as OpenZeppelin's {@code processProof}. */
  public static byte[] processProof(final List<byte[]> proof, final byte[] leafHash) {
    byte[] computed = checkHash(leafHash, "leaf");
    for (int i = 0; i < proof.size(); i++) {
      computed = hashPair(computed, checkHash(proof.get(i), "proof element " + i));
    }
    return computed;
  }

  /** Whether {@code proof} proves {@code leafHash} under {@code root}. */
  public static boolean verify(final List<byte[]> proof, final byte[] root, final byte[] leafHash) {
    return Arrays.equals(processProof(proof, leafHash), checkHash(root, "root"));
  }

  /** keccak256 of the two nodes concatenated smaller-first, as OpenZeppelin's {@code Hashes.commutativeKeccak256}. */
  static byte[] hashPair(final byte[] a, final byte[] b) {
    final boolean aFirst = Arrays.compareUnsigned(a, b) <= 0;
    final byte[] joined = new byte[2 * HASH_LENGTH];
    System.arraycopy(aFirst ? a : b, 0, joined, 0, HASH_LENGTH);
    System.arraycopy(aFirst ? b : a, 0, joined, HASH_LENGTH, HASH_LENGTH);
    return Hash.sha3(joined);
  }

  private static byte[] checkHash(final byte[] hash, final String what) {
    Objects.requireNonNull(hash, what);
    if (hash.length != HASH_LENGTH) {
      throw new IllegalArgumentException(what + " must be 32 bytes, got " + hash.length);
    }
    return hash.clone();
  }

  private static String hex(final byte[] bytes) {
    return java.util.HexFormat.of().formatHex(bytes);
  }
}
