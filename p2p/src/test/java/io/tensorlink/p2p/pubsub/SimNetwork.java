package io.tensorlink.p2p.pubsub;

import io.tensorlink.p2p.crypto.Ed25519PrivKey;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.pubsub.rpc.Rpc;
import io.tensorlink.p2p.pubsub.rpc.RpcCodec;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Routers wired together in one thread: every RPC goes through the real codec into a FIFO queue and
 * is delivered by {@link #settle()}. Time is a shared fake clock that only {@link #heartbeat()}
 * advances, and every router draws from its own seeded {@link Random}, so a run replays exactly.
 */
final class SimNetwork {
  record Envelope(PeerId from, PeerId to, byte[] bytes) {}

  final List<GossipRouter> routers = new ArrayList<>();
  final Map<PeerId, List<ReceivedMessage>> delivered = new HashMap<>();
  /** Every RPC sent, decoded, in order (for assertions on control traffic). */
  final List<Envelope> log = new ArrayList<>();
  private final Map<PeerId, GossipRouter> byId = new HashMap<>();
  private final Set<Set<PeerId>> links = new HashSet<>();
  private final Queue<Envelope> queue = new ArrayDeque<>();
  private final GossipsubConfig config;
  private long nanos = 1_000_000_000L;
  /** Drops envelopes it matches (a lossy link). */
  BiPredicate<PeerId, PeerId> drop = (a, b) -> false;

  SimNetwork(final GossipsubConfig config, final int nodes, final long seed) {
    this.config = config;
    for (int i = 0; i < nodes; i++) {
      addNode(seed * 1000 + i);
    }
  }

  GossipRouter addNode(final long seed) {
    final byte[] keySeed = ByteBuffer.allocate(32).putLong(seed).array();
    final List<ReceivedMessage> inbox = new ArrayList<>();
    final GossipRouter router =
        new GossipRouter(Ed25519PrivKey.fromSeed(keySeed), config, () -> nanos, new Random(seed), inbox::add);
    delivered.put(router.self(), inbox);
    byId.put(router.self(), router);
    routers.add(router);
    return router;
  }

  GossipRouter node(final int i) {
    return routers.get(i);
  }

  /** {@code a} dials {@code b} (so the link is outbound for a), gossipsub v1.2 both ways. */
  void connect(final GossipRouter a, final GossipRouter b) {
    connect(a, b, GossipProtocol.MESHSUB_V12);
  }

  void connect(final GossipRouter a, final GossipRouter b, final String protocol) {
    links.add(Set.of(a.self(), b.self()));
    a.addPeer(b.self(), protocol, true, rpc -> send(a.self(), b.self(), rpc));
    b.addPeer(a.self(), protocol, false, rpc -> send(b.self(), a.self(), rpc));
  }

  void disconnect(final GossipRouter a, final GossipRouter b) {
    links.remove(Set.of(a.self(), b.self()));
    a.removePeer(b.self());
    b.removePeer(a.self());
  }

  /** Gives every node at least {@code degree} links to random others (the node short of links dials). */
  void connectRandomly(final int degree, final Random random) {
    for (int i = 0; i < routers.size(); i++) {
      while (linkCount(node(i)) < degree) {
        final int j = random.nextInt(routers.size());
        if (j != i && !links.contains(Set.of(node(i).self(), node(j).self()))) {
          connect(node(i), node(j));
        }
      }
    }
  }

  private long linkCount(final GossipRouter r) {
    return links.stream().filter(l -> l.contains(r.self())).count();
  }

  private void send(final PeerId from, final PeerId to, final Rpc rpc) {
    final byte[] bytes = RpcCodec.encode(rpc);
    if (bytes.length > config.maxRpcSize()) {
      throw new AssertionError("router sent an RPC over maxRpcSize: " + bytes.length);
    }
    queue.add(new Envelope(from, to, bytes));
  }

  /** Delivers queued RPCs (and the ones they trigger) until none is left. */
  void settle() {
    Envelope e;
    while ((e = queue.poll()) != null) {
      if (!links.contains(Set.of(e.from(), e.to())) || drop.test(e.from(), e.to())) {
        continue;
      }
      log.add(e);
      byId.get(e.to()).handleRpc(e.from(), RpcCodec.decode(e.bytes()));
    }
  }

  void advance(final Duration d) {
    nanos += d.toNanos();
  }

  /** Advances the clock by one heartbeat interval and runs every router's heartbeat. */
  void heartbeat() {
    advance(config.heartbeatInterval());
    routers.forEach(GossipRouter::heartbeat);
    settle();
  }

  void heartbeats(final int n) {
    for (int i = 0; i < n; i++) {
      heartbeat();
    }
  }

  List<Rpc> rpcsBetween(final GossipRouter from, final GossipRouter to) {
    return log.stream()
        .filter(e -> e.from().equals(from.self()) && e.to().equals(to.self()))
        .map(e -> RpcCodec.decode(e.bytes()))
        .toList();
  }

  List<ReceivedMessage> inbox(final GossipRouter r) {
    return delivered.get(r.self());
  }
}
