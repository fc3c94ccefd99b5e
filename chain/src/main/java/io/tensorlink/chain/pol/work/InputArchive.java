package io.tensorlink.chain.pol.work;

import io.tensorlink.compute.tensor.NamedTensors;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a worker keeps of each record it produced so it can serve the validators' sampled
 * re-execution until the block is final. Thread-safe; the p2p handler reads it while training
 * writes it. {@link #forget} drops a step once its block is past the challenge window.
 */
public final class InputArchive {
  private final Map<RecordKey, Map<InputKind, NamedTensors>> entries = new ConcurrentHashMap<>();

  public void put(final RecordKey key, final InputKind kind, final NamedTensors value) {
    final Map<InputKind, NamedTensors> m = entries.computeIfAbsent(key, k -> new EnumMap<>(InputKind.class));
    synchronized (m) {
      m.put(kind, value);
    }
  }

  public Optional<NamedTensors> get(final RecordKey key, final InputKind kind) {
    final Map<InputKind, NamedTensors> m = entries.get(key);
    if (m == null) {
      return Optional.empty();
    }
    synchronized (m) {
      return Optional.ofNullable(m.get(kind));
    }
  }

  /** Drops one kind (a worker that lost or withholds an input). */
  public void remove(final RecordKey key, final InputKind kind) {
    final Map<InputKind, NamedTensors> m = entries.get(key);
    if (m != null) {
      synchronized (m) {
        m.remove(kind);
      }
    }
  }

  /** Drops every record of steps {@code <= lastStep}. */
  public void forget(final long lastStep) {
    entries.keySet().removeIf(k -> k.step() <= lastStep);
  }

  public int size() {
    return entries.size();
  }
}
