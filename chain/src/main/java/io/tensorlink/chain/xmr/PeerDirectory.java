package io.tensorlink.chain.xmr;

import io.tensorlink.p2p.multiaddr.Multiaddr;
import java.util.Optional;

/**
 * Where to dial the node of an account: the node's published binding (peer id and addresses, signed by
 * the account). Supplied by the node; a fixed map in tests.
 */
@FunctionalInterface
public interface PeerDirectory {
  /** A dialable address ending in {@code /p2p/<peer id>}, if the account's node is known. */
  Optional<Multiaddr> addressOf(String account);
}
