package io.tensorlink.monero.escrow;

import java.util.Optional;

/**
 * What this party agrees the escrow owes, from its own view of the evidence: the chain module answers
 * from anchored proof-of-learning blocks whose challenge windows have passed. A co-signer signs a release
 * only if it pays exactly this plan.
 */
@FunctionalInterface
public interface PayoutPolicy {
  /** Empty while there is no final evidence (blocks not anchored, challenge window open). */
  Optional<ReleasePlan> releasePlan(EscrowTerms terms);
}
