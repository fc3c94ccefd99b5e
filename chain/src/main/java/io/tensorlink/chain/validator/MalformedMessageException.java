package io.tensorlink.chain.validator;

/** A wire message or stored value could not be decoded; the message says which field and why. */
public final class MalformedMessageException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public MalformedMessageException(final String message) {
    super(message);
  }

  public MalformedMessageException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
