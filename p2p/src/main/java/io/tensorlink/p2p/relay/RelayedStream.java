package io.tensorlink.p2p.relay;

import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.host.StreamListener;
import io.tensorlink.p2p.peer.PeerId;

/**
 * A circuit through a relay, as a raw byte stream to the peer at its far end (the initiator sees the
 * target, the target the initiator). Take it with {@link #setListener} (not on the stream itself):
 * bytes that arrived since the relay's OK are replayed to the listener first. The relay may cut it
 * at {@code limit}.
 */
public final class RelayedStream {
  private final Stream stream;
  private final PeerId remotePeer;
  private final PeerId relay;
  private final CircuitMessage.Limit limit;
  private final ParkedStream parked;

  RelayedStream(final Stream stream, final PeerId remotePeer, final PeerId relay, final CircuitMessage.Limit limit, final ParkedStream parked) {
    this.stream = stream;
    this.remotePeer = remotePeer;
    this.relay = relay;
    this.limit = limit;
    this.parked = parked;
  }

  /** For writing and closing; read through {@link #setListener}. */
  public Stream stream() {
    return stream;
  }

  public PeerId remotePeer() {
    return remotePeer;
  }

  public PeerId relay() {
    return relay;
  }

  public CircuitMessage.Limit limit() {
    return limit;
  }

  public void setListener(final StreamListener listener) {
    parked.release(stream, listener);
  }
}
