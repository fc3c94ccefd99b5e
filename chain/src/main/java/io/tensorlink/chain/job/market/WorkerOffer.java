package io.tensorlink.chain.job.market;

import io.tensorlink.chain.pol.Bid;
import java.math.BigInteger;
import java.util.Objects;
import org.web3j.crypto.Credentials;

/**
 * What a worker node bids with: it bids {@code minPrice} on every verified job that pays at least
 * that and suits its backend.
 */
public record WorkerOffer(Credentials account, BigInteger minPrice, Bid.Backend backend, Capacity capacity) {
  public WorkerOffer {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(capacity, "capacity");
    if (minPrice.signum() < 0) {
      throw new IllegalArgumentException("minPrice must be >= 0, got " + minPrice);
    }
  }

  @Override
  public String toString() {
    // The account holds the key: never print it.
    return "WorkerOffer[" + account.getAddress() + ", min " + minPrice + " wei/step, " + backend + ", " + capacity + "]";
  }
}
