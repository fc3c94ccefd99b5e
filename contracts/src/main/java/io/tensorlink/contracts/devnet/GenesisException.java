package io.tensorlink.contracts.devnet;

/** A genesis file that is missing, unreadable or invalid; the message names the file and key. */
public final class GenesisException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GenesisException(final String message) {
    super(message);
  }

  public GenesisException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
