package io.tensorlink.chain.validator.dispute;

/**
 * The court refused a call: the transaction would revert (caught by the pre-flight call, no gas
 * spent) or did revert. {@link #error()} is the contract's custom error name, e.g.
 * {@code DisputeCourtAlreadyVoted}, so callers decide whether to retry, move on or give up. Any
 * other exception from a {@code DisputeClient} is a transport failure worth retrying.
 */
public final class CourtRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String error;

  public CourtRejectedException(final String error, final String message, final Throwable cause) {
    super(message, cause);
    this.error = error;
  }

  public String error() {
    return error;
  }
}
