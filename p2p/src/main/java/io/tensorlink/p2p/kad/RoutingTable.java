package io.tensorlink.p2p.kad;

import io.tensorlink.p2p.peer.PeerId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Predicate;

/**
 * The Kademlia routing table: one bucket of at most {@code k} peers per common-prefix length with
 * our own key (0..255). A bucket keeps its peers in least-recently-seen order. When a bucket is
 * full a newcomer replaces the least-recently-seen peer only if that peer is no longer live (the
 * caller's predicate, typically "still connected"), which favours long-lived peers as Kademlia
 * intends and keeps a flood of fresh sybil identities from flushing a bucket. Thread-safe.
 */
public final class RoutingTable {
  private final KadKey self;
  private final int k;
  private final List<LinkedHashMap<PeerId, KadKey>> buckets = new ArrayList<>(KadKey.BITS);

  public RoutingTable(final PeerId self, final int k) {
    if (k <= 0) {
      throw new IllegalArgumentException("bucket size k must be positive");
    }
    this.self = KadKey.of(self);
    this.k = k;
    for (int i = 0; i < KadKey.BITS; i++) {
      buckets.add(new LinkedHashMap<>());
    }
  }

  /**
   * Adds or refreshes {@code peer}.
   *
   * @param isLive whether an existing peer still counts (asked only about a full bucket's oldest)
   * @return whether the peer is in the table afterwards
   */
  public synchronized boolean add(final PeerId peer, final Predicate<PeerId> isLive) {
    final KadKey key = KadKey.of(peer);
    final int cpl = self.commonPrefixLength(key);
    if (cpl == KadKey.BITS) {
      return false; // ourselves
    }
    final LinkedHashMap<PeerId, KadKey> bucket = buckets.get(cpl);
    if (bucket.remove(peer) != null || bucket.size() < k) {
      bucket.put(peer, key);
      return true;
    }
    final PeerId oldest = bucket.keySet().iterator().next();
    if (isLive.test(oldest)) {
      return false;
    }
    bucket.remove(oldest);
    bucket.put(peer, key);
    return true;
  }

  public synchronized boolean remove(final PeerId peer) {
    return buckets.get(Math.min(self.commonPrefixLength(KadKey.of(peer)), KadKey.BITS - 1)).remove(peer) != null;
  }

  public synchronized boolean contains(final PeerId peer) {
    final int cpl = self.commonPrefixLength(KadKey.of(peer));
    return cpl < KadKey.BITS && buckets.get(cpl).containsKey(peer);
  }

  /** Up to {@code count} peers closest to {@code target}, closest first. */
  public synchronized List<PeerId> closest(final KadKey target, final int count) {
    final Comparator<KadKey> order = target.byDistance();
    final List<java.util.Map.Entry<PeerId, KadKey>> all = new ArrayList<>();
    buckets.forEach(b -> all.addAll(b.entrySet()));
    all.sort((a, b) -> order.compare(a.getValue(), b.getValue()));
    return all.stream().limit(count).map(java.util.Map.Entry::getKey).toList();
  }

  /** Every peer in the table. */
  public synchronized List<PeerId> peers() {
    final List<PeerId> all = new ArrayList<>();
    buckets.forEach(b -> all.addAll(b.keySet()));
    return all;
  }

  public synchronized int size() {
    return buckets.stream().mapToInt(LinkedHashMap::size).sum();
  }

  /** The largest common-prefix length of any peer in the table, or -1 when empty (refresh bound). */
  public synchronized int deepestBucket() {
    for (int i = KadKey.BITS - 1; i >= 0; i--) {
      if (!buckets.get(i).isEmpty()) {
        return i;
      }
    }
    return -1;
  }

  public int bucketSize() {
    return k;
  }
}
