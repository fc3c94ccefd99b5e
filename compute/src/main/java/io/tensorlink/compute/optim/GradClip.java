package io.tensorlink.compute.optim;

import io.tensorlink.compute.tensor.NamedTensors;

/**
 * Clipping by global L2 norm. The norm has one canonical order: per tensor, squares summed in
 * element order in double; then the per-tensor sums added in spec order. Pipeline stages can
 * therefore exchange per-tensor sums and agree on the same norm.
 */
public final class GradClip {
  private GradClip() {}

  /** Σ g² of one tensor's elements, in order, in double. */
  public static double sumOfSquares(final float[] g) {
    double s = 0;
    for (final float v : g) {
      s += (double) v * v;
    }
    return s;
  }

  public static double globalNorm(final NamedTensors grads) {
    double s = 0;
    for (int i = 0; i < grads.count(); i++) {
      s += sumOfSquares(grads.get(i).data());
    }
    return Math.sqrt(s);
  }

  /**
   * Scales every gradient by {@code maxNorm / norm} when the global norm exceeds {@code maxNorm}
   * ({@code maxNorm <= 0} disables clipping). Returns the norm before clipping.
   */
  public static double clip(final NamedTensors grads, final double maxNorm) {
    final double norm = globalNorm(grads);
    if (maxNorm > 0 && norm > maxNorm) {
      final float scale = (float) (maxNorm / norm);
      for (int i = 0; i < grads.count(); i++) {
        final float[] g = grads.get(i).data();
        for (int j = 0; j < g.length; j++) {
          g[j] *= scale;
        }
      }
    }
    return norm;
  }
}
