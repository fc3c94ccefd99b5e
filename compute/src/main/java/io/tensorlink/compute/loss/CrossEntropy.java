package io.tensorlink.compute.loss;

import io.tensorlink.compute.backend.Backend;
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
    final double[] rowLoss = new double[checkedLabels(out, targets).length];
    rows(out.data(), targets.labels(), classes, divisor, grad == null ? null : grad.data(), rowLoss, 0, rowLoss.length);
    return sum(rowLoss);
  }

  /** Rows split across the backend's threads; each row's loss is summed afterwards in row order (same bits). */
  @Override
  public double forwardBackward(final Backend backend, final Tensor out, final Targets targets, final double divisor,
      final Tensor grad) {
    final int classes = out.dim(-1);
    final int[] labels = checkedLabels(out, targets);
    final double[] rowLoss = new double[labels.length];
    final float[] g = grad == null ? null : grad.data();
    backend.parallelFor(labels.length, (from, to) -> rows(out.data(), labels, classes, divisor, g, rowLoss, from, to));
    return sum(rowLoss);
  }

  private static int[] checkedLabels(final Tensor out, final Targets targets) {
    final int classes = out.dim(-1);
    final int rows = out.size() / classes;
    final int[] labels = targets.labels();
    if (labels == null || labels.length != rows) {
      throw new IllegalArgumentException("cross_entropy needs " + rows + " labels for output " + out + ", got "
          + (labels == null ? "real-valued targets" : labels.length + " labels"));
    }
    for (int r = 0; r < rows; r++) {
      if (labels[r] < 0 || labels[r] >= classes) {
        throw new IllegalArgumentException("label " + labels[r] + " at row " + r + " outside [0, " + classes + ")");
      }
    }
    return labels;
  }

  /** Loss of rows [from, to) into rowLoss, and their gradient when g is non-null. */
  private static void rows(final float[] x, final int[] labels, final int classes, final double divisor, final float[] g,
      final double[] rowLoss, final int from, final int to) {
    final double[] e = new double[classes];
    for (int r = from; r < to; r++) {
      final int off = r * classes;
      final int label = labels[r];
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < classes; j++) {
        max = Math.max(max, x[off + j]);
      }
      double sum = 0;
      for (int j = 0; j < classes; j++) {
        e[j] = StrictMath.exp((double) x[off + j] - max);
        sum += e[j];
      }
      rowLoss[r] = StrictMath.log(sum) + max - x[off + label];
      if (g != null) {
        for (int j = 0; j < classes; j++) {
          g[off + j] = (float) ((e[j] / sum - (j == label ? 1.0 : 0.0)) / divisor);
        }
      }
    }
  }

  private static double sum(final double[] rowLoss) {
    double total = 0;
    for (final double l : rowLoss) {
      total += l;
    }
    return total;
  }
}
