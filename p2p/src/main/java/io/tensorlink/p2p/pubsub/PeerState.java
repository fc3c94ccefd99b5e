package io.tensorlink.p2p.pubsub;

import com.google.protobuf.ByteString;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** What the router knows about one connected gossipsub peer. Router-confined. */
final class PeerState {
  final String protocol;
  final boolean outbound;
  final RpcSender sender;
  final Set<String> topics = new LinkedHashSet<>();
  /** Message ids the peer told us (IDONTWANT) not to send, with the heartbeat they arrived in. */
  final Map<ByteString, Long> dontWant = new HashMap<>();
  int ihavesThisHeartbeat;
  int idsAskedThisHeartbeat;

  PeerState(final String protocol, final boolean outbound, final RpcSender sender) {
    this.protocol = protocol;
    this.outbound = outbound;
    this.sender = sender;
  }
}
