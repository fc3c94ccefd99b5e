package io.tensorlink.chain.xmr;

import io.tensorlink.monero.escrow.EscrowTerms;
import io.tensorlink.monero.escrow.PayoutPolicy;
import io.tensorlink.monero.escrow.ReleasePlan;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;

/**
 * The release decision of a node for one XMR escrow: the worker's verified steps at the job's price per
 * step, from anchored PoL evidence ({@link VerifiedWork}); nothing for a slashed worker; nothing at all
 * (no release, no refund) until the evidence is final.
 */
public final class PolPayoutPolicy implements PayoutPolicy {
  private final VerifiedWork work;
  private final BigInteger jobId;
  private final String worker;

  public PolPayoutPolicy(final VerifiedWork work, final BigInteger jobId, final String workerAccount) {
    this.work = work;
    this.jobId = jobId;
    this.worker = workerAccount.toLowerCase(Locale.ROOT);
  }

  @Override
  public Optional<ReleasePlan> releasePlan(final EscrowTerms terms) {
    return work.finalEvidence(jobId, worker)
        .map(e -> ReleasePlan.forVerifiedSteps(terms, e.verifiedSteps(), e.slashed()));
  }
}
