package io.tensorlink.contracts.pol;

import io.tensorlink.contracts.merkle.MerkleTree;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The payouts of one PoL block: a Merkle tree of (worker, amount) leaves whose root is the
 * header's {@code payoutsRoot}, and the proofs workers pass to {@code JobEscrow.claim}.
 */
public final class PayoutTree {
  private final Map<String, BigInteger> amounts;
  private final MerkleTree tree;

  private PayoutTree(final Map<String, BigInteger> amounts, final MerkleTree tree) {
    this.amounts = amounts;
    this.tree = tree;
  }

  /**
   * @param payouts worker address to wei of TL; one leaf per worker, amounts positive
   */
  public static PayoutTree of(final Map<String, BigInteger> payouts) {
    final Map<String, BigInteger> normalised = new LinkedHashMap<>();
    final List<byte[]> leaves = new ArrayList<>();
    payouts.forEach((worker, amount) -> {
      if (amount.signum() <= 0) {
        throw new IllegalArgumentException("payout of " + worker + " must be positive, got " + amount);
      }
      if (normalised.put(key(worker), amount) != null) {
        throw new IllegalArgumentException("worker " + worker + " appears twice");
      }
      leaves.add(Leaves.payout(worker, amount));
    });
    return new PayoutTree(Map.copyOf(normalised), MerkleTree.of(leaves));
  }

  public byte[] root() {
    return tree.root();
  }

  public BigInteger amount(final String worker) {
    final BigInteger amount = amounts.get(key(worker));
    if (amount == null) {
      throw new IllegalArgumentException("worker " + worker + " has no payout in this block");
    }
    return amount;
  }

  /** The proof of {@code worker}'s leaf, bottom-up. */
  public List<byte[]> proof(final String worker) {
    return tree.proof(Leaves.payout(worker, amount(worker)));
  }

  private static String key(final String address) {
    return address.toLowerCase(Locale.ROOT);
  }
}
