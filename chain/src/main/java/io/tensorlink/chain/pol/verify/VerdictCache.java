package io.tensorlink.chain.pol.verify;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Verdicts by record leaf: a record proposed again (a new leader's header, a dispute committee) is
 * not re-executed twice, and concurrent requests for one leaf share one re-execution. Bounded,
 * least recently used out first. A leaf commits to every field of the record, so a cached verdict
 * can never apply to a different record.
 */
public final class VerdictCache {
  private final Map<Bytes32, CompletableFuture<RecordVerdict>> entries;

  public VerdictCache(final int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("cache capacity must be >= 1, got " + capacity);
    }
    entries = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(final Map.Entry<Bytes32, CompletableFuture<RecordVerdict>> eldest) {
        return size() > capacity;
      }
    };
  }

  /**
   * The cached verdict of {@code leaf}, or {@code compute}'s, started once. A computation that fails
   * (not a verdict: an internal error) is dropped so the next request retries it, and so is an
   * {@link Reason#INPUT_UNAVAILABLE} verdict: on a loaded machine or a flaky link a fetch can time
   * out for an honest worker, and the next header or a committee seat asks again.
   */
  public CompletableFuture<RecordVerdict> get(final Bytes32 leaf,
      final Supplier<CompletableFuture<RecordVerdict>> compute) {
    final CompletableFuture<RecordVerdict> f;
    synchronized (this) {
      f = entries.computeIfAbsent(leaf, l -> compute.get());
    }
    f.whenComplete((v, e) -> {
      if (e != null || v.reason().filter(Reason.INPUT_UNAVAILABLE::equals).isPresent()) {
        synchronized (this) {
          entries.remove(leaf, f);
        }
      }
    });
    return f;
  }

  public synchronized int size() {
    return entries.size();
  }
}
