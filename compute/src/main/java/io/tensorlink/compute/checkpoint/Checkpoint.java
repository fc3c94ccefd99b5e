package io.tensorlink.compute.checkpoint;

import io.tensorlink.compute.tensor.NamedTensors;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything needed to resume training exactly: parameters and optimizer state after
 * {@code step} completed steps, plus free-form metadata (spec hash, optimizer name, seed).
 *
 * @param step number of steps applied to the parameters
 * @param params model parameters in spec order
 * @param optimizerState optimizer tensors (momentum, Adam moments) in the optimizer's order
 * @param metadata sorted string pairs; keys and values are UTF-8
 */
public record Checkpoint(long step, NamedTensors params, NamedTensors optimizerState, Map<String, String> metadata) {

  public Checkpoint {
    if (step < 0) {
      throw new IllegalArgumentException("checkpoint step must be non-negative, got " + step);
    }
    metadata = Collections.unmodifiableSortedMap(new TreeMap<>(metadata));
  }

  /** The Merkle commitment to {@link #params()}. */
  public byte[] paramsRoot() {
    return ParamsRoot.of(params);
  }
}
