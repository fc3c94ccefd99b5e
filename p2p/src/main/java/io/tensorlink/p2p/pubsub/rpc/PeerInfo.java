package io.tensorlink.p2p.pubsub.rpc;

import com.google.protobuf.ByteString;
import java.util.Objects;
import java.util.Optional;

/**
 * A peer offered by peer exchange in a PRUNE: {@code PeerInfo{peerID=1, signedPeerRecord=2}}, as
 * received (nothing verified here; the router opens the record).
 *
 * @param signedPeerRecord the peer's signed envelope (RFC 0002/0003), which gives its addresses
 */
public record PeerInfo(ByteString peerId, Optional<ByteString> signedPeerRecord) {
  public PeerInfo {
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(signedPeerRecord, "signedPeerRecord");
  }

  public static PeerInfo of(final ByteString peerId) {
    return new PeerInfo(peerId, Optional.empty());
  }
}
