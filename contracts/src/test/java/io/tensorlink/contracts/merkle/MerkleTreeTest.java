package io.tensorlink.contracts.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

class MerkleTreeTest {
  /**
   * A tree dumped by {@code @openzeppelin/merkle-tree}'s {@code StandardMerkleTree.of(values,
   * ["address"])} (format standard-v1): eight single-address leaves and the resulting root.
   */
  private static final List<String> OZ_ADDRESSES =
      List.of(
          "0x5B38Da6a701c568545dCfcB03FcB875f56beddC4",
          "0x000000000000d34c44564053af35e4fe271d0caa",
          "0x0000000000078c65a676f9a1f2ae66db0cbdff48",
          "0x00000000000a29a0800f6f557ddbbe8249397de7",
          "0x00000000000a40322164e8b9e1b909c388bf8317",
          "0x00000000000b69ec332f49b7c4d2b101f93c3bed",
          "0x00000000000be4d9faacf7f669f25118b1736666",
          "0xA8CC44274A9b35D1b55fBe7cfCa528b7a78Fb940");

  private static final String OZ_ROOT =
      "0x7b304f9d916a40cd36caa8f6c157d088804dd56b4b5f1597167414f1e57c6699";
  /** tree[14] of the dump: the leaf hash of the first address. */
  private static final String OZ_FIRST_LEAF =
      "0x24da68c5697e2b39240db86159eb0aea630eef50919653bc16409e95a183b6c6";

  @Test
  @SuppressWarnings("rawtypes")
  void shouldReproduceOpenZeppelinStandardTree() {
    final List<byte[]> leaves = new ArrayList<>();
    for (final String a : OZ_ADDRESSES) {
      leaves.add(StandardLeaf.hash(List.<Type>of(new Address(a))));
    }
    assertThat(Numeric.toHexString(leaves.get(0))).isEqualTo(OZ_FIRST_LEAF);

    final MerkleTree tree = MerkleTree.of(leaves);

    assertThat(Numeric.toHexString(tree.root())).isEqualTo(OZ_ROOT);
    for (final byte[] leaf : leaves) {
      assertThat(MerkleTree.verify(tree.proof(leaf), tree.root(), leaf)).isTrue();
    }
  }

  @Test
  void singleLeafIsItsOwnRootWithEmptyProof() {
    final byte[] leaf = Hash.sha3(new byte[] {1});
    final MerkleTree tree = MerkleTree.of(List.of(leaf));

    assertThat(tree.root()).isEqualTo(leaf);
    assertThat(tree.proof(leaf)).isEmpty();
  }

  @Test
  void twoLeavesHashSmallerFirst() {
    final byte[] a = Hash.sha3(new byte[] {1});
    final byte[] b = Hash.sha3(new byte[] {2});
    final byte[] smaller = java.util.Arrays.compareUnsigned(a, b) < 0 ? a : b;
    final byte[] larger = smaller == a ? b : a;

    final byte[] expected = Hash.sha3(concat(smaller, larger));

    assertThat(MerkleTree.of(List.of(a, b)).root()).isEqualTo(expected);
    assertThat(MerkleTree.of(List.of(b, a)).root()).isEqualTo(expected);
  }

  @Property(tries = 50)
  void everyLeafProvesAndNoOtherDoes(@ForAll @IntRange(min = 1, max = 70) final int n, @ForAll final long seed) {
    final Random random = new Random(seed);
    final List<byte[]> leaves = randomLeaves(random, n);
    final MerkleTree tree = MerkleTree.of(leaves);
    final byte[] outsider = randomLeaves(random, 1).get(0);

    for (final byte[] leaf : leaves) {
      final List<byte[]> proof = tree.proof(leaf);
      assertThat(MerkleTree.verify(proof, tree.root(), leaf)).isTrue();
      assertThat(MerkleTree.verify(proof, tree.root(), outsider)).isFalse();
      assertThat(proof.size()).isLessThanOrEqualTo(32 - Integer.numberOfLeadingZeros(n));
    }
    final List<byte[]> shuffled = new ArrayList<>(leaves);
    Collections.shuffle(shuffled, random);
    assertThat(MerkleTree.of(shuffled).root()).isEqualTo(tree.root());
  }

  @Test
  void tamperedProofFails() {
    final List<byte[]> leaves = randomLeaves(new Random(7), 9);
    final MerkleTree tree = MerkleTree.of(leaves);
    final List<byte[]> proof = new ArrayList<>(tree.proof(leaves.get(3)));
    final byte[] flipped = proof.get(1).clone();
    flipped[31] ^= 1;
    proof.set(1, flipped);

    assertThat(MerkleTree.verify(proof, tree.root(), leaves.get(3))).isFalse();
  }

  @Test
  void badInputIsRejectedWithAClearMessage() {
    assertThatThrownBy(() -> MerkleTree.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one leaf");
    assertThatThrownBy(() -> MerkleTree.of(List.of(new byte[31])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("leaf 0 must be 32 bytes, got 31");
    final MerkleTree tree = MerkleTree.of(List.of(new byte[32]));
    assertThatThrownBy(() -> tree.proof(Hash.sha3(new byte[] {9})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not in the tree");
  }

  private static List<byte[]> randomLeaves(final Random random, final int n) {
    final List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      final byte[] b = new byte[32];
      random.nextBytes(b);
      leaves.add(b);
    }
    return leaves;
  }

  private static byte[] concat(final byte[] a, final byte[] b) {
    final byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
