package io.tensorlink.p2p.host;

import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A libp2p node: TCP + Noise + yamux, with identify and ping built in. Protocols register a {@link
 * StreamHandler}; the registered ids are what identify advertises. Thread-safe.
 *
 * <pre>{@code
 * try (Host host = Hosts.create(HostConfig.loopback())) {   // io.tensorlink.p2p.transport.Hosts
 *   host.start().join();
 *   host.setStreamHandler("/echo/1.0.0", s -> s.setListener((st, buf) -> st.writeAndFlush(buf.retain())));
 *   Connection c = host.dial(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001/p2p/12D3KooW…")).join();
 *   Stream s = c.newStream("/echo/1.0.0").join();
 * }
 * }</pre>
 */
public interface Host extends AutoCloseable {
  PeerId peerId();

  HostConfig config();

  /** Binds the configured listen addresses; completes with the bound addresses (real ports). */
  CompletableFuture<List<Multiaddr>> start();

  /** Bound listen addresses (empty before {@link #start()}). */
  List<Multiaddr> listenAddresses();

  /**
   * Connects to {@code address}. If it ends in {@code /p2p/<id>} the remote must prove that
   * identity in the Noise handshake, and an existing connection to that peer is reused. Fails fast
   * with {@link DialBackoffException} while the peer is in dial backoff.
   */
  CompletableFuture<Connection> dial(Multiaddr address);

  /**
   * Routes dials of circuit addresses ({@code <relay>/p2p/<relay id>/p2p-circuit/p2p/<id>}) to
   * {@code dialer} (a relay client), so whoever learns such an address can dial it like any other;
   * without a dialer they fail. An existing connection to the target is reused.
   */
  void setCircuitDialer(Function<Multiaddr, CompletableFuture<Connection>> dialer);

  /** Opens a stream on an existing connection to {@code peer} (fails if not connected). */
  CompletableFuture<Stream> newStream(PeerId peer, List<String> protocols);

  default CompletableFuture<Stream> newStream(final PeerId peer, final String protocol) {
    return newStream(peer, List.of(protocol));
  }

  /**
   * Runs a secured, multiplexed connection (Noise + yamux, as over TCP) over an existing byte
   * stream, such as a relay circuit, and registers it like any other connection. The initiator
   * requires the remote to prove {@code remote} in the handshake; the responder checks the identity
   * it learns against {@code remote}.
   *
   * @param listen how to take the carrier's inbound bytes
   * @param remoteAddress what the connection reports as the remote's address (e.g. a circuit address)
   */
  CompletableFuture<Connection> upgradeOver(
      Stream carrier,
      java.util.function.Consumer<StreamListener> listen,
      boolean initiator,
      PeerId remote,
      Multiaddr remoteAddress,
      Multiaddr localAddress);

  void setStreamHandler(String protocolId, StreamHandler handler);

  void removeStreamHandler(String protocolId);

  /** Protocol ids with a handler (identify and ping included). */
  Set<String> protocols();

  void addConnectionListener(ConnectionListener listener);

  void removeConnectionListener(ConnectionListener listener);

  Optional<Connection> connection(PeerId peer);

  Collection<Connection> connections();

  /** The latest identify response from {@code peer}, while connected. */
  Optional<IdentifyInfo> identifyInfo(PeerId peer);

  /** One {@code /ipfs/ping/1.0.0} round trip. */
  CompletableFuture<Duration> ping(PeerId peer);

  /** Closes all connections and listeners and stops the event loops. Idempotent. */
  @Override
  void close();
}
