package io.tensorlink.p2p.transport;

import io.tensorlink.p2p.crypto.PrivKey;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.record.PeerRecord;
import io.tensorlink.p2p.record.SignedPeerRecord;
import java.util.List;

/**
 * Our own signed peer record, re-sealed only when our addresses change. The sequence number is the
 * wall clock in milliseconds (what js uses), kept strictly increasing so a newer record always
 * supersedes an older one even across a quick restart. Thread-safe.
 */
final class LocalPeerRecord {
  private final PrivKey key;
  private List<Multiaddr> sealedFor;
  private SignedPeerRecord current;
  private long seq;

  LocalPeerRecord(final PrivKey key) {
    this.key = key;
  }

  synchronized SignedPeerRecord current(final List<Multiaddr> addresses) {
    final List<Multiaddr> bare = addresses.stream().map(Multiaddr::withoutPeerId).limit(PeerRecord.MAX_ADDRESSES).toList();
    if (current == null || !bare.equals(sealedFor)) {
      seq = Math.max(seq + 1, System.currentTimeMillis());
      current = SignedPeerRecord.seal(key, seq, bare);
      sealedFor = bare;
    }
    return current;
  }
}
