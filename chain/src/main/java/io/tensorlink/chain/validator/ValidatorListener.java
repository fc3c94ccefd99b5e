package io.tensorlink.chain.validator;

/**
 * What a host may count (the standalone node's Prometheus metrics). Called under the validator's
 * lock: implementations must be quick and must not call back into the validator.
 */
public interface ValidatorListener {
  /** Counts nothing. */
  ValidatorListener NONE = new ValidatorListener() {};

  /** This node judged a header: {@code verdict} is Valid, Invalid or Fraud (Incomplete is not reported). */
  default void verified(final Verdict verdict) {}

  /** A block was anchored on chain (by anyone). */
  default void blockAnchored() {}

  /** This node opened a dispute (its reveal was mined). */
  default void disputeOpened() {}

  /** This node cast a committee vote. */
  default void voted() {}
}
