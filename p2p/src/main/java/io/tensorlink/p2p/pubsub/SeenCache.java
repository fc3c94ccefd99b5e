package io.tensorlink.p2p.pubsub;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Message ids seen within the last {@code ttl}, for dropping duplicates. Entries expire in insertion
 * order, so pruning is proportional to what expired. Not thread-safe (router-confined).
 */
final class SeenCache {
  private final long ttlNanos;
  private final LongSupplier nanoClock;
  private final LinkedHashMap<ByteString, Long> firstSeen = new LinkedHashMap<>();

  SeenCache(final Duration ttl, final LongSupplier nanoClock) {
    this.ttlNanos = ttl.toNanos();
    this.nanoClock = nanoClock;
  }

  /** Records {@code id}; returns false when it was already there (a duplicate). */
  boolean add(final ByteString id) {
    return firstSeen.putIfAbsent(id, nanoClock.getAsLong()) == null;
  }

  boolean contains(final ByteString id) {
    return firstSeen.containsKey(id);
  }

  /** Forgets ids older than the TTL. */
  void prune() {
    final long now = nanoClock.getAsLong();
    final Iterator<Map.Entry<ByteString, Long>> it = firstSeen.entrySet().iterator();
    while (it.hasNext() && now - it.next().getValue() > ttlNanos) {
      it.remove();
    }
  }

  int size() {
    return firstSeen.size();
  }
}
