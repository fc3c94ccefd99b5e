package io.tensorlink.monero.escrow;

import io.tensorlink.monero.rpc.WalletRpc.Destination;
import java.util.ArrayList;
import java.util.List;

/**
 * The release: the worker's verified pay and the arbiter's fee (either may be zero). The client gets the
 * rest with the refund that follows.
 */
public record ReleasePlan(long workerAmount, long arbiterFee) {
  public ReleasePlan {
    if (workerAmount < 0 || arbiterFee < 0) {
      throw new IllegalArgumentException("release amounts must not be negative");
    }
  }

  /**
   * {@code verifiedSteps × pricePerStep}, capped at {@link EscrowTerms#workerCap()}; nothing for a slashed
   * worker (its share goes back to the client with the refund).
   */
  public static ReleasePlan forVerifiedSteps(final EscrowTerms terms, final long verifiedSteps, final boolean slashed) {
    if (verifiedSteps < 0) {
      throw new IllegalArgumentException("verified steps must not be negative, got " + verifiedSteps);
    }
    final long pay;
    if (slashed) {
      pay = 0;
    } else if (verifiedSteps > terms.workerCap() / terms.pricePerStep()) {
      pay = terms.workerCap();
    } else {
      pay = Math.min(terms.workerCap(), verifiedSteps * terms.pricePerStep());
    }
    return new ReleasePlan(pay, terms.arbiterFee());
  }

  /**
   * An amount the evidence states directly (e.g. the worker's leaves in anchored PoL blocks), capped at
   * {@link EscrowTerms#workerCap()}; nothing for a slashed worker.
   */
  public static ReleasePlan forVerifiedAmount(final EscrowTerms terms, final java.math.BigInteger amount, final boolean slashed) {
    if (amount.signum() < 0) {
      throw new IllegalArgumentException("a verified amount must not be negative, got " + amount);
    }
    final long pay = slashed ? 0 : amount.min(java.math.BigInteger.valueOf(terms.workerCap())).longValueExact();
    return new ReleasePlan(pay, terms.arbiterFee());
  }

  /** The release transaction's outputs, zero amounts left out. */
  public List<Destination> destinations(final EscrowTerms terms) {
    final List<Destination> d = new ArrayList<>(2);
    if (workerAmount > 0) {
      d.add(new Destination(workerAmount, terms.workerAddress()));
    }
    if (arbiterFee > 0) {
      d.add(new Destination(arbiterFee, terms.arbiterAddress()));
    }
    return List.copyOf(d);
  }
}
