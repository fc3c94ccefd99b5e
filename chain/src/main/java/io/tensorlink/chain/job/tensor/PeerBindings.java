package io.tensorlink.chain.job.tensor;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which libp2p peer speaks for which account (the checked node bindings, design §7 "Keys"), and
 * where to dial it. A tensor frame is accepted only from the peer bound to the account the
 * assignment names for the sending cell.
 *
 * @param addresses each account's dialable address, ending in {@code /p2p/<peer id>}
 */
public record PeerBindings(Map<EthAddress, Multiaddr> addresses) {

  public PeerBindings {
    addresses = Map.copyOf(addresses);
    final Map<PeerId, EthAddress> seen = new HashMap<>();
    addresses.forEach((account, address) -> {
      final PeerId peer = address.peerId().orElseThrow(() -> new IllegalArgumentException(
          "address " + address + " of " + account + " does not end in /p2p/<peer id>"));
      final EthAddress other = seen.put(peer, account);
      if (other != null) {
        throw new IllegalArgumentException("peer " + peer + " is bound to both " + other + " and " + account);
      }
    });
  }

  /** The account bound to {@code peer}, if any. */
  public Optional<EthAddress> account(final PeerId peer) {
    return addresses.entrySet().stream().filter(e -> e.getValue().peerId().orElseThrow().equals(peer))
        .map(Map.Entry::getKey).findFirst();
  }

  public Optional<Multiaddr> address(final EthAddress account) {
    return Optional.ofNullable(addresses.get(account));
  }
}
