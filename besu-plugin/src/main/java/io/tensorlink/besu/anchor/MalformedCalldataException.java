package io.tensorlink.besu.anchor;

/** Calldata that claims to be a {@code submit} call but is not its canonical ABI encoding. */
public final class MalformedCalldataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MalformedCalldataException(final String message) {
    super(message);
  }
}
