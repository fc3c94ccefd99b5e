package io.tensorlink.p2p.multiaddr;

import io.tensorlink.p2p.util.MalformedInputException;

/** A multiaddr (text or binary) did not parse; the message names the defect. */
public final class MultiaddrException extends MalformedInputException {
  public MultiaddrException(final String message) {
    super(message);
  }

  public MultiaddrException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
