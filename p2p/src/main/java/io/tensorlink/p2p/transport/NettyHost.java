package io.tensorlink.p2p.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.tensorlink.p2p.host.Connection;
import io.tensorlink.p2p.host.ConnectionListener;
import io.tensorlink.p2p.host.DialBackoffException;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.host.IdentifyInfo;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.host.StreamHandler;
import io.tensorlink.p2p.host.StreamListener;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.protocol.identify.IdentifyService;
import io.tensorlink.p2p.protocol.ping.PingService;
import io.tensorlink.p2p.yamux.StreamClosedException;
import io.tensorlink.p2p.yamux.YamuxSession;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link Host} on Netty NIO: TCP listeners and dialers feeding {@link ConnectionUpgrader}. */
public final class NettyHost implements Host {
  private static final Logger LOG = LoggerFactory.getLogger(NettyHost.class);
  /** Channel-level outbound buffering before streams stop draining (bulk streams need headroom). */
  private static final WriteBufferWaterMark CHANNEL_WATER_MARK = new WriteBufferWaterMark(1 << 20, 4 << 20);

  private final HostConfig config;
  private final PeerId peerId;
  private final EventLoopGroup group;
  private final ConnectionManager connections;
  private final IdentifyService identify;
  private final PingService ping;
  private final Map<String, StreamHandler> handlers = new ConcurrentHashMap<>();
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
  private final List<Channel> serverChannels = new CopyOnWriteArrayList<>();
  private final List<Multiaddr> boundAddresses = new CopyOnWriteArrayList<>();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final YamuxSession.Hooks hooks;
  private final AtomicBoolean pushScheduled = new AtomicBoolean();
  private final LocalPeerRecord localRecord;
  private final AtomicReference<EventLoopGroup> circuitGroup = new AtomicReference<>();
  private volatile Function<Multiaddr, CompletableFuture<Connection>> circuitDialer;

  public NettyHost(final HostConfig config) {
    this.config = config;
    this.peerId = PeerId.fromPublicKey(config.identity().publicKey());
    this.localRecord = new LocalPeerRecord(config.identity());
    this.group = new MultiThreadIoEventLoopGroup(config.eventLoopThreads(), NioIoHandler.newFactory());
    this.connections = new ConnectionManager(config, System::nanoTime);
    this.identify = new IdentifyService(config.streamNegotiationTimeout(), this::localIdentify, this::fireIdentified);
    this.ping = new PingService(config.streamNegotiationTimeout());
    this.hooks =
        new YamuxSession.Hooks() {
          @Override
          public Optional<StreamHandler> handler(final String protocol) {
            return Optional.ofNullable(handlers.get(protocol));
          }

          @Override
          public void onClosed(final YamuxSession session) {
            onDisconnected(session);
          }
        };
    handlers.put(IdentifyService.PROTOCOL, identify.responder());
    handlers.put(IdentifyService.PUSH_PROTOCOL, identify.pushHandler());
    handlers.put(PingService.PROTOCOL, ping.responder());
    final long idleCheck = Math.max(100, Math.min(config.idleTimeout().toMillis() / 4, 10_000));
    group.scheduleAtFixedRate(connections::closeIdle, idleCheck, idleCheck, TimeUnit.MILLISECONDS);
  }

  @Override
  public PeerId peerId() {
    return peerId;
  }

  @Override
  public HostConfig config() {
    return config;
  }

