package io.tensorlink.chain.pol.wire;

/** Bytes that are not a valid encoding of the expected PoL message; the message says what and where. */
public final class WireException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WireException(final String message) {
    super(message);
  }

  public WireException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
