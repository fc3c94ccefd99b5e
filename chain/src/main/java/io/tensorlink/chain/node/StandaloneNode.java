package io.tensorlink.chain.node;

import io.tensorlink.chain.job.data.DataProviders;
import io.tensorlink.chain.job.data.DataServer;
import io.tensorlink.chain.job.result.StoredJobRecords;
import io.tensorlink.chain.rpc.JobRecords;
import io.tensorlink.chain.rpc.JobStatus;
import io.tensorlink.chain.rpc.NodeInfo;
import io.tensorlink.chain.rpc.PeerInfo;
import io.tensorlink.chain.rpc.PolBlockView;
import io.tensorlink.chain.rpc.RecordRef;
import io.tensorlink.chain.rpc.RecordVerdict;
import io.tensorlink.chain.rpc.TlJsonRpcServer;
import io.tensorlink.chain.rpc.TlNode;
import io.tensorlink.chain.rpc.TlRpcException;
import io.tensorlink.chain.rpc.TlRpcMethods;
import io.tensorlink.chain.store.Cursor;
import io.tensorlink.chain.store.JobKey;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.validator.Hex;
import io.tensorlink.chain.validator.JobState;
import io.tensorlink.chain.validator.Validator;
import io.tensorlink.chain.validator.p2p.RecordServer;
import io.tensorlink.p2p.host.Connection;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.transport.Hosts;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.kad.KadDht;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.pubsub.Gossipsub;
import io.tensorlink.p2p.pubsub.GossipsubConfig;
import io.tensorlink.p2p.pubsub.ReceivedMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TensorLink node outside Besu: its store, its libp2p host and gossip router, the signed node
 * binding it announces, the {@code tl_*} JSON-RPC endpoint and Prometheus metrics. Roles attach
 * their services to it. {@link #close()} stops everything in reverse order of start and flushes
 * the store; it is safe to call from a shutdown hook.
 */
public final class StandaloneNode implements TlNode, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StandaloneNode.class);
  private static final Duration DIAL_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration PROVIDER_LOOKUP = Duration.ofSeconds(30);
  /** How often the peers this node knows are saved for its next start. */
  private static final Duration SAVE_PEERS_EVERY = Duration.ofSeconds(30);

  private final NodeConfig config;
  private final List<AutoCloseable> started = new ArrayList<>();
  private final NodeMetrics metrics = new NodeMetrics();
  private NodeStore store;
  private Host host;
  private Gossipsub gossip;
  private NodeNetwork network;
  private DataServer data;
  private Optional<PeerDirectory> directory = Optional.empty();
  private Optional<ValidatorRole> validator = Optional.empty();
  private Optional<JobFlow> flow = Optional.empty();
  private TlJsonRpcServer rpc;
  private int metricsPort = -1;
  private ScheduledExecutorService timer;
  private KnownPeers knownPeers;
  private boolean closed;

  private StandaloneNode(final NodeConfig config) {
    this.config = config;
  }

  /** Starts a node; on any failure, whatever had started is stopped again before the exception leaves. */
  public static StandaloneNode start(final NodeConfig config) {
    final StandaloneNode node = new StandaloneNode(config);
    try {
      node.startComponents();
      return node;
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  private void startComponents() {
    store = track(NodeStore.open(config.storeDir()));
    host = track(Hosts.create(HostConfig.builder(config.p2pKey()).listen(config.p2pListen()).build()));
    final List<Multiaddr> bound = host.start().orTimeout(30, TimeUnit.SECONDS).join();
    gossip = track(new Gossipsub(host, GossipsubConfig.defaults()).start());
    network = track(NodeNetwork.attach(host, config.network()));
    final ExecutorService dataReads = Executors.newVirtualThreadPerTaskExecutor();
    track(dataReads::shutdownNow);
    data = DataServer.register(host, dataReads, dataProviders());
    // records this node received (validator) or published (worker), for validators that missed them
    track(RecordServer.serve(host, RecordServer.HeldRecords.in(store)));
    metrics.gauge("tl_peers", "Connected libp2p peers",
        () -> host.connections().stream().map(Connection::remotePeer).distinct().count());
    timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("node-timer").daemon().factory());
    track(timer::shutdownNow);
    config.identity().ifPresent(this::announce);
    startRoles();
    for (final Multiaddr peer : config.bootstrap()) {
      dial(peer);
    }
    knownPeers = new KnownPeers(config.dataDir());
    final List<Multiaddr> remembered = knownPeers.load().stream()
        .filter(a -> !a.peerId().orElseThrow().equals(host.peerId()) && !config.bootstrap().contains(a)).toList();
    remembered.forEach(this::redial);
    final List<Multiaddr> discovery = new ArrayList<>(config.bootstrap());
    discovery.addAll(remembered);
    network.start(discovery, timer);
    timer.scheduleWithFixedDelay(this::saveKnownPeers, SAVE_PEERS_EVERY.toMillis(), SAVE_PEERS_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
    rpc = track(startRpc());
    config.metricsAddress().ifPresent(a -> metricsPort = metrics.serve(a));
    track(metrics);
    LOG.info("node {} up: p2p {}, rpc {}, roles {}", host.peerId(), bound, rpc.address(), config.roles());
  }

  private void startRoles() {
    if (config.jobs().isPresent()) {
      // NodeConfig refuses the job flow without an identity, so the directory exists.
      final JobFlow started = track(JobFlow.start(this, config.jobs().get(), directory.orElseThrow(), store, metrics));
      flow = Optional.of(started);
      validator = started.validator();
    } else {
      if (config.roles().contains(Role.VALIDATOR) && config.validator().isEmpty()) {
        LOG.warn("the validator role is announced but has no chain and protocol inputs: no validator runs on this node");
      }
      // The identity is there: NodeConfig refuses the validator role without one.
      validator = config.validator().map(in -> track(ValidatorRole.start(in, store, host, gossip, config.identity().orElseThrow(),
          metrics)));
    }
    validator.ifPresent(v -> LOG.info("validator {} running", v.address()));
  }

  private void announce(final NodeIdentity identity) {
    final PeerDirectory peers = new PeerDirectory(identity.domain());
    directory = Optional.of(peers);
    gossip.subscribe(NodeAnnouncement.TOPIC, m -> onAnnouncement(peers, m)).join();
    final long announceMs = config.announceEvery().toMillis();
    timer.scheduleWithFixedDelay(() -> publishBinding(identity), 0, announceMs, TimeUnit.MILLISECONDS);
  }

  private void onAnnouncement(final PeerDirectory peers, final ReceivedMessage m) {
    metrics.message(NodeAnnouncement.TOPIC);
    if (peers.accept(m.author(), m.data().toByteArray()) != PeerDirectory.Outcome.ACCEPTED) {
      metrics.rejected(NodeAnnouncement.TOPIC);
    }
  }

  private void publishBinding(final NodeIdentity identity) {
    try {
      gossip.publish(NodeAnnouncement.TOPIC,
          NodeAnnouncement.current(host, identity, config.roles(), network.advertisedAddresses()).encode());
    } catch (RuntimeException e) {
      LOG.warn("publishing the node binding failed: {}", e.toString());
    }
  }

  private void dial(final Multiaddr peer) {
    try {
      final Connection c = host.dial(peer).orTimeout(DIAL_TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
      LOG.info("connected to bootstrap peer {}", c.remotePeer());
    } catch (RuntimeException e) {
      // A bootstrap peer that is down is not fatal: others may be up, and peers may dial us.
      LOG.warn("bootstrap peer {} unreachable: {}", peer, e.getMessage());
    }
  }

  /** Dials a peer this node knew before it restarted, in the background: one that is gone costs nothing. */
  private void redial(final Multiaddr peer) {
    host.dial(peer).orTimeout(DIAL_TIMEOUT.toSeconds(), TimeUnit.SECONDS).whenComplete((c, e) -> {
      if (e == null) {
        LOG.info("connected again to known peer {}", c.remotePeer());
      } else {
        LOG.debug("known peer {} unreachable: {}", peer, e.getMessage());
      }
    });
  }

  /** The announced addresses of the peers connected now, for {@link KnownPeers} (none without a node identity). */
  private void saveKnownPeers() {
    if (directory.isEmpty() || knownPeers == null) {
      return;
    }
    final List<Multiaddr> peers = host.connections().stream().map(Connection::remotePeer).distinct()
        .map(p -> directory.get().address(p)).flatMap(Optional::stream).toList();
    if (peers.isEmpty()) {
      return; // keep the last list: a node alone for a moment still knows where its peers were
    }
    try {
      knownPeers.save(peers);
    } catch (UncheckedIOException e) {
      LOG.warn("{}", e.getMessage());
    }
  }

  private TlJsonRpcServer startRpc() {
    try {
      return TlJsonRpcServer.start(new TlRpcMethods(this), config.rpcAddress());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve JSON-RPC on " + config.rpcAddress() + ": " + e.getMessage(), e);
    }
  }

  private <T extends AutoCloseable> T track(final T component) {
    started.add(component);
    return component;
  }

  /** The node's store: the worker role keeps the records it publishes there. */
  NodeStore store() {
    return store;
  }

  public Host host() {
    return host;
  }

  /** The gossip router roles publish and subscribe on. */
  public Gossipsub gossip() {
    return gossip;
  }

  public NodeConfig config() {
    return config;
  }

  /** The node's DHT, empty when it runs without one ({@code --dht off}). */
  public Optional<KadDht> dht() {
    return network.dht();
  }

  /**
   * The node's {@code /tl/data/1.0.0} server: the client serves its jobs' datasets on it, workers and
   * validators the data they fetched, each announced as a DHT provider record.
   */
  public DataServer dataServer() {
    return data;
  }

  /** Announces served datasets on the node's DHT and finds their other providers there. */
  public DataProviders dataProviders() {
    return new DataProviders(network.dht(), host.peerId(), PROVIDER_LOOKUP);
  }

  /** The checked node bindings this node has seen, empty for a node without a key (it does not listen). */
  public Optional<PeerDirectory> peerDirectory() {
    return directory;
  }

  /** The node's account and chain, empty for a node without a key. */
  public Optional<NodeIdentity> identity() {
    return config.identity();
  }

  public InetSocketAddress rpcAddress() {
    return rpc.address();
  }

  /** The bound metrics port, or empty when metrics are off. */
  public Optional<Integer> metricsPort() {
    return metricsPort < 0 ? Optional.empty() : Optional.of(metricsPort);
  }

  public List<Multiaddr> listenAddresses() {
    return host.listenAddresses().stream().map(a -> a.withPeerId(host.peerId())).toList();
  }

  @Override
  public NodeInfo nodeInfo() {
    final long head = store.cursor(Validator.CURSOR).map(Cursor::nextBlock).orElse(0L);
    return new NodeInfo(
        version(),
        "standalone",
        config.identity().map(NodeIdentity::address).orElse(null),
        host.peerId().toBase58(),
        config.roles().stream().sorted().map(Role::label).toList(),
        config.identity().map(NodeIdentity::chainId).orElse(0L),
        Math.max(0, head - 1),
        new TreeMap<>(config.contracts()),
        network.reachability(),
        network.advertisedAddresses().stream().map(Multiaddr::toString).toList());
  }

  @Override
  public Optional<JobStatus> jobStatus(final BigInteger jobId) {
    return store.job(new JobKey(jobId)).map(JobState::decode).map(s -> new JobStatus(
        jobId, s.status().name(), s.nextIndex(), s.nextStep(), Hex.of(s.head())));
  }

  @Override
  public Optional<PolBlockView> polBlock(final BigInteger jobId, final long index) {
    return runningValidator("tl_polBlock").polBlock(jobId, index);
  }

  private ValidatorRole runningValidator(final String method) {
    return validator.orElseThrow(() -> new TlRpcException(TlRpcException.UNAVAILABLE,
        method + " is served by nodes running the validator role"));
  }

  @Override
  public List<PeerInfo> peers() {
    return ConnectedPeers.list(host.connections(), c -> directory.flatMap(d -> d.lookup(c.remotePeer())));
  }

  /**
   * The records in the node's store (what its validator received, its worker published, or its client
   * kept of its own jobs); the job's total steps when the market knows its spec.
   */
  @Override
  public Optional<JobRecords> jobRecords(final BigInteger jobId, final long fromStep, final long toStep) {
    final long steps = flow.flatMap(f -> f.market().catalog().get(jobId)).map(j -> j.spec().steps()).orElse(-1L);
    return StoredJobRecords.read(store, jobId, fromStep, toStep, steps);
  }

  @Override
  public RecordVerdict verifyRecord(final RecordRef record) {
    return runningValidator("tl_verifyRecord").verifyRecord(record);
  }

  private static String version() {
    final String v = StandaloneNode.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (host != null) {
      saveKnownPeers();
    }
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed: {}", started.get(i).getClass().getSimpleName(), e.toString());
      }
    }
    LOG.info("node stopped");
  }
}
