package io.tensorlink.compute.loss;

import io.tensorlink.compute.tensor.Tensor;

/**
 * Softmax cross-entropy over the last dimension: every row of logits has one class label.
 * {@code loss_r = log Σ_j exp(x_j - max) + max - x_label}; {@code grad = (softmax - onehot) / divisor}.
 * exp and log are StrictMath in double; each gradient element is rounded to float once.
 */
public record CrossEntropy() implements Loss {

  @Override
  public String name() {
    return "cross_entropy";
  }

  @Override
  public int unitsPerSample(final int[] outputShape) {
    int rows = 1;
    for (int i = 0; i < outputShape.length - 1; i++) {
      rows *= outputShape[i];
    }
    return rows;
  }

  @Override
  public int targetsPerSample(final int[] outputShape) {
    return unitsPerSample(outputShape);
  }

  @Override
  public double forwardBackward(final Tensor out, final Targets targets, final double divisor, final Tensor grad) {
    final int classes = out.dim(-1);
    final int rows = out.size() / classes;
    final int[] labels = targets.labels();
    if (labels == null || labels.length != rows) {
      throw new IllegalArgumentException("cross_entropy needs " + rows + " labels for output " + out + ", got "
          + (labels == null ? "real-valued targets" : labels.length + " labels"));
    }
    final float[] x = out.data();
    final float[] g = grad == null ? null : grad.data();
    final double[] e = new double[classes];
    double total = 0;
    for (int r = 0; r < rows; r++) {
      final int off = r * classes;
      final int label = labels[r];
      if (label < 0 || label >= classes) {
        throw new IllegalArgumentException("label " + label + " at row " + r + " outside [0, " + classes + ")");
      }
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < classes; j++) {
        max = Math.max(max, x[off + j]);
      }
      double sum = 0;
      for (int j = 0; j < classes; j++) {
        e[j] = StrictMath.exp((double) x[off + j] - max);
        sum += e[j];
      }
      total += StrictMath.log(sum) + max - x[off + label];
      if (g != null) {
        for (int j = 0; j < classes; j++) {
          g[off + j] = (float) ((e[j] / sum - (j == label ? 1.0 : 0.0)) / divisor);
        }
      }
    }
    return total;
  }
}
