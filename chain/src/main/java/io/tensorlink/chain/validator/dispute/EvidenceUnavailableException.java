package io.tensorlink.chain.validator.dispute;

/**
 * This node cannot build the evidence the court needs (the record, a record of the block's range,
 * or the block itself is not in its store): retrying will not help, so the duty is given up.
 */
public final class EvidenceUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EvidenceUnavailableException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
