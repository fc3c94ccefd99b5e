package io.tensorlink.chain.xmr;

import java.math.BigInteger;
import java.util.Optional;

/**
 * Final proof-of-learning evidence about one worker in one job, as the node's PoL code knows it from
 * anchored blocks: only blocks whose challenge windows have passed count. The PoL/validator code
 * implements it; this package only reads it.
 */
@FunctionalInterface
public interface VerifiedWork {
  /**
   * The worker's verified step count over the job's final anchored blocks and whether a fraud verdict
   * slashed it; empty while no such evidence exists (nothing anchored yet, or a window still open).
   *
   * @param worker the worker's account, 0x-prefixed lowercase hex
   */
  Optional<Evidence> finalEvidence(BigInteger jobId, String worker);

  /** Verified steps (records that passed validation) and the slashed flag. */
  record Evidence(long verifiedSteps, boolean slashed) {
    public Evidence {
      if (verifiedSteps < 0) {
        throw new IllegalArgumentException("verified steps must not be negative, got " + verifiedSteps);
      }
    }
  }
}
