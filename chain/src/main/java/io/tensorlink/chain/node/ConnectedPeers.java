package io.tensorlink.chain.node;

import io.tensorlink.chain.rpc.PeerInfo;
import io.tensorlink.p2p.host.Connection;
import io.tensorlink.p2p.peer.PeerId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code tl_peers} answer, as both hosts (the standalone node and the Besu plugin) give it: one
 * entry per peer, however many connections lead to it (an AutoNAT dial-back or a relayed connection
 * beside a direct one is still the same peer).
 */
public final class ConnectedPeers {
  private ConnectedPeers() {}

  /**
   * @param connections the host's open connections
   * @param announcement the verified announcement a connection's peer published, if any
   */
  public static List<PeerInfo> list(final Collection<Connection> connections,
      final Function<Connection, Optional<NodeAnnouncement>> announcement) {
    final Map<PeerId, List<Connection>> byPeer = new LinkedHashMap<>();
    connections.forEach(c -> byPeer.computeIfAbsent(c.remotePeer(), p -> new ArrayList<>()).add(c));
    return byPeer.entrySet().stream().map(e -> describe(e.getKey(), e.getValue(), announcement)).toList();
  }

  private static PeerInfo describe(final PeerId peer, final List<Connection> connections,
      final Function<Connection, Optional<NodeAnnouncement>> announcement) {
    final Optional<NodeAnnouncement> announced = connections.stream().map(announcement)
        .flatMap(Optional::stream).findFirst();
    // Where to dial it: what it announced, else where we reached it. A connection the peer opened
    // shows its ephemeral source port, which nobody can dial.
    final List<String> dialable = announced
        .map(a -> a.addresses().stream().map(Object::toString).toList())
        .orElseGet(() -> connections.stream().filter(Connection::isInitiator)
            .map(c -> c.remoteAddress().toString()).distinct().toList());
    return new PeerInfo(peer.toBase58(),
        announced.map(a -> a.binding().account().toString()).orElse(null),
        dialable,
        connections.stream().map(c -> c.remoteAddress().toString()).toList(),
        announced.map(a -> a.roles().stream().sorted().map(Role::label).toList()).orElse(List.of()));
  }
}
