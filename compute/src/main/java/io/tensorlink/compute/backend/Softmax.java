package io.tensorlink.compute.backend;

/** Row softmax with one canonical order: max, then exp and a double sum in column order. */
public final class Softmax {
  private Softmax() {}

  /** Softmax of rows {@code [from, to)} of a matrix with {@code cols} columns. */
  public static void rows(final float[] x, final float[] y, final int from, final int to, final int cols) {
    for (int r = from; r < to; r++) {
      row(x, y, r * cols, cols);
    }
  }

  /** Softmax of {@code x[off .. off+n)} into {@code y[off .. off+n)}. */
  public static void row(final float[] x, final float[] y, final int off, final int n) {
    float max = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      max = Math.max(max, x[off + j]);
    }
    double sum = 0;
    for (int j = 0; j < n; j++) {
      final float e = (float) StrictMath.exp(x[off + j] - max);
      y[off + j] = e;
      sum += e;
    }
    final float inv = (float) (1.0 / sum);
    for (int j = 0; j < n; j++) {
      y[off + j] *= inv;
    }
  }
}
