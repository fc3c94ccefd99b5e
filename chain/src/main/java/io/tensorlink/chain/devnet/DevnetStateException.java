package io.tensorlink.chain.devnet;

/** The devnet state file in the data dir cannot be read: a damaged file, not a stopped chain. */
public final class DevnetStateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DevnetStateException(final String message) {
    super(message);
  }
}
