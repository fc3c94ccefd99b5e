package io.tensorlink.chain.job.tensor;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Bindings given up front.
 *
 * @param addresses each account's dialable address, ending in {@code /p2p/<peer id>}
 */
record StaticPeerBindings(Map<EthAddress, Multiaddr> addresses) implements PeerBindings {

  StaticPeerBindings {
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

  @Override
  public Optional<EthAddress> account(final PeerId peer) {
    return addresses.entrySet().stream().filter(e -> e.getValue().peerId().orElseThrow().equals(peer))
        .map(Map.Entry::getKey).findFirst();
  }

  @Override
  public Optional<Multiaddr> address(final EthAddress account) {
    return Optional.ofNullable(addresses.get(account));
  }
}
