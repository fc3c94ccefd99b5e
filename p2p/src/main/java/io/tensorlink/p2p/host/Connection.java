package io.tensorlink.p2p.host;

import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A secured (Noise), multiplexed (yamux) connection to one peer. Thread-safe. */
public interface Connection {
  PeerId remotePeer();

  Multiaddr remoteAddress();

  Multiaddr localAddress();

  /** Whether we dialed this connection. */
  boolean isInitiator();

  /**
   * Opens a stream and negotiates the first protocol of {@code protocols} that the peer accepts
   * (multistream-select, trying them in order). Fails with {@link ProtocolNotSupportedException}
   * when the peer refuses them all.
   */
  CompletableFuture<Stream> newStream(List<String> protocols);

  default CompletableFuture<Stream> newStream(final String protocol) {
    return newStream(List.of(protocol));
  }

  /** Number of open streams. */
  int streamCount();

  boolean isOpen();

  /** Closes the connection (yamux GoAway, then TCP close); open streams end. */
  CompletableFuture<Void> close();

  CompletableFuture<Void> closeFuture();
}
