package io.tensorlink.monero.escrow;

/** An escrow step that did not happen, with why. Funds are never moved by a failed step. */
public final class EscrowException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of failure: decides whether retrying can help. */
  public enum Reason {
    /** A message was malformed, badly signed, for other terms, or contradicts what this party computed. */
    PROTOCOL,
    /** The other party checked and declined (amount above the verified one, no evidence yet, …). */
    REFUSED,
    /** A party, its wallet-rpc or the daemon could not be reached; retrying later resumes. */
    UNAVAILABLE,
    /** The step is not possible in this state (not set up, already settled, interrupted mid-call). */
    STATE,
    /** The other parties did not answer in time. */
    TIMEOUT
  }

  private final Reason reason;

  public EscrowException(final Reason reason, final String message) {
    super(message);
    this.reason = reason;
  }

  public EscrowException(final Reason reason, final String message, final Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
