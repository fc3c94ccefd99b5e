package io.tensorlink.chain.node;

import io.tensorlink.chain.node.NetworkSettings.DhtMode;
import io.tensorlink.chain.node.NetworkSettings.ReachabilityMode;
import io.tensorlink.p2p.host.Connection;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.IdentifyInfo;
import io.tensorlink.p2p.kad.KadConfig;
import io.tensorlink.p2p.kad.KadDht;
import io.tensorlink.p2p.kad.KadPeer;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.protocol.autonat.AutoNatClient;
import io.tensorlink.p2p.protocol.autonat.AutoNatConfig;
import io.tensorlink.p2p.protocol.autonat.AutoNatServer;
import io.tensorlink.p2p.protocol.autonat.Reachability;
import io.tensorlink.p2p.relay.RelayClient;
import io.tensorlink.p2p.relay.RelayConfig;
import io.tensorlink.p2p.relay.RelayService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's discovery and reachability on its host: the Kademlia DHT (bootstrap, self lookup,
 * random walks that dial discovered peers up to {@link NetworkSettings#peersTarget}), the AutoNAT
 * server and client (is this node publicly reachable?), and circuit relay v2 (a relay client that
 * dials circuit addresses and, when the node is not reachable, reserves slots on relays and
 * advertises its circuit addresses; optionally the relay service for others).
 */
final class NodeNetwork implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeNetwork.class);
  private static final Duration RELAY_TIMEOUT = Duration.ofSeconds(30);
  /** A verdict holds this long before the node asks again; an open question is asked again sooner. */
  private static final Duration PROBE_EVERY = Duration.ofMinutes(10);
  private static final Duration PROBE_RETRY = Duration.ofSeconds(30);
  /** AutoNAT servers asked per probe, and confirmations wanted (fewer when fewer peers serve it). */
  private static final int PROBE_SERVERS = 5;
  private static final int CONFIRMATIONS = 3;
  /** Relays a node that is not reachable keeps reservations on. */
  private static final int RELAYS = 2;

  private final Host host;
  private final NetworkSettings settings;
  private final Optional<KadDht> dht;
  private final RelayClient relayClient;
  private final AutoNatClient autonat;
  private final Set<PeerId> relays = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean probing = new AtomicBoolean();
  private volatile Reachability.Status reachability;
  private volatile long nextProbeNanos;

  private NodeNetwork(final Host host, final NetworkSettings settings) {
    this.host = host;
    this.settings = settings;
    this.relayClient = RelayClient.attach(host, RELAY_TIMEOUT);
    relayClient.acceptConnections();
    if (settings.relayService()) {
      RelayService.serve(host, RelayConfig.defaults());
    }
    AutoNatServer.serve(host, AutoNatConfig.defaults());
    this.autonat = new AutoNatClient(host, AutoNatConfig.defaults());
    this.dht = settings.dht() == DhtMode.OFF ? Optional.empty() : Optional.of(KadDht.attach(host, KadConfig.defaults()));
    this.reachability = switch (settings.reachability()) {
      case AUTO -> Reachability.Status.UNKNOWN;
      case PUBLIC -> Reachability.Status.PUBLIC;
      case PRIVATE -> Reachability.Status.PRIVATE;
    };
    dht.ifPresent(d -> d.setMode(serves() ? KadDht.Mode.SERVER : KadDht.Mode.CLIENT));
  }

  /** Registers the protocols (relay stop, AutoNAT, the DHT, the relay hop if asked) on {@code host}. */
  static NodeNetwork attach(final Host host, final NetworkSettings settings) {
    return new NodeNetwork(host, settings);
  }

  /**
   * Starts discovery: the DHT bootstraps from {@code bootstrap} (already dialled by the node) and
   * {@code timer} runs the walk, the reachability probe and the relay reservations every
   * {@link NetworkSettings#walkEvery}.
   */
  void start(final List<Multiaddr> bootstrap, final ScheduledExecutorService timer) {
    dht.ifPresent(d -> d.bootstrap(bootstrap).whenComplete((found, e) -> {
      if (e != null) {
        LOG.warn("DHT bootstrap failed: {}", e.getMessage());
      } else {
        LOG.info("DHT bootstrap: {} peers close to us, {} in the routing table", found.size(), d.routingTableSize());
        dialUpToTarget();
      }
    }));
    final long every = settings.walkEvery().toMillis();
    // The first round soon after start: identify has run by then, so AutoNAT and relays can be chosen.
    timer.scheduleWithFixedDelay(this::tick, Math.min(every, 2000), every, TimeUnit.MILLISECONDS);
  }

  Optional<KadDht> dht() {
    return dht;
  }

  /** {@code public}, {@code private} or {@code unknown} (no verdict yet). */
  String reachability() {
    return reachability.name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Where peers can reach this node: circuit addresses through the relays it holds reservations
   * on first (a node that is not reachable has them), then its listen addresses, each with its
   * {@code /p2p/<id>}.
   */
  List<Multiaddr> advertisedAddresses() {
    final List<Multiaddr> out = new ArrayList<>();
    for (final PeerId relay : relays) {
      if (relayClient.reservation(relay).isPresent()) {
        relayAddress(relay).ifPresent(a -> out.add(Multiaddr.parse(a + "/p2p-circuit/p2p/" + host.peerId().toBase58())));
      }
    }
    host.listenAddresses().forEach(a -> out.add(a.withPeerId(host.peerId())));
    return out;
  }

  private void tick() {
    try {
      dialUpToTarget();
      walkIfShort();
      if (settings.reachability() == ReachabilityMode.AUTO && System.nanoTime() - nextProbeNanos >= 0) {
        probe();
      }
      if (reachability == Reachability.Status.PRIVATE) {
        reserveRelays();
      }
    } catch (RuntimeException e) {
      // The timer must survive: one failed round is retried at the next.
      LOG.warn("network maintenance failed: {}", e.toString());
    }
  }

  private int connectedPeers() {
    final Set<PeerId> peers = new HashSet<>();
    host.connections().forEach(c -> peers.add(c.remotePeer()));
    return peers.size();
  }

  /** Dials routing-table peers we are not connected to until the target is met (or none is left). */
  private void dialUpToTarget() {
    if (dht.isEmpty()) {
      return;
    }
    final int missing = settings.peersTarget() - connectedPeers();
    if (missing <= 0) {
      return;
    }
    final List<KadPeer> candidates = new ArrayList<>(dht.get().knownPeers().stream()
        .filter(p -> host.connection(p.id()).isEmpty() && !p.addresses().isEmpty()).toList());
    Collections.shuffle(candidates, ThreadLocalRandom.current());
    for (final KadPeer p : candidates.subList(0, Math.min(missing, candidates.size()))) {
      final Multiaddr address = p.addresses().get(0).withPeerId(p.id());
      host.dial(address).whenComplete((c, e) -> {
        if (e == null) {
          LOG.info("connected to discovered peer {}", p.id());
        } else {
          LOG.debug("discovered peer {} at {} unreachable: {}", p.id(), address, e.getMessage());
        }
      });
    }
  }

  /** Below the target, looks up a random key: the lookup meets (and connects to) peers we did not know. */
  private void walkIfShort() {
    if (dht.isEmpty() || connectedPeers() >= settings.peersTarget()) {
      return;
    }
    final byte[] key = new byte[32];
    ThreadLocalRandom.current().nextBytes(key);
    dht.get().closestPeers(key).whenComplete((found, e) -> {
      if (e != null) {
        LOG.debug("DHT random walk failed: {}", e.getMessage());
      } else {
        dialUpToTarget();
      }
    });
  }

  private void probe() {
    final List<PeerId> servers = host.connections().stream()
        .filter(c -> !c.remoteAddress().isRelayed())
        .map(Connection::remotePeer).distinct()
        .filter(p -> host.identifyInfo(p).map(i -> i.supports(AutoNatServer.PROTOCOL)).orElse(false))
        .limit(PROBE_SERVERS).toList();
    final List<Multiaddr> addresses = host.listenAddresses().stream()
        .filter(a -> a.components().size() > 1 && !a.toTcpSocketAddress().getAddress().isAnyLocalAddress()).toList();
    if (servers.isEmpty() || addresses.isEmpty() || !probing.compareAndSet(false, true)) {
      return;
    }
    autonat.probe(servers, addresses, Math.min(CONFIRMATIONS, servers.size())).whenComplete((r, e) -> {
      probing.set(false);
      if (e != null) {
        LOG.warn("AutoNAT probe failed: {}", e.getMessage());
        nextProbeNanos = System.nanoTime() + PROBE_RETRY.toNanos();
        return;
      }
      nextProbeNanos = System.nanoTime() + (r.status() == Reachability.Status.UNKNOWN ? PROBE_RETRY : PROBE_EVERY).toNanos();
      onVerdict(r);
    });
  }

  private void onVerdict(final Reachability r) {
    final Reachability.Status before = reachability;
    if (r.status() == Reachability.Status.UNKNOWN) {
      LOG.debug("AutoNAT: no verdict ({} dialled back, {} failed, {} inconclusive)", r.dialedBack(), r.failedToDial(),
          r.inconclusive());
      return;
    }
    reachability = r.status();
    if (before != r.status()) {
      LOG.info("AutoNAT: this node is {} ({} of {} peers dialled back{})", reachability(), r.dialedBack(),
          r.dialedBack() + r.failedToDial() + r.inconclusive(), r.publicAddress().map(a -> " at " + a).orElse(""));
      dht.ifPresent(d -> d.setMode(serves() ? KadDht.Mode.SERVER : KadDht.Mode.CLIENT));
      if (reachability == Reachability.Status.PRIVATE) {
        reserveRelays();
      }
    }
  }

  /** A DHT server answers requests: only when asked to and not known to be unreachable. */
  private boolean serves() {
    return settings.dht() == DhtMode.SERVER && reachability != Reachability.Status.PRIVATE;
  }

  /** Keeps reservations on up to {@link #RELAYS} connected peers that run the relay hop. */
  private void reserveRelays() {
    relays.removeIf(r -> relayClient.reservation(r).isEmpty() && host.connection(r).isEmpty());
    final List<PeerId> candidates = host.connections().stream()
        .filter(c -> !c.remoteAddress().isRelayed())
        .map(Connection::remotePeer).distinct()
        .filter(p -> !relays.contains(p))
        .filter(p -> host.identifyInfo(p).map(i -> i.supports(RelayService.HOP)).orElse(false))
        .limit(Math.max(0, RELAYS - relays.size())).toList();
    for (final PeerId relay : candidates) {
      relays.add(relay);
      relayClient.keepReserved(relay).whenComplete((r, e) -> {
        if (e != null) {
          relays.remove(relay);
          LOG.warn("no reservation on relay {}: {}", relay, e.getMessage());
        } else {
          LOG.info("reserved a slot on relay {}: reachable at {}", relay, advertisedAddresses().get(0));
        }
      });
    }
  }

  /** The relay's own dialable address: the first its identify lists, else the address we reached it at. */
  private Optional<Multiaddr> relayAddress(final PeerId relay) {
    final Optional<Multiaddr> listed = host.identifyInfo(relay).map(IdentifyInfo::listenAddresses)
        .flatMap(l -> l.stream().filter(a -> a.components().size() > 1 && !a.isRelayed()).findFirst());
    return listed.or(() -> host.connection(relay).map(Connection::remoteAddress))
        .map(a -> a.withPeerId(relay));
  }

  @Override
  public void close() {
    dht.ifPresent(KadDht::close);
    relayClient.close();
  }
}
