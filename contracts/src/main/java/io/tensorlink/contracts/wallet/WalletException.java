package io.tensorlink.contracts.wallet;

/** A keystore could not be created, found or unlocked; the message says which file and why. */
public final class WalletException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WalletException(final String message) {
    super(message);
  }

  public WalletException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
