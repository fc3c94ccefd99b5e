package io.tensorlink.compute.optim;

import io.tensorlink.compute.backend.Backend;

/**
 * Runs an elementwise update over all parameter tensors as one parallel phase: threads split the
 * tensors' concatenated index space, so a model with many small tensors (biases, LayerNorm
 * weights) pays one hand-off per step instead of one per tensor. Elements are independent, so the
 * split never changes a result.
 */
final class ElementRanges {

  /** The part of tensor {@code tensor} in one thread's range: elements [from, to). */
  @FunctionalInterface
  interface Body {
    void run(int tensor, int from, int to);
  }

  private ElementRanges() {}

  static void forEach(final Backend backend, final int[] sizes, final Body body) {
    final long[] start = new long[sizes.length + 1];
    for (int t = 0; t < sizes.length; t++) {
      start[t + 1] = start[t] + sizes[t];
    }
    if (start[sizes.length] > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("more than 2^31 - 1 parameters in one update: " + start[sizes.length]);
    }
    backend.parallelFor((int) start[sizes.length], (from, to) -> {
      for (int t = 0; t < sizes.length; t++) {
        final long lo = Math.max(from, start[t]);
        final long hi = Math.min(to, start[t + 1]);
        if (lo < hi) {
          body.run(t, (int) (lo - start[t]), (int) (hi - start[t]));
        }
      }
    });
  }
}
