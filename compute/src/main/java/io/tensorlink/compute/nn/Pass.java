package io.tensorlink.compute.nn;

import io.tensorlink.compute.backend.Backend;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import java.util.HashMap;
import java.util.Map;

/**
 * One forward/backward pass over one micro-batch: what layers read (parameters, backend, the
 * randomness key) and what they leave for backward. Layers themselves hold no per-pass state,
 * so pipeline stages can keep several passes in flight.
 *
 * <p>Gradients: each layer assigns the gradients of its own parameters during backward
 * (a parameter belongs to exactly one layer).
 */
public final class Pass {
  private final Backend backend;
  private final NamedTensors params;
  private final NamedTensors grads;
  private final boolean training;
  private final long seed;
  private final long step;
  private final long sampleOffset;
  private final Map<String, Object> saved = new HashMap<>();

  /**
   * @param grads where backward writes parameter gradients; null for inference-only passes
   * @param sampleOffset global index (within the step's global batch) of this micro-batch's first
   *     sample, so dropout masks do not depend on how the batch is split
   */
  public Pass(final Backend backend, final NamedTensors params, final NamedTensors grads, final boolean training,
      final long seed, final long step, final long sampleOffset) {
    this.backend = backend;
    this.params = params;
    this.grads = grads;
    this.training = training;
    this.seed = seed;
    this.step = step;
    this.sampleOffset = sampleOffset;
  }

  /** An inference pass (no dropout, no gradients). */
  public static Pass inference(final Backend backend, final NamedTensors params) {
    return new Pass(backend, params, null, false, 0, 0, 0);
  }

  public Backend backend() {
    return backend;
  }

  public Tensor param(final String name) {
    return params.get(name);
  }

  public Tensor grad(final String name) {
    if (grads == null) {
      throw new IllegalStateException("inference pass has no gradients (asked for " + name + ")");
    }
    return grads.get(name);
  }

  public boolean training() {
    return training;
  }

  public long seed() {
    return seed;
  }

  public long step() {
    return step;
  }

  public long sampleOffset() {
    return sampleOffset;
  }

  /** Keeps what {@code layer}'s backward needs (keyed by the layer's unique name). */
  public void save(final Layer layer, final Object value) {
    saved.put(layer.name(), value);
  }

  /**
   * What {@code layer}'s forward saved, taken out of the pass: backward reads it once, and the
   * pass then no longer holds the activations, so they can be collected while backward goes on.
   */
  public <T> T saved(final Layer layer, final Class<T> type) {
    final Object v = saved.remove(layer.name());
    if (v == null) {
      throw new IllegalStateException("layer '" + layer.name() + "': backward without forward in this pass");
    }
    return type.cast(v);
  }
}
