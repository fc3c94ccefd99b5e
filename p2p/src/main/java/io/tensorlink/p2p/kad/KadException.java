package io.tensorlink.p2p.kad;

/** A DHT operation failed (peer unreachable, no answer, nothing found). */
public final class KadException extends RuntimeException {
  public KadException(final String message) {
    super(message);
  }
}
