package io.tensorlink.compute.loss;

import io.tensorlink.compute.tensor.Tensor;

/**
 * Mean squared error over all output elements. Targets are real values, or class labels read as
 * one-hot rows over the last dimension. {@code grad = 2 (y - t) / divisor}.
 */
public record MeanSquaredError() implements Loss {

  @Override
  public String name() {
    return "mse";
  }

  @Override
  public int unitsPerSample(final int[] outputShape) {
    return Tensor.checkedSize(outputShape);
  }

  @Override
  public int targetsPerSample(final int[] outputShape) {
    return Tensor.checkedSize(outputShape);
  }

  @Override
  public double forwardBackward(final Tensor out, final Targets targets, final double divisor, final Tensor grad) {
    final float[] y = out.data();
    final float[] g = grad == null ? null : grad.data();
    final int classes = out.dim(-1);
    if (targets.values() != null && targets.values().size() != y.length) {
      throw new IllegalArgumentException(
          "mse targets " + targets.values() + " do not match output " + out + " element for element");
    }
    if (targets.labels() != null && targets.labels().length * classes != y.length) {
      throw new IllegalArgumentException("mse with labels needs one label per output row of " + classes + ", got "
          + targets.labels().length + " labels for output " + out);
    }
    double total = 0;
    for (int i = 0; i < y.length; i++) {
      final float t = targets.values() != null
          ? targets.values().data()[i]
          : (targets.labels()[i / classes] == i % classes ? 1f : 0f);
      final float d = y[i] - t;
      total += (double) d * d;
      if (g != null) {
        g[i] = (float) (2.0 * d / divisor);
      }
    }
    return total;
  }
}
