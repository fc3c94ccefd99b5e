package io.tensorlink.compute.optim;

import io.tensorlink.compute.backend.Backend;
import io.tensorlink.compute.tensor.NamedTensors;

/**
 * Updates parameters from gradients, elementwise, in place. The state is a {@link NamedTensors}
 * named {@code <param>.<slot>} in parameter order (what checkpoints store), so an optimizer is
 * an immutable set of hyperparameters and nothing else.
 */
public sealed interface Optimizer permits Sgd, AdamW {

  /** Spec name: {@code sgd} or {@code adamw}. */
  String name();

  /** Zero state for {@code params}. */
  NamedTensors initState(NamedTensors params);

  /**
   * Applies one update at learning rate {@code lr} for 0-based {@code step}. Each element's
   * arithmetic is a fixed sequence of float operations, so splitting elements over threads
   * cannot change the result.
   */
  void update(Backend backend, NamedTensors params, NamedTensors grads, NamedTensors state, float lr, long step);
}
