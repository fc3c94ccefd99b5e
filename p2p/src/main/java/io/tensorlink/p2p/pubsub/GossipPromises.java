package io.tensorlink.p2p.pubsub;

import com.google.protobuf.ByteString;
import io.tensorlink.p2p.peer.PeerId;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * IWANTs we sent and expect answered (gossipsub v1.1 §"Spam Protection Measures"): for each IWANT
 * one of its ids, drawn at random, is tracked; if no copy of it arrives from anyone before the
 * deadline, the peer that advertised it broke a promise and earns a behaviour penalty (P₇). A peer
 * advertising ids it never delivers is graylisted quickly. Router-confined.
 */
final class GossipPromises {
  private final Map<ByteString, Map<PeerId, Long>> promises = new HashMap<>();
  private final long followupNanos;
  private final Random random;

  GossipPromises(final long followupNanos, final Random random) {
    this.followupNanos = followupNanos;
    this.random = random;
  }

  void add(final PeerId peer, final List<ByteString> ids, final long now) {
    if (ids.isEmpty()) {
      return;
    }
    final ByteString id = ids.get(random.nextInt(ids.size()));
    promises.computeIfAbsent(id, k -> new HashMap<>()).putIfAbsent(peer, now + followupNanos);
  }

  /** A copy of {@code id} arrived (valid or not: an invalid one is P₄'s business): promises kept. */
  void delivered(final ByteString id) {
    promises.remove(id);
  }

  /** Removes the promises past their deadline and counts them per peer. */
  Map<PeerId, Integer> broken(final long now) {
    final Map<PeerId, Integer> broken = new HashMap<>();
    final Iterator<Map<PeerId, Long>> perId = promises.values().iterator();
    while (perId.hasNext()) {
      final Map<PeerId, Long> byPeer = perId.next();
      byPeer.entrySet().removeIf(e -> {
        if (e.getValue() - now < 0) {
          broken.merge(e.getKey(), 1, Integer::sum);
          return true;
        }
        return false;
      });
      if (byPeer.isEmpty()) {
        perId.remove();
      }
    }
    return broken;
  }
}
