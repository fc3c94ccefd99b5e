package io.tensorlink.p2p.pubsub.sim;

import com.google.protobuf.ByteString;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.pubsub.GossipProtocol;
import io.tensorlink.p2p.pubsub.GossipRouter;
import io.tensorlink.p2p.pubsub.rpc.Rpc;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A real {@link GossipRouter} in the simulation; remembers when each message reached it. */
public final class HonestNode implements SimNode {
  private final GossipSimulation sim;
  private final GossipRouter router;
  private final Map<ByteString, Long> receivedAt = new HashMap<>();

  HonestNode(final GossipSimulation sim, final GossipRouter router) {
    this.sim = sim;
    this.router = router;
  }

  void delivered(final ByteString messageId) {
    receivedAt.putIfAbsent(messageId, sim.now());
  }

  public GossipRouter router() {
    return router;
  }

  /** Simulated time (ns) at which the message was delivered here, if it was. */
  public Optional<Long> receivedAt(final ByteString messageId) {
    return Optional.ofNullable(receivedAt.get(messageId));
  }

  public ByteString publish(final String topic, final ByteString data) {
    return router.publish(topic, data).messageId();
  }

  @Override
  public PeerId id() {
    return router.self();
  }

  @Override
  public void connected(final PeerId peer, final boolean outbound) {
    router.addPeer(peer, GossipProtocol.MESHSUB_V12, outbound, rpc -> sim.send(id(), peer, rpc), Optional.of(sim.ipOf(peer)));
  }

  @Override
  public void receive(final PeerId from, final Rpc rpc) {
    router.handleRpc(from, rpc);
  }

  @Override
  public void heartbeat() {
    router.heartbeat();
  }
}
