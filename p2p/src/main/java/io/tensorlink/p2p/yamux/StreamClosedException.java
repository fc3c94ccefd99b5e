package io.tensorlink.p2p.yamux;

/** A write or open failed because the stream (or its connection) is closed. */
public final class StreamClosedException extends RuntimeException {
  public StreamClosedException(final String message) {
    super(message);
  }
}
