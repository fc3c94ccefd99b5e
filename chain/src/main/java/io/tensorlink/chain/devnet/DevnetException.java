package io.tensorlink.chain.devnet;

/** A devnet operation that could not be carried out; the message says why and what to do. */
public final class DevnetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DevnetException(final String message) {
    super(message);
  }
}
