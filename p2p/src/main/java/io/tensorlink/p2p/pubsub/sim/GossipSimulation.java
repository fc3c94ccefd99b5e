package io.tensorlink.p2p.pubsub.sim;

import com.google.protobuf.ByteString;
import io.tensorlink.p2p.crypto.Ed25519PrivKey;
import io.tensorlink.p2p.crypto.PrivKey;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.pubsub.GossipRouter;
import io.tensorlink.p2p.pubsub.GossipsubConfig;
import io.tensorlink.p2p.pubsub.ValidationResult;
import io.tensorlink.p2p.pubsub.rpc.Rpc;
import io.tensorlink.p2p.pubsub.rpc.RpcCodec;
import io.tensorlink.p2p.util.Uvarint;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * A discrete-event network of gossipsub routers and scripted attackers in one thread. Every RPC goes
 * through the real codec and arrives after its link's latency (fixed per link, drawn from a seeded
 * range); each node runs its heartbeat at its own phase. Time is simulated, so a minute of network
 * life costs only the CPU the routers spend (signatures, mostly), and a seed replays a run exactly.
 *
 * <p>Used by the attack-resilience tests and {@code bench/p2p-attack.sh}; see docs/gossipsub.md.
 */
public final class GossipSimulation {
  private record Event(long at, long seq, Runnable action) {}

  private final GossipsubConfig config;
  private final Random random;
  private final long minLatency;
  private final long latencySpread;
  private final PriorityQueue<Event> events =
      new PriorityQueue<>(Comparator.comparingLong(Event::at).thenComparingLong(Event::seq));
  private final Map<PeerId, SimNode> nodes = new HashMap<>();
  private final Map<PeerId, String> ips = new HashMap<>();
  private final Map<Set<PeerId>, Long> links = new HashMap<>();
  private final List<HonestNode> honest = new ArrayList<>();
  private final List<Sybil> sybils = new ArrayList<>();
  private long now = 1_000_000_000L;
  private long seq;
  private long honestBytesSent;

  /**
   * @param seed everything random (keys, latencies, heartbeat phases, router choices) derives from it
   * @param minLatency shortest one-way link latency
   * @param maxLatency longest one-way link latency (each link's is drawn uniformly in between)
   */
  public GossipSimulation(final GossipsubConfig config, final long seed, final Duration minLatency, final Duration maxLatency) {
    this.config = config;
    this.random = new Random(seed);
    this.minLatency = minLatency.toNanos();
    this.latencySpread = maxLatency.toNanos() - minLatency.toNanos();
  }

  public long now() {
    return now;
  }

  /** An honest router whose topic validator rejects data starting with {@link Sybil#INVALID_PREFIX}. */
  public HonestNode addHonest() {
    final long nodeSeed = random.nextLong();
    final HonestNode[] self = new HonestNode[1];
    final GossipRouter router = new GossipRouter(key(nodeSeed), config, this::now, new Random(nodeSeed),
        m -> self[0].delivered(m.messageId()));
    self[0] = new HonestNode(this, router);
    register(self[0], "10.0." + honest.size() / 250 + "." + (honest.size() % 250 + 1));
    honest.add(self[0]);
    return self[0];
  }

  public Sybil addSybil(final Behaviour behaviour, final String topic) {
    final Sybil sybil = new Sybil(this, key(random.nextLong()), behaviour, topic);
    // Each sybil on its own address: the worst case, P6 (IP colocation) does not help here.
    register(sybil, "10.1." + sybils.size() / 250 + "." + (sybils.size() % 250 + 1));
    sybils.add(sybil);
    return sybil;
  }

  private static PrivKey key(final long seed) {
    return Ed25519PrivKey.fromSeed(ByteBuffer.allocate(32).putLong(seed).putLong(seed * 31 + 7).array());
  }

  private void register(final SimNode node, final String ip) {
    nodes.put(node.id(), node);
    ips.put(node.id(), ip);
    final long period = config.heartbeatInterval().toNanos();
    scheduleHeartbeat(node, now + 1 + (long) (random.nextDouble() * period), period);
  }

  private void scheduleHeartbeat(final SimNode node, final long at, final long period) {
    schedule(at, () -> {
      node.heartbeat();
      scheduleHeartbeat(node, at + period, period);
    });
  }

  String ipOf(final PeerId peer) {
    return ips.get(peer);
  }

  public List<HonestNode> honest() {
    return List.copyOf(honest);
  }

  public List<Sybil> sybils() {
    return List.copyOf(sybils);
  }

  /** {@code dialer} connects to {@code listener} (outbound for the dialer); false if already linked. */
  public boolean connect(final SimNode dialer, final SimNode listener) {
    if (dialer == listener) {
      return false;
    }
    final Set<PeerId> link = Set.of(dialer.id(), listener.id());
    if (links.containsKey(link)) {
      return false;
    }
    links.put(link, minLatency + (long) (random.nextDouble() * latencySpread));
    dialer.connected(listener.id(), true);
    listener.connected(dialer.id(), false);
    return true;
  }

  /** Each node of {@code from} dials {@code count} distinct random nodes of {@code to}. */
  public void connectRandomly(final List<? extends SimNode> from, final List<? extends SimNode> to, final int count) {
    for (final SimNode a : from) {
      int made = 0;
      for (int tries = 0; made < count && tries < count * 20; tries++) {
        if (connect(a, to.get(random.nextInt(to.size())))) {
          made++;
        }
      }
    }
  }

  /** Every honest router rejects messages whose data starts with {@link Sybil#INVALID_PREFIX}. */
  public void subscribeHonest(final String topic) {
    for (final HonestNode h : honest) {
      h.router().setValidator(topic, m -> m.data().startsWith(ByteString.copyFromUtf8(Sybil.INVALID_PREFIX))
          ? ValidationResult.REJECT : ValidationResult.ACCEPT);
      h.router().subscribe(topic);
    }
  }

  void send(final PeerId from, final PeerId to, final Rpc rpc) {
    final Long latency = links.get(Set.of(from, to));
    if (latency == null) {
      return;
    }
    final byte[] bytes = RpcCodec.encode(rpc);
    if (nodes.get(from) instanceof HonestNode) {
      honestBytesSent += bytes.length + Uvarint.size(bytes.length);
    }
    final SimNode target = nodes.get(to);
    schedule(now + latency, () -> target.receive(from, RpcCodec.decode(bytes)));
  }

  /** Runs {@code action} at simulated time {@code at} (nanoseconds). */
  public void schedule(final long at, final Runnable action) {
    events.add(new Event(Math.max(at, now), seq++, action));
  }

  /** Processes events for {@code duration} of simulated time. */
  public void run(final Duration duration) {
    final long until = now + duration.toNanos();
    Event e;
    while ((e = events.peek()) != null && e.at() <= until) {
      events.poll();
      now = e.at();
      e.action().run();
    }
    now = until;
  }

  /** Bytes (length-prefixed RPCs, as on a stream) sent by honest nodes so far. */
  public long honestBytesSent() {
    return honestBytesSent;
  }
}
