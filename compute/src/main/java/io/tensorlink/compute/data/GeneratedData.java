package io.tensorlink.compute.data;

/**
 * Seeded synthetic datasets for tests and demos that need no files. Every value is a pure
 * function of (seed, index) through counter-based hashing and plain float arithmetic, so the
 * same seed gives bit-identical data everywhere.
 */
public final class GeneratedData {

  private static final long PURPOSE_CENTER = 1;
  private static final long PURPOSE_NOISE = 2;
  private static final long PURPOSE_LABEL = 3;

  private GeneratedData() {}

  /**
   * Gaussian blobs: {@code classes} centers drawn in {@code [-spread, spread]^dim}, samples are a
   * center plus unit-variance noise; labels cycle through the classes. With a large spread the
   * classes are linearly separable with high probability.
   */
  public static Dataset blobs(final int size, final int dim, final int classes, final float spread, final long seed) {
    final float[] centers = new float[classes * dim];
    for (int i = 0; i < centers.length; i++) {
      centers[i] = spread * (2 * uniform(seed, PURPOSE_CENTER, i) - 1);
    }
    final byte[] labels = labels(size, classes, seed);
    final float[] x = new float[size * dim];
    for (int s = 0; s < size; s++) {
      for (int d = 0; d < dim; d++) {
        x[s * dim + d] = centers[labels[s] * dim + d] + normal(seed, PURPOSE_NOISE, (long) s * dim + d);
      }
    }
    return new LabeledSamples.Floats("blobs(" + size + "x" + dim + "," + classes + " classes,seed=" + seed + ")",
        x, labels, new int[] {dim}, classes);
  }

  /**
   * Images of shape {@code [channels, height, width]} in {@code [0, 1]}: class {@code k} draws a
   * bright horizontal bar at row band {@code k} over uniform noise of amplitude {@code noise},
   * so a small CNN separates the classes quickly but not trivially from one pixel.
   */
  public static Dataset images(
      final int size, final int channels, final int height, final int width, final int classes,
      final float noise, final long seed) {
    if (classes > height) {
      throw new IllegalArgumentException("need at least one row per class: " + classes + " classes, height " + height);
    }
    final int sample = channels * height * width;
    final byte[] labels = labels(size, classes, seed);
    final float[] x = new float[size * sample];
    final int band = height / classes;
    for (int s = 0; s < size; s++) {
      final int row0 = labels[s] * band;
      for (int c = 0; c < channels; c++) {
        for (int h = 0; h < height; h++) {
          final boolean bar = h >= row0 && h < row0 + band;
          for (int w = 0; w < width; w++) {
            final int i = ((s * channels + c) * height + h) * width + w;
            final float base = bar ? 1 - noise : 0;
            x[i] = base + noise * uniform(seed, PURPOSE_NOISE, i);
          }
        }
      }
    }
    return new LabeledSamples.Floats("images(" + size + "x" + channels + "x" + height + "x" + width + ",seed=" + seed + ")",
        x, labels, new int[] {channels, height, width}, classes);
  }

  private static byte[] labels(final int size, final int classes, final long seed) {
    if (classes <= 0 || classes > 256) {
      throw new IllegalArgumentException("classes must be in [1, 256], got " + classes);
    }
    final byte[] labels = new byte[size];
    for (int s = 0; s < size; s++) {
      labels[s] = (byte) Long.remainderUnsigned(Mix.hash(seed, PURPOSE_LABEL, s), classes);
    }
    return labels;
  }

  /** A float in {@code [0, 1)} with 24 random bits. */
  static float uniform(final long seed, final long purpose, final long counter) {
    return (Mix.hash(seed, purpose, counter) >>> 40) * 0x1.0p-24f;
  }

  /** Approximately standard normal: the Irwin–Hall sum of 12 uniforms minus 6 (no transcendentals). */
  static float normal(final long seed, final long purpose, final long counter) {
    float sum = 0;
    for (int k = 0; k < 12; k++) {
      sum += uniform(seed, purpose, counter * 12 + k);
    }
    return sum - 6;
  }
}
