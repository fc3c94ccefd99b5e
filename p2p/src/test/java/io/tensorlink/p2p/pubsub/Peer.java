package io.tensorlink.p2p.pubsub;

import io.tensorlink.p2p.crypto.Ed25519PrivKey;
import io.tensorlink.p2p.crypto.PrivKey;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.pubsub.rpc.ControlGraft;
import io.tensorlink.p2p.pubsub.rpc.ControlMessage;
import io.tensorlink.p2p.pubsub.rpc.ControlPrune;
import io.tensorlink.p2p.pubsub.rpc.PubsubMessage;
import io.tensorlink.p2p.pubsub.rpc.Rpc;
import io.tensorlink.p2p.pubsub.rpc.SubOpts;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A scripted peer of a router under test: its own key, and every RPC the router sent it. */
record Peer(PrivKey key, PeerId id, List<Rpc> received) {
  static Peer of(final long seed) {
    final PrivKey key = Ed25519PrivKey.fromSeed(ByteBuffer.allocate(32).putLong(seed).array());
    return new Peer(key, PeerId.fromPublicKey(key.publicKey()), new ArrayList<>());
  }

  /** Adds a new scripted peer to {@code router} and announces its subscription to {@code topic}. */
  static Peer join(final GossipRouter router, final long seed, final boolean outbound, final String protocol, final String topic) {
    final Peer p = of(seed);
    router.addPeer(p.id(), protocol, outbound, p.received()::add);
    router.handleRpc(p.id(), Rpc.ofSubscriptions(List.of(new SubOpts(true, topic))));
    return p;
  }

  static Rpc graft(final String topic) {
    return Rpc.ofControl(new ControlMessage(List.of(), List.of(), List.of(new ControlGraft(topic)), List.of(), List.of()));
  }

  List<ControlPrune> prunes() {
    return received.stream().flatMap(r -> r.control().prune().stream()).toList();
  }

  List<PubsubMessage> messages() {
    return received.stream().flatMap(r -> r.messages().stream()).toList();
  }
}
