package io.tensorlink.compute.loss;

import io.tensorlink.compute.backend.Backend;
import io.tensorlink.compute.tensor.Tensor;

/**
 * A scalar training objective, forward and gradient together. The step's loss is the mean over
 * the global batch, so a micro-batch returns its <em>sum</em> and scales its gradient by the
 * global divisor: micro-batch gradients then add up to the full-batch gradient.
 */
public interface Loss {

  /** Spec name, e.g. {@code cross_entropy}. */
  String name();

  /** Averaging units per sample for a per-sample output shape (rows for CE, elements for MSE). */
  int unitsPerSample(int[] outputShape);

  /** Per-sample count of label entries (CE) or target values (MSE) for {@link Targets#slice}. */
  int targetsPerSample(int[] outputShape);

  /**
   * Returns the sum of per-unit losses over this micro-batch (summed in order, in double) and,
   * when {@code grad} is non-null, assigns {@code grad = d(sum / divisor) / d out}.
   */
  double forwardBackward(Tensor out, Targets targets, double divisor, Tensor grad);

  /**
   * The same result, bit for bit, using the backend's threads where the loss allows; the default
   * runs {@link #forwardBackward(Tensor, Targets, double, Tensor)} on the caller.
   */
  default double forwardBackward(final Backend backend, final Tensor out, final Targets targets, final double divisor,
      final Tensor grad) {
    return forwardBackward(out, targets, divisor, grad);
  }
}
