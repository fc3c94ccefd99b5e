package io.tensorlink.cli.job;

import java.math.BigInteger;

/**
 * What a job can cost its client, from the escrow's fee rates: every step paid at the price once
 * ({@code steps × price}, never more than the budget; the escrow reserves {@code (stepTo − stepFrom)
 * × pricePerStep} per anchored block, shared by the workers of the step's stages × replicas
 * records), split as the escrow splits each anchored block (validator fee, protocol fee, the rest to
 * workers); the remainder of the budget is refundable.
 *
 * @param steps steps the job pays for, 0 when unknown
 */
record JobCost(BigInteger budget, BigInteger price, long steps, int validatorFeeBps, int protocolFeeBps) {
  private static final BigInteger BPS = BigInteger.valueOf(10_000);

  /** The most the job can spend: the full run's steps, or the whole budget when the length is unknown. */
  BigInteger maxSpent() {
    return steps == 0 ? budget : budget.min(price.multiply(BigInteger.valueOf(steps)));
  }

  BigInteger validatorFees() {
    return maxSpent().multiply(BigInteger.valueOf(validatorFeeBps)).divide(BPS);
  }

  BigInteger protocolFee() {
    return maxSpent().multiply(BigInteger.valueOf(protocolFeeBps)).divide(BPS);
  }

  BigInteger toWorkers() {
    return maxSpent().subtract(validatorFees()).subtract(protocolFee());
  }

  BigInteger refundable() {
    return budget.subtract(maxSpent());
  }
}
