package io.tensorlink.contracts.devnet;

/** anvil could not be found, started or reached; the message says which and what to do. */
public final class AnvilException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AnvilException(final String message) {
    super(message);
  }

  public AnvilException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
