package io.tensorlink.besu.host;

import io.tensorlink.besu.anchor.AnchorState;
import io.tensorlink.besu.anchor.ContractEvents;
import io.tensorlink.besu.rules.OwnVerdicts;
import io.tensorlink.chain.node.ConnectedPeers;
import io.tensorlink.chain.node.NodeAnnouncement;
import io.tensorlink.chain.node.NodeIdentity;
import io.tensorlink.chain.node.NodeMetrics;
import io.tensorlink.chain.node.Role;
import io.tensorlink.chain.node.ValidatorRole;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.rpc.JobStatus;
import io.tensorlink.chain.rpc.NodeInfo;
import io.tensorlink.chain.rpc.PeerInfo;
import io.tensorlink.chain.rpc.PolBlockView;
import io.tensorlink.chain.rpc.RecordRef;
import io.tensorlink.chain.rpc.RecordVerdict;
import io.tensorlink.chain.rpc.TlNode;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.validator.p2p.RecordServer;
import io.tensorlink.contracts.wallet.KeystoreWallet;
import io.tensorlink.p2p.crypto.KeyFile;
import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.PrivKey;
import io.tensorlink.p2p.host.Connection;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.pubsub.Gossipsub;
import io.tensorlink.p2p.pubsub.GossipsubConfig;
import io.tensorlink.p2p.transport.Hosts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;

/**
 * The TensorLink node inside Besu: it locks the data directory, opens the node store in it,
 * unlocks the account, starts a libp2p host and gossipsub on the plugin's port, dials the
 * bootstrap peers, exchanges signed node bindings ({@link NodeBindings}, when it has an account)
 * and, for the validator role, runs the validator library's {@link ValidatorRole}
 * on those parts ({@link PluginValidator}). The {@code tl_*} methods read the hosted node: peers
 * from the libp2p host, {@code tl_polBlock} and {@code tl_verifyRecord} from the validator when it
 * runs (the same code that answers them in the standalone node), and head and job status from the
 * chain state the plugin follows through Besu's block events (which the validation rule also uses).
 * {@link #stop} closes everything {@link #start} opened, in reverse order.
 */
public final class NodeHost implements ValidatorHost {
  private static final Logger LOG = LoggerFactory.getLogger(NodeHost.class);
  private static final Duration DIAL_TIMEOUT = Duration.ofSeconds(10);
  // The standalone node's interval (tl-cli node start): a new peer learns the account within it.
  private static final Duration ANNOUNCE_EVERY = Duration.ofSeconds(10);
  static final String NO_VALIDATOR = "this node does not run the validator role";

  private final Settings settings;
  private final AnchorState state;
  private final TlNode node = new Node();
  private final List<AutoCloseable> started = new ArrayList<>();
  private volatile Credentials account;
  private volatile Host host;
  private volatile Optional<ValidatorRole> validator = Optional.empty();
  private volatile Optional<NodeBindings> bindings = Optional.empty();

  /**
   * What the host needs from the configuration.
   *
   * @param dataDir TensorLink's data directory (lock, store, libp2p identity)
   * @param keystore the account's keystore, if any
   * @param password reads the keystore password (called once, then wiped; never logged)
   * @param roles the node's roles
   * @param chainId the chain id
   * @param polAnchor PoLAnchor's address (the PoL signing domain)
   * @param p2pListen the libp2p listen address
   * @param bootnodes peers to dial at start
   * @param validator how to build the validator, present exactly for the validator role
   * @param version the plugin's version
   */
  public record Settings(Path dataDir, Optional<Path> keystore, Supplier<char[]> password, Set<String> roles, long chainId,
      String polAnchor, Multiaddr p2pListen, List<Multiaddr> bootnodes, Optional<PluginValidator> validator, String version) {
    public Settings {
      roles = Set.copyOf(roles);
      bootnodes = List.copyOf(bootnodes);
    }
  }

  public NodeHost(final Settings settings, final AnchorState state) {
    this.settings = settings;
    this.state = state;
  }

