package io.tensorlink.p2p.pubsub;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.tensorlink.p2p.host.Connection;
import io.tensorlink.p2p.host.ConnectionListener;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.IdentifyInfo;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.host.StreamCloseReason;
import io.tensorlink.p2p.host.StreamListener;
import io.tensorlink.p2p.multiaddr.Component;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.multiaddr.Protocol;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.pubsub.rpc.Rpc;
import io.tensorlink.p2p.pubsub.rpc.RpcCodec;
import io.tensorlink.p2p.pubsub.score.ScoreBreakdown;
import io.tensorlink.p2p.util.Uvarint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gossipsub on a {@link Host}: registers {@code /meshsub/1.2.0}, {@code /1.1.0} and {@code /1.0.0},
 * opens one outbound RPC stream to every peer whose identify lists one of them (or that opens one
 * to us), and runs a {@link GossipRouter} on a single thread with a periodic heartbeat.
 *
 * <p>As in every libp2p pubsub, each side writes only on the stream it opened and reads only from
 * the streams the peer opened. Inbound bytes are framed and decoded on the connection's event loop;
 * a malformed or oversized RPC resets that stream with a logged reason. Subscriber callbacks and
 * topic validators run on the router thread: keep them short.
 *
 * <p>Thread-safe: every public method hands its work to the router thread and returns a future.
 */
