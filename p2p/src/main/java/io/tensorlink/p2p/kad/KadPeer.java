package io.tensorlink.p2p.kad;

import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import java.util.List;

/** A peer as carried in kad messages ({@code Message.Peer}): its ID, addresses and connection hint. */
public record KadPeer(PeerId id, List<Multiaddr> addresses, ConnectionType connection) {
  /** {@code Message.ConnectionType}; only a hint, never trusted for anything. */
  public enum ConnectionType {
    NOT_CONNECTED,
    CONNECTED,
    CAN_CONNECT,
    CANNOT_CONNECT
  }

  public KadPeer {
    addresses = List.copyOf(addresses);
  }
}
