package io.tensorlink.p2p.pubsub.sim;

import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.pubsub.rpc.Rpc;

/** A participant of a {@link GossipSimulation}: an honest router or a scripted attacker. */
public interface SimNode {
  PeerId id();

  /** A link to {@code peer} came up; {@code outbound} when this node dialed it. */
  void connected(PeerId peer, boolean outbound);

  void receive(PeerId from, Rpc rpc);

  /** Called once per heartbeat interval, at this node's own phase. */
  void heartbeat();
}
