package io.tensorlink.p2p.host;

import io.tensorlink.p2p.peer.PeerId;
import java.time.Duration;

/** A dial was refused because recent dials to the peer failed. */
public final class DialBackoffException extends RuntimeException {
  public DialBackoffException(final PeerId peer, final Duration remaining) {
    super("peer " + peer + " is in dial backoff for another " + remaining.toMillis() + " ms");
  }
}