  @Override
  public CompletableFuture<List<Multiaddr>> start() {
    if (!started.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture(listenAddresses());
    }
    final List<CompletableFuture<Void>> binds = new ArrayList<>();
    for (final Multiaddr address : config.listenAddresses()) {
      final ServerBootstrap bootstrap =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, CHANNEL_WATER_MARK)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(final SocketChannel ch) {
                      if (!connections.hasCapacity()) {
                        LOG.info("refusing inbound connection from {}: connection limit reached", ch.remoteAddress());
                        ch.close();
                        return;
                      }
                      upgrade(ch, false, Optional.empty());
                    }
                  });
      final CompletableFuture<Void> bound = new CompletableFuture<>();
      bootstrap
          .bind(address.toTcpSocketAddress())
          .addListener(
              (ChannelFuture f) -> {
                if (f.isSuccess()) {
                  serverChannels.add(f.channel());
                  boundAddresses.add(Multiaddr.fromSocketAddress((InetSocketAddress) f.channel().localAddress()));
                  bound.complete(null);
                } else {
                  bound.completeExceptionally(
                      new IllegalStateException("cannot listen on " + address + ": " + f.cause().getMessage(), f.cause()));
                }
              });
      binds.add(bound);
    }
    return CompletableFuture.allOf(binds.toArray(CompletableFuture[]::new)).thenApply(v -> listenAddresses());
  }

  @Override
  public List<Multiaddr> listenAddresses() {
    return List.copyOf(boundAddresses);
  }

  @Override
  public void setCircuitDialer(final Function<Multiaddr, CompletableFuture<Connection>> dialer) {
    circuitDialer = dialer;
  }

  private CompletableFuture<Connection> dialCircuit(final Multiaddr address) {
    final Optional<Connection> existing = address.peerId().flatMap(this::connection).filter(Connection::isOpen);
    if (existing.isPresent()) {
      return CompletableFuture.completedFuture(existing.get());
    }
    final Function<Multiaddr, CompletableFuture<Connection>> dialer = circuitDialer;
    if (dialer == null) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("cannot dial the circuit address " + address + ": no relay client is attached"));
    }
    return dialer.apply(address);
  }

  @Override
  public CompletableFuture<Connection> dial(final Multiaddr address) {
    final Optional<PeerId> expected;
    final InetSocketAddress target;
    if (address.isRelayed()) {
      return dialCircuit(address);
    }
    try {
      expected = address.peerId();
      target = address.toTcpSocketAddress();
    } catch (final RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (expected.isPresent()) {
      if (expected.get().equals(peerId)) {
        return CompletableFuture.failedFuture(new IllegalArgumentException("refusing to dial ourselves (" + address + ")"));
      }
      final Optional<YamuxSession> existing = connections.get(expected.get());
      if (existing.isPresent()) {
        return CompletableFuture.completedFuture(existing.get());
      }
      final Optional<Duration> wait = connections.backoffRemaining(expected.get());
      if (wait.isPresent()) {
        return CompletableFuture.failedFuture(new DialBackoffException(expected.get(), wait.get()));
      }
    }
    final CompletableFuture<YamuxSession> upgraded = new CompletableFuture<>();
    AddressResolution.resolve(address, target)
        .whenComplete(
            (resolved, error) -> {
              if (error != null) {
                upgraded.completeExceptionally(error);
              } else {
                connect(address, resolved, expected, upgraded);
              }
            });
    return upgraded.handle(
        (session, error) -> {
          if (error != null) {
            expected.ifPresent(connections::dialFailed);
            throw error instanceof RuntimeException re ? re : new IllegalStateException(error.getMessage(), error);
          }
          return (Connection) session;
        });
  }

  private void connect(
      final Multiaddr address,
      final InetSocketAddress target,
      final Optional<PeerId> expected,
      final CompletableFuture<YamuxSession> upgraded) {
    // The pipeline is installed at registration, before the connect outcome is known; only a
    // successful connect hands its upgrade result on, so a refused connect reports itself as such.
    final AtomicReference<CompletableFuture<YamuxSession>> upgrade = new AtomicReference<>();
    new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, CHANNEL_WATER_MARK)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.handshakeTimeout().toMillis())
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(final SocketChannel ch) {
                upgrade.set(upgrade(ch, true, expected));
              }
            })
        .connect(target)
        .addListener(
            (ChannelFuture f) -> {
              if (f.isSuccess()) {
                upgrade.get().whenComplete((s, e) -> complete(upgraded, s, e));
              } else {
                upgraded.completeExceptionally(
                    new IllegalStateException("cannot connect to " + address + ": " + f.cause().getMessage(), f.cause()));
              }
            });
  }

  private static <T> void complete(final CompletableFuture<T> target, final T value, final Throwable error) {
    if (error != null) {
      target.completeExceptionally(error);
    } else {
      target.complete(value);
    }
  }

  /** Installs the upgrade pipeline; the future completes once the connection is registered. */
  private CompletableFuture<YamuxSession> upgrade(final Channel ch, final boolean dialer, final Optional<PeerId> expected) {
    return upgrade(ch, dialer, expected, Optional.empty());
  }

  private CompletableFuture<YamuxSession> upgrade(
      final Channel ch, final boolean dialer, final Optional<PeerId> expected, final Optional<Multiaddr[]> addresses) {
    final CompletableFuture<YamuxSession> upgraded = new CompletableFuture<>();
    ConnectionUpgrader.install(ch, config, dialer, expected, addresses, hooks, upgraded);
    return upgraded.thenApply(
        session -> {
          if (closed.get() || !connections.add(session)) {
            ch.close();
            throw new IllegalStateException("connection to " + session.remotePeer() + " refused: host closed or full");
          }
          LOG.debug("connected {}", session);
          for (final ConnectionListener l : listeners) {
            safely(() -> l.onConnected(session));
          }
          identify
              .identify(session)
              .exceptionally(
                  e -> {
                    LOG.debug("identify with {} failed: {}", session.remotePeer(), e.getMessage());
                    return null;
                  });
          return session;
        });
  }

  private void onDisconnected(final YamuxSession session) {
    connections.remove(session);
    if (connections.get(session.remotePeer()).isEmpty()) {
      identify.forget(session.remotePeer());
    }
    LOG.debug("disconnected {}", session);
    for (final ConnectionListener l : listeners) {
      safely(() -> l.onDisconnected(session));
    }
  }

  private void fireIdentified(final Connection connection, final IdentifyInfo info) {
    for (final ConnectionListener l : listeners) {
      safely(() -> l.onIdentified(connection, info));
    }
  }

  private static void safely(final Runnable callback) {
    try {
      callback.run();
    } catch (final RuntimeException e) {
      LOG.warn("connection listener failed: {}", e.toString());
    }
  }

  private IdentifyInfo localIdentify(final Connection connection) {
    final List<Multiaddr> addresses = ListenAddresses.expand(listenAddresses());
    return new IdentifyInfo(
        Optional.of(config.identity().publicKey()),
        addresses,
        List.copyOf(protocols()),
        Optional.of(connection.remoteAddress()),
        config.protocolVersion(),
        config.agentVersion(),
        Optional.of(localRecord.current(addresses)));
  }

  @Override
  public CompletableFuture<Stream> newStream(final PeerId peer, final List<String> protocols) {
    return connections
        .get(peer)
        .map(c -> c.newStream(protocols))
        .orElseGet(() -> CompletableFuture.failedFuture(new StreamClosedException("not connected to " + peer)));
  }

  @Override
  public void setStreamHandler(final String protocolId, final StreamHandler handler) {
    if (handlers.put(protocolId, handler) == null) {
      schedulePush();
    }
  }

  @Override
  public void removeStreamHandler(final String protocolId) {
    if (handlers.remove(protocolId) != null) {
      schedulePush();
    }
  }

  /**
   * Peers learn our protocols from identify; when they change while connected (gossipsub started
   * after the first connection, say), push the new list. Batched, so a burst of registrations
   * costs one push per peer.
   */
  private void schedulePush() {
    if (closed.get() || connections.count() == 0 || !pushScheduled.compareAndSet(false, true)) {
      return;
    }
    group.schedule(
        () -> {
          pushScheduled.set(false);
          for (final YamuxSession c : connections.all()) {
            final boolean accepts = identify.info(c.remotePeer()).map(i -> i.supports(IdentifyService.PUSH_PROTOCOL)).orElse(false);
            if (accepts && c.isOpen()) {
              identify.push(c).exceptionally(e -> {
                LOG.debug("identify push to {} failed: {}", c.remotePeer(), e.getMessage());
                return null;
              });
            }
          }
        },
        50,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public Set<String> protocols() {
    return new TreeSet<>(handlers.keySet());
  }

  @Override
  public void addConnectionListener(final ConnectionListener listener) {
    listeners.add(listener);
  }

  @Override
  public void removeConnectionListener(final ConnectionListener listener) {
    listeners.remove(listener);
  }

  @Override
  public Optional<Connection> connection(final PeerId peer) {
    return connections.get(peer).map(s -> s);
  }

  @Override
  public Collection<Connection> connections() {
    return List.copyOf(connections.all());
  }

  @Override
  public Optional<IdentifyInfo> identifyInfo(final PeerId peer) {
    return identify.info(peer);
  }

  @Override
  public CompletableFuture<Duration> ping(final PeerId peer) {
    return connections
        .get(peer)
        .map(ping::ping)
        .orElseGet(() -> CompletableFuture.failedFuture(new StreamClosedException("not connected to " + peer)));
  }

  @Override
  public CompletableFuture<Connection> upgradeOver(
      final Stream carrier,
      final Consumer<StreamListener> listen,
      final boolean initiator,
      final PeerId remote,
      final Multiaddr remoteAddress,
      final Multiaddr localAddress) {
    final CompletableFuture<YamuxSession> session = new CompletableFuture<>();
    CircuitBridge.open(localGroup(), carrier, listen, ch -> upgrade(ch, initiator, initiator ? Optional.of(remote) : Optional.empty(),
            Optional.of(new Multiaddr[] {remoteAddress, localAddress}))
            .whenComplete((s, e) -> complete(session, s, e)))
        .exceptionally(e -> {
          session.completeExceptionally(e);
          return null;
        });
    return session.thenApply(s -> {
      if (!s.remotePeer().equals(remote)) { // a responder learns the peer from Noise: it must be the one announced
        s.close();
        throw new IllegalStateException("circuit peer proved to be " + s.remotePeer() + ", not " + remote);
      }
      return (Connection) s;
    });
  }

  /** The in-process event loop for connections over circuits, started on first use. */
  private EventLoopGroup localGroup() {
    return circuitGroup.updateAndGet(g -> g != null ? g : new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory()));
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    final EventLoopGroup circuits = circuitGroup.get();
    if (circuits != null) {
      circuits.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
    serverChannels.forEach(Channel::close);
    final List<CompletableFuture<Void>> closing = new ArrayList<>();
    connections.all().forEach(c -> closing.add(c.close()));
    if (onOwnEventLoop()) {
      // Called from a callback: blocking here would stall the very loop that closes the channels.
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
      return;
    }
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);
    } catch (final Exception e) {
      LOG.debug("connections did not close in time: {}", e.toString());
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private boolean onOwnEventLoop() {
    for (final io.netty.util.concurrent.EventExecutor loop : group) {
      if (loop.inEventLoop()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "Host[" + peerId + " " + boundAddresses + "]";
  }
}
