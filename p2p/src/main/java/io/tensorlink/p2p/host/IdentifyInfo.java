package io.tensorlink.p2p.host;

import io.tensorlink.p2p.crypto.PubKey;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.record.SignedPeerRecord;
import java.util.List;
import java.util.Optional;

/**
 * What a peer told us about itself over {@code /ipfs/id/1.0.0}. Addresses that failed to parse are
 * dropped rather than failing the whole message.
 *
 * @param signedPeerRecord the peer's signed record (identify field 8), present only if it verified
 *     and names the peer on the connection
 */
public record IdentifyInfo(
    Optional<PubKey> publicKey,
    List<Multiaddr> listenAddresses,
    List<String> protocols,
    Optional<Multiaddr> observedAddress,
    String protocolVersion,
    String agentVersion,
    Optional<SignedPeerRecord> signedPeerRecord) {
  public IdentifyInfo {
    listenAddresses = List.copyOf(listenAddresses);
    protocols = List.copyOf(protocols);
  }

  public IdentifyInfo withoutSignedPeerRecord() {
    return new IdentifyInfo(publicKey, listenAddresses, protocols, observedAddress, protocolVersion, agentVersion, Optional.empty());
  }

  public boolean supports(final String protocol) {
    return protocols.contains(protocol);
  }
}
