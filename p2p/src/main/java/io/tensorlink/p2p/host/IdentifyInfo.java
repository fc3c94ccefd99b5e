package io.tensorlink.p2p.host;

import io.tensorlink.p2p.crypto.PubKey;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import java.util.List;
import java.util.Optional;

/**
 * What a peer told us about itself over {@code /ipfs/id/1.0.0}. Addresses that failed to parse are
 * dropped rather than failing the whole message.
 */
public record IdentifyInfo(
    Optional<PubKey> publicKey,
    List<Multiaddr> listenAddresses,
    List<String> protocols,
    Optional<Multiaddr> observedAddress,
    String protocolVersion,
    String agentVersion) {
  public IdentifyInfo {
    listenAddresses = List.copyOf(listenAddresses);
    protocols = List.copyOf(protocols);
  }

  public boolean supports(final String protocol) {
    return protocols.contains(protocol);
  }
}
