package io.tensorlink.compute.loss;

import io.tensorlink.compute.tensor.Tensor;

/**
 * What a loss compares the model output with: class indices (one per output row) or real values
 * (same element count as the output). Exactly one is present.
 */
public record Targets(int[] labels, Tensor values) {

  public Targets {
    if ((labels == null) == (values == null)) {
      throw new IllegalArgumentException("targets need exactly one of labels or values");
    }
  }

  public static Targets labels(final int[] labels) {
    return new Targets(labels, null);
  }

  public static Targets values(final Tensor values) {
    return new Targets(null, values);
  }

  /** Rows {@code [from, from + count)} of these targets, where one sample has {@code perSample} rows/elements. */
  public Targets slice(final int fromSample, final int samples, final int perSample) {
    if (labels != null) {
      final int[] l = new int[samples * perSample];
      System.arraycopy(labels, fromSample * perSample, l, 0, l.length);
      return labels(l);
    }
    final float[] v = new float[samples * perSample];
    System.arraycopy(values.data(), fromSample * perSample, v, 0, v.length);
    final int[] shape = values.shape();
    shape[0] = samples;
    return values(Tensor.of(v, shape));
  }
}