public final class Gossipsub implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gossipsub.class);
  private static final int MAX_EARLY_RPCS = 64;
  /** Heartbeats between attempts to reconnect a direct peer that is not connected. */
  static final int DIRECT_CONNECT_TICKS = 10;

  private final Host host;
  private final GossipsubConfig config;
  private final ScheduledExecutorService executor;
  private final GossipRouter router;
  private final Map<String, CopyOnWriteArrayList<Consumer<ReceivedMessage>>> handlers = new ConcurrentHashMap<>();
  /** Our outbound RPC stream per peer, or an opening in progress (router thread only). */
  private final Map<PeerId, CompletableFuture<Stream>> outbound = new HashMap<>();
  /**
   * RPCs from peers whose inbound stream beat our outbound one (their hello carries their
   * subscriptions), replayed once the router knows the peer. Router thread only.
   */
  private final Map<PeerId, List<Rpc>> early = new HashMap<>();
  private final ConnectionListener connectionListener = new ConnectionListener() {
    @Override
    public void onIdentified(final Connection connection, final IdentifyInfo info) {
      if (GossipProtocol.ALL.stream().anyMatch(info::supports)) {
        run(() -> ensureOutbound(connection.remotePeer()));
      }
    }

    @Override
    public void onDisconnected(final Connection connection) {
      run(() -> peerMaybeGone(connection.remotePeer()));
    }
  };
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Addresses of direct peers to keep connected (router thread only). */
  private final List<Multiaddr> directAddresses = new ArrayList<>();
  private long heartbeats;

  public Gossipsub(final Host host, final GossipsubConfig config) {
    this.host = host;
    this.config = config;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("gossipsub-" + host.peerId().toBase58().substring(0, 12)).unstarted(r));
    this.router =
        new GossipRouter(host.config().identity(), config, System::nanoTime, new Random(), this::dispatch);
    // PX offers carry the signed records peers gave us in identify.
    router.setPeerRecords(peer -> host.identifyInfo(peer).flatMap(IdentifyInfo::signedPeerRecord));
  }

  /** Registers the protocols and starts the heartbeat; peers already connected are picked up. */
  public Gossipsub start() {
    for (final String protocol : GossipProtocol.ALL) {
      host.setStreamHandler(protocol, this::acceptInbound);
    }
    host.addConnectionListener(connectionListener);
    final long period = config.heartbeatInterval().toMillis();
    executor.scheduleAtFixedRate(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
    for (final Connection c : host.connections()) {
      host.identifyInfo(c.remotePeer())
          .filter(info -> GossipProtocol.ALL.stream().anyMatch(info::supports))
          .ifPresent(info -> run(() -> ensureOutbound(c.remotePeer())));
    }
    return this;
  }

  public PeerId peerId() {
    return router.self();
  }

  /** Subscribes and adds {@code handler} for the topic's messages (called on the router thread). */
  public CompletableFuture<Void> subscribe(final String topic, final Consumer<ReceivedMessage> handler) {
    handlers.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(handler);
    return call(() -> {
      router.subscribe(topic);
      return null;
    });
  }

  /** Unsubscribes from the topic and drops its handlers. */
  public CompletableFuture<Void> unsubscribe(final String topic) {
    handlers.remove(topic);
    return call(() -> {
      router.unsubscribe(topic);
      return null;
    });
  }

  public CompletableFuture<PublishResult> publish(final String topic, final byte[] data) {
    final ByteString payload = ByteString.copyFrom(data);
    return call(() -> router.publish(topic, payload));
  }

  public CompletableFuture<Void> setTopicValidator(final String topic, final TopicValidator validator) {
    return call(() -> {
      router.setValidator(topic, validator);
      return null;
    });
  }

  public CompletableFuture<Set<PeerId>> meshPeers(final String topic) {
    return call(() -> router.meshPeers(topic));
  }

  public CompletableFuture<Set<PeerId>> topicPeers(final String topic) {
    return call(() -> router.topicPeers(topic));
  }

  public CompletableFuture<Set<PeerId>> peers() {
    return call(router::peers);
  }

  public CompletableFuture<RouterStats> counters() {
    return call(router::counters);
  }

  /**
   * Keeps connections to direct peers (explicit peering agreements): dials each address now and
   * again every {@value #DIRECT_CONNECT_TICKS} heartbeats while its peer is not connected.
   *
   * @throws IllegalArgumentException when an address has no {@code /p2p/<id>} or names a peer
   *     that is not among {@code config.directPeers()}
   */
  public Gossipsub connectDirectPeers(final List<Multiaddr> addresses) {
    for (final Multiaddr a : addresses) {
      final PeerId peer = a.peerId().orElseThrow(() -> new IllegalArgumentException(
          "direct peer address " + a + " has no /p2p/<peer id>"));
      if (!config.directPeers().contains(peer)) {
        throw new IllegalArgumentException("direct peer address " + a + " names " + peer
            + ", which is not in the config's directPeers");
      }
    }
    run(() -> {
      directAddresses.addAll(addresses);
      dialDirectPeers();
    });
    return this;
  }

  /** Every connected gossipsub peer's score with its parts (P₁–P₇). */
  public CompletableFuture<Map<PeerId, ScoreBreakdown>> scores() {
    return call(router::scores);
  }

  /**
   * Feeds the application's verdict on a peer into its score (P₅, weight {@code appSpecificWeight}):
   * e.g. negative for a peer whose records fail verification, positive for a known-good one.
   */
  public CompletableFuture<Void> setApplicationScore(final PeerId peer, final double value) {
    return call(() -> {
      router.setApplicationScore(peer, value);
      return null;
    });
  }

  /** Receives graylisting, un-graylisting and score-based prunes (on the router thread; keep it short). */
  public CompletableFuture<Void> onScoreEvent(final Consumer<ScoreEvent> listener) {
    return call(() -> {
      router.setScoreListener(listener);
      return null;
    });
  }

  /**
   * Receives peers offered by peer exchange (PX) from well-scored peers, each with the addresses of
   * its signed peer record (verified: signature, and the record names the offered peer); offers
   * whose record does not verify are dropped. Offers without a record come with no addresses.
   */
  public CompletableFuture<Void> onPeerExchange(final Consumer<List<ExchangedPeer>> listener) {
    return call(() -> {
      router.setPeerExchangeListener(listener);
      return null;
    });
  }

  /** Unregisters from the host, closes our RPC streams and stops the router thread. Idempotent. */
  @Override
  public void close() {
    // One winner: a second, concurrent close must not race the first through the teardown.
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    host.removeConnectionListener(connectionListener);
    GossipProtocol.ALL.forEach(host::removeStreamHandler);
    call(() -> {
      outbound.values().forEach(f -> f.thenAccept(Stream::close));
      outbound.clear();
      return null;
    }).exceptionally(e -> null).join();
    executor.shutdownNow();
  }

  // ------------------------------------------------------------------------------ router thread

  private void heartbeat() {
    try {
      if (++heartbeats % DIRECT_CONNECT_TICKS == 0) {
        dialDirectPeers();
      }
      router.heartbeat();
    } catch (final RuntimeException e) {
      LOG.error("gossipsub heartbeat failed", e);
    }
  }

  private void dialDirectPeers() {
    for (final Multiaddr address : directAddresses) {
      final PeerId peer = address.peerId().orElseThrow();
      if (host.connection(peer).isEmpty()) {
        host.dial(address).whenComplete((c, e) -> {
          if (e != null) {
            LOG.debug("direct peer {} not reachable at {}: {}", peer, address, e.toString());
          }
        });
      }
    }
  }

  private void dispatch(final ReceivedMessage message) {
    final List<Consumer<ReceivedMessage>> subscribers = handlers.get(message.topic());
    if (subscribers == null) {
      return;
    }
    for (final Consumer<ReceivedMessage> handler : subscribers) {
      try {
        handler.accept(message);
      } catch (final RuntimeException e) {
        LOG.warn("subscriber of {} threw", message.topic(), e);
      }
    }
  }

  private void ensureOutbound(final PeerId peer) {
    if (closed.get() || outbound.containsKey(peer)) {
      return;
    }
    final CompletableFuture<Stream> opening = host.newStream(peer, GossipProtocol.ALL);
    outbound.put(peer, opening);
    opening.whenComplete((stream, error) -> run(() -> outboundOpened(peer, opening, stream, error)));
  }

  private void outboundOpened(
      final PeerId peer, final CompletableFuture<Stream> opening, final Stream stream, final Throwable error) {
    if (outbound.get(peer) != opening) {
      if (stream != null) {
        stream.reset();
      }
      return;
    }
    if (error != null) {
      LOG.debug("no gossipsub stream to {}: {}", peer, error.toString());
      outbound.remove(peer);
      early.remove(peer);
      return;
    }
    // The peer never writes on our stream; anything it sends is discarded.
    stream.setListener(new StreamListener() {
      @Override
      public void onData(final Stream s, final ByteBuf data) {}

      @Override
      public void onClosed(final Stream s, final StreamCloseReason reason) {
        run(() -> outboundClosed(peer, opening, reason));
      }
    });
    router.addPeer(peer, stream.protocol(), stream.connection().isInitiator(), rpc -> write(stream, rpc),
        ipOf(stream.connection().remoteAddress()));
    final List<Rpc> pending = early.remove(peer);
    if (pending != null) {
      pending.forEach(rpc -> router.handleRpc(peer, rpc));
    }
  }

  /** The IP address of a connection's remote address, for the IP-colocation score (P₆). */
  static Optional<String> ipOf(final Multiaddr address) {
    for (final Component c : address.components()) {
      if (c.protocol() == Protocol.IP4 || c.protocol() == Protocol.IP6) {
        return Optional.of(c.address().getHostAddress());
      }
    }
    return Optional.empty();
  }

  private void inboundRpc(final PeerId peer, final Rpc rpc) {
    if (router.hasPeer(peer)) {
      router.handleRpc(peer, rpc);
      return;
    }
    final List<Rpc> pending = early.computeIfAbsent(peer, p -> new ArrayList<>());
    if (pending.size() < MAX_EARLY_RPCS) {
      pending.add(rpc);
    } else {
      LOG.debug("dropping an early RPC from {}: {} already pending", peer, MAX_EARLY_RPCS);
    }
  }

  private void outboundClosed(final PeerId peer, final CompletableFuture<Stream> opening, final StreamCloseReason reason) {
    if (outbound.get(peer) == opening) {
      LOG.debug("gossipsub stream to {} closed ({})", peer, reason);
      outbound.remove(peer);
      router.removePeer(peer);
    }
  }

  private void peerMaybeGone(final PeerId peer) {
    if (host.connection(peer).isPresent()) {
      return;
    }
    final CompletableFuture<Stream> opening = outbound.remove(peer);
    if (opening != null) {
      opening.thenAccept(Stream::reset);
    }
    early.remove(peer);
    router.removePeer(peer);
  }

  private void write(final Stream stream, final Rpc rpc) {
    if (!stream.isOpen()) {
      return;
    }
    if (!stream.isWritable()) {
      // Gossip tolerates loss (IHAVE/IWANT repairs it); an unbounded queue for a stalled peer does not.
      LOG.warn("dropping an RPC to {}: its stream is not draining", stream.remotePeer());
      return;
    }
    final byte[] body = RpcCodec.encode(rpc);
    final ByteBuf frame = stream.alloc().buffer(Uvarint.size(body.length) + body.length);
    Uvarint.write(frame, body.length);
    frame.writeBytes(body);
    stream.writeAndFlush(frame);
  }

  // ------------------------------------------------------------------------------ event loops

  private void acceptInbound(final Stream stream) {
    final PeerId peer = stream.remotePeer();
    final RpcFrameDecoder decoder =
        new RpcFrameDecoder(stream.alloc(), config.maxRpcSize(), rpc -> run(() -> inboundRpc(peer, rpc)));
    stream.setListener(new StreamListener() {
      @Override
      public void onData(final Stream s, final ByteBuf data) {
        final boolean ok;
        try {
          ok = decoder.feed(data);
        } catch (final RuntimeException e) {
          LOG.warn("gossipsub stream from {} failed; resetting it", peer, e);
          decoder.close();
          s.reset();
          return;
        }
        if (!ok) {
          LOG.warn("malformed gossipsub input from {}: {}; resetting the stream", peer, decoder.failure());
          s.reset();
        }
      }

      @Override
      public void onClosed(final Stream s, final StreamCloseReason reason) {
        decoder.close();
      }
    });
    // A peer that talks gossipsub to us gets a stream back, even before identify says so.
    run(() -> ensureOutbound(peer));
  }

  private void run(final Runnable task) {
    if (closed.get()) {
      return;
    }
    try {
      executor.execute(() -> {
        try {
          task.run();
        } catch (final RuntimeException e) {
          LOG.error("gossipsub task failed", e);
        }
      });
    } catch (final RejectedExecutionException e) {
      LOG.debug("gossipsub is closed; dropping a task");
    }
  }

  private <T> CompletableFuture<T> call(final Supplier<T> task) {
    final CompletableFuture<T> result = new CompletableFuture<>();
    try {
      executor.execute(() -> {
        try {
          result.complete(task.get());
        } catch (final RuntimeException e) {
          result.completeExceptionally(e);
        }
      });
    } catch (final RejectedExecutionException e) {
      result.completeExceptionally(new IllegalStateException("gossipsub is closed", e));
    }
    return result;
  }
}