  @Override
  public synchronized void start() {
    try {
      lockDataDir();
      final NodeStore store = track(NodeStore.open(settings.dataDir().resolve("store")));
      settings.keystore().ifPresent(this::unlock);
      final PrivKey p2pKey = p2pKey();
      host = track(Hosts.create(HostConfig.builder(p2pKey).listen(settings.p2pListen()).agentVersion("tensorlink-besu/" + settings.version())
          .build()));
      final List<Multiaddr> bound = host.start().orTimeout(30, TimeUnit.SECONDS).join();
      final Gossipsub gossip = track(new Gossipsub(host, GossipsubConfig.defaults()).start());
      track(RecordServer.serve(host, RecordServer.HeldRecords.in(store))); // records validators missed, as the standalone node
      final Optional<NodeIdentity> identity = Optional.ofNullable(account).map(a -> new NodeIdentity(a, settings.chainId(),
          PolDomain.of(settings.chainId(), EthAddress.of(settings.polAnchor()))));
      bindings = identity.map(id -> track(NodeBindings.start(host, gossip, id, announcedRoles(), ANNOUNCE_EVERY)));
      if (settings.validator().isPresent()) {
        final ValidatorRole role = settings.validator().get().start(store, host, gossip, identity.orElseThrow(), new NodeMetrics(),
            worker -> bindings.flatMap(b -> b.address(worker)), started::add);
        validator = Optional.of(track(role));
        LOG.info("TensorLink validator {} running", role.address());
      }
      settings.bootnodes().forEach(this::dial);
      LOG.info("TensorLink node {} up: p2p {}, roles {}, account {}, data dir {}", host.peerId(), bound, settings.roles(),
          account == null ? "none" : account.getAddress(), settings.dataDir());
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
  }

  private Set<Role> announcedRoles() {
    return settings.roles().contains("validator") ? Set.of(Role.VALIDATOR) : Set.of();
  }

  private void lockDataDir() {
    try {
      Files.createDirectories(settings.dataDir());
      final FileChannel channel = FileChannel.open(settings.dataDir().resolve("plugin.lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      final FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw new IllegalStateException(settings.dataDir() + " is in use by another TensorLink node");
      }
      track(channel);
      track(lock::release);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the data directory " + settings.dataDir(), e);
    }
  }

  private void unlock(final Path keystore) {
    final char[] password = settings.password().get();
    try {
      account = KeystoreWallet.unlock(keystore, password);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private PrivKey p2pKey() {
    final Path file = settings.dataDir().resolve(KeyFile.DEFAULT_NAME);
    try {
      return KeyFile.loadOrCreate(file, KeyType.ED25519);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the libp2p identity " + file, e);
    }
  }

  private void dial(final Multiaddr peer) {
    try {
      final Connection c = host.dial(peer).orTimeout(DIAL_TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
      LOG.info("TensorLink connected to bootstrap peer {}", c.remotePeer());
    } catch (RuntimeException e) {
      // A bootstrap peer that is down is not fatal: others may be up, and peers may dial us.
      LOG.warn("TensorLink bootstrap peer {} unreachable: {}", peer, e.getMessage());
    }
  }

  private <T extends AutoCloseable> T track(final T component) {
    started.add(component);
    return component;
  }

  /** The libp2p addresses this node listens on, with its peer id (empty before start). */
  public List<Multiaddr> listenAddresses() {
    final Host h = host;
    return h == null ? List.of() : h.listenAddresses().stream().map(a -> a.withPeerId(h.peerId())).toList();
  }

  @Override
  public TlNode node() {
    return node;
  }

  @Override
  public OwnVerdicts verdicts() {
    // Without the validator role this node has judged nothing, so it leaves nothing out on its own verdict.
    return header -> validator.flatMap(v -> v.refusal(header.jobId(), header.index(), header.blockHash().toArray()));
  }

  @Override
  public synchronized void stop() {
    validator = Optional.empty();
    bindings = Optional.empty();
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed: {}", started.get(i).getClass().getSimpleName(), e.toString());
      }
    }
    if (!started.isEmpty()) {
      LOG.info("TensorLink node stopped");
    }
    started.clear();
    host = null;
  }

  private final class Node implements TlNode {
    @Override
    public NodeInfo nodeInfo() {
      final TreeMap<String, String> contracts = new TreeMap<>();
      contracts.put("PoLAnchor", state.anchorAddress());
      contracts.put("StakeManager", state.stakeManagerAddress());
      final Host h = host;
      final Credentials a = account;
      return new NodeInfo(settings.version(), "besu-plugin", a == null ? null : a.getAddress(), h == null ? null : h.peerId().toBase58(),
          settings.roles().stream().sorted().toList(), settings.chainId(), Math.max(0, state.headBlock()), contracts);
    }

    @Override
    public Optional<JobStatus> jobStatus(final BigInteger jobId) {
      if (!state.knowsJob(jobId)) {
        return Optional.empty();
      }
      final var head = state.head(jobId);
      return Optional.of(new JobStatus(jobId, "Unknown", head.nextIndex(), head.nextStep(), head.lastHash()));
    }

    @Override
    public Optional<PolBlockView> polBlock(final BigInteger jobId, final long index) {
      final Optional<ValidatorRole> v = validator;
      if (v.isPresent()) {
        return v.get().polBlock(jobId, index);
      }
      return state.block(jobId, index).map(a -> view(a, state.commitment(jobId, index)));
    }

    @Override
    public List<PeerInfo> peers() {
      final Host h = host;
      if (h == null) {
        return List.of();
      }
      final Optional<NodeBindings> b = bindings;
      return ConnectedPeers.list(h.connections(), c -> b.flatMap(x -> x.of(c)));
    }

    @Override
    public RecordVerdict verifyRecord(final RecordRef record) {
      final Optional<ValidatorRole> v = validator;
      return v.isPresent() ? v.get().verifyRecord(record) : new RecordVerdict(RecordVerdict.Status.UNKNOWN, null, NO_VALIDATOR);
    }
  }

  private static PolBlockView view(final ContractEvents.Anchored a, final Optional<ContractEvents.Committed> c) {
    final PolBlockView.Header h = new PolBlockView.Header(a.jobId(), a.index(), a.parent(), a.stepFrom(), a.stepTo(),
        a.stepsRoot(), a.payoutsRoot(), a.checkpointRoot(), c.map(ContractEvents.Committed::randomness).orElse(null),
        c.map(ContractEvents.Committed::randomnessBlock).orElse(0L));
    return new PolBlockView(h, a.blockHash(), a.signers(), a.blockNumber(), null);
  }
}
