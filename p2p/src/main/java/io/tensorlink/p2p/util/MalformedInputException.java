package io.tensorlink.p2p.util;

/**
 * Bytes from the network (or a file) did not parse. Decoders throw it; the pipeline catches it and
 * closes the offending stream or connection with the message as the logged reason.
 */
public class MalformedInputException extends IllegalArgumentException {
  public MalformedInputException(final String message) {
    super(message);
  }

  public MalformedInputException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
