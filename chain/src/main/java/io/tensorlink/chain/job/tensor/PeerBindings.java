package io.tensorlink.chain.job.tensor;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import java.util.Map;
import java.util.Optional;

/**
 * Which libp2p peer speaks for which account (the checked node bindings, design §7 "Keys"), and
 * where to dial it. A tensor frame is accepted only from the peer bound to the account the
 * assignment names for the sending cell. Implementations may be live views (a node's directory
 * of {@code /tl/nodes/1} bindings); they are read on every frame.
 */
public interface PeerBindings {
  /** The account bound to {@code peer}, if any. */
  Optional<EthAddress> account(PeerId peer);

  /** Where to reach {@code account}'s peer: an address ending in {@code /p2p/<peer id>}. */
  Optional<Multiaddr> address(EthAddress account);

  /** A fixed set of bindings. */
  static PeerBindings of(final Map<EthAddress, Multiaddr> addresses) {
    return new StaticPeerBindings(addresses);
  }
}
