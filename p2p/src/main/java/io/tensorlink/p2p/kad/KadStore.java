package io.tensorlink.p2p.kad;

import io.tensorlink.p2p.peer.PeerId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What this node stores for others: value records (validated before they get here) and provider
 * records. Both are bounded ({@link #MAX_RECORDS}, {@link #MAX_PROVIDER_KEYS} keys with at most
 * {@link #MAX_PROVIDERS_PER_KEY} providers each, oldest evicted first) and expire after the TTLs
 * the spec suggests (records 36 h, providers 48 h). Thread-safe.
 */
public final class KadStore {
  public static final int MAX_RECORDS = 10_000;
  public static final int MAX_PROVIDER_KEYS = 10_000;
  public static final int MAX_PROVIDERS_PER_KEY = 20;
  public static final Duration RECORD_TTL = Duration.ofHours(36);
  public static final Duration PROVIDER_TTL = Duration.ofHours(48);

  private record Stored(KadRecord record, Instant expires) {}

  private final Clock clock;
  private final Map<String, Stored> records = bounded(MAX_RECORDS);
  private final Map<String, LinkedHashMap<PeerId, Instant>> providers = bounded(MAX_PROVIDER_KEYS);

  public KadStore(final Clock clock) {
    this.clock = clock;
  }

  private static <V> Map<String, V> bounded(final int max) {
    return new LinkedHashMap<>(64, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(final Map.Entry<String, V> eldest) {
        return size() > max;
      }
    };
  }

  private static String id(final byte[] key) {
    return HexFormat.of().formatHex(key);
  }

  public synchronized void putRecord(final KadRecord record) {
    final String id = id(record.key());
    records.remove(id);
    records.put(id, new Stored(record, clock.instant().plus(RECORD_TTL)));
  }

  public synchronized Optional<KadRecord> record(final byte[] key) {
    final String id = id(key);
    final Stored s = records.get(id);
    if (s == null) {
      return Optional.empty();
    }
    if (s.expires().isBefore(clock.instant())) {
      records.remove(id);
      return Optional.empty();
    }
    return Optional.of(s.record());
  }

  public synchronized void addProvider(final byte[] key, final PeerId provider) {
    final String id = id(key);
    final LinkedHashMap<PeerId, Instant> set = providers.containsKey(id) ? providers.get(id) : new LinkedHashMap<>();
    providers.remove(id); // re-insert: the most recently announced key is evicted last
    providers.put(id, set);
    set.remove(provider);
    set.put(provider, clock.instant().plus(PROVIDER_TTL));
    if (set.size() > MAX_PROVIDERS_PER_KEY) {
      set.remove(set.keySet().iterator().next());
    }
  }

  /** Unexpired providers of {@code key}, most recently announced first. */
  public synchronized List<PeerId> providers(final byte[] key) {
    final LinkedHashMap<PeerId, Instant> set = providers.get(id(key));
    if (set == null) {
      return List.of();
    }
    final Instant now = clock.instant();
    set.values().removeIf(expiry -> expiry.isBefore(now));
    return List.copyOf(set.keySet()).reversed();
  }
}
