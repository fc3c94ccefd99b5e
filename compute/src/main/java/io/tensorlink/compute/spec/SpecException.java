package io.tensorlink.compute.spec;

/** A model spec is malformed or its shapes do not fit; the message names the layer. */
public final class SpecException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public SpecException(final String message) {
    super(message);
  }

  public SpecException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
