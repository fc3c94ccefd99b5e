package io.tensorlink.p2p.pubsub;

import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import java.util.List;

/**
 * A peer offered by peer exchange. {@code addresses} come from the peer's own signed record, checked
 * before this is handed out (empty when the offer carried no record: dialling then needs addresses
 * from elsewhere).
 */
public record ExchangedPeer(PeerId peer, List<Multiaddr> addresses) {
  public ExchangedPeer {
    addresses = List.copyOf(addresses);
  }
}
