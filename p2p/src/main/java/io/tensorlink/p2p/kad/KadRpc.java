package io.tensorlink.p2p.kad;

import io.tensorlink.p2p.host.Connection;
import io.tensorlink.p2p.host.DelimitedReader;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The client side of {@code /ipfs/kad/1.0.0}: reaches a peer (its live connection, or a dial to
 * each known address in turn), opens a stream, writes one length-prefixed request and, for the
 * request types that have one, reads one response. The stream is half-closed only after the
 * response: js checks whether our side is still open before it reads a request.
 */
final class KadRpc {
  private final Host host;
  private final String protocol;
  private final Duration timeout;
  private final AddressBook addresses;

  KadRpc(final Host host, final String protocol, final Duration timeout, final AddressBook addresses) {
    this.host = host;
    this.protocol = protocol;
    this.timeout = timeout;
    this.addresses = addresses;
  }

  /** Sends {@code request} and completes with the peer's response. */
  CompletableFuture<KadMessage> ask(final PeerId peer, final KadMessage request) {
    return open(peer)
        .thenCompose(
            stream -> {
              final CompletableFuture<KadMessage> reply = new CompletableFuture<>();
              stream.setListener(
                  new DelimitedReader(
                      "kad",
                      KadCodec.MAX_MESSAGE,
                      new DelimitedReader.Handler() {
                        @Override
                        public void onMessage(final Stream s, final byte[] message) {
                          final KadMessage response = KadCodec.decode(message);
                          if (response.type() != request.type()) {
                            throw new io.tensorlink.p2p.util.MalformedInputException(
                                "kad response of type " + response.type() + " to a " + request.type() + " request");
                          }
                          reply.complete(response);
                          s.closeWrite();
                        }

                        @Override
                        public void onRemoteClosed(final Stream s) {
                          reply.completeExceptionally(new KadException(peer + " closed the kad stream without answering"));
                        }

                        @Override
                        public void onFailure(final Stream s, final String reason) {
                          reply.completeExceptionally(new KadException(peer + ": " + reason));
                        }
                      }));
              KadServer.write(stream, request);
              return stream.resetUnlessAnswered(reply, timeout);
            });
  }

  /** Sends a request that has no response (ADD_PROVIDER) and closes the stream. */
  CompletableFuture<Void> tell(final PeerId peer, final KadMessage request) {
    return open(peer)
        .thenCompose(
            stream -> {
              stream.setListener((s, data) -> {});
              KadServer.write(stream, request);
              return stream.closeWrite();
            })
        .orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private CompletableFuture<Stream> open(final PeerId peer) {
    return connect(peer).thenCompose(c -> c.newStream(protocol));
  }

  private CompletableFuture<Connection> connect(final PeerId peer) {
    final var live = host.connection(peer).filter(Connection::isOpen);
    if (live.isPresent()) {
      return CompletableFuture.completedFuture(live.get());
    }
    return dialAny(peer, addresses.get(peer), 0);
  }

  private CompletableFuture<Connection> dialAny(final PeerId peer, final List<Multiaddr> candidates, final int index) {
    if (index >= candidates.size()) {
      return CompletableFuture.failedFuture(new KadException("no reachable address known for " + peer));
    }
    return host.dial(candidates.get(index).withPeerId(peer))
        .exceptionallyCompose(e -> dialAny(peer, candidates, index + 1));
  }
}
