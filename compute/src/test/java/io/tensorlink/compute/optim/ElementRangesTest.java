package io.tensorlink.compute.optim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.compute.backend.CpuBackend;
import org.junit.jupiter.api.Test;

/** One parallel phase over many tensors visits every element of every tensor exactly once. */
class ElementRangesTest {

  @Test
  void everyElementOfEveryTensorOnceForAnyThreadCount() {
    final int[] sizes = {5, 0, 1, 1000, 3, 0, 64};
    for (final int threads : new int[] {1, 2, 3, 4}) {
      final int[][] visits = new int[sizes.length][];
      for (int t = 0; t < sizes.length; t++) {
        visits[t] = new int[sizes[t]];
      }
      try (CpuBackend be = CpuBackend.withThreads(threads)) {
        ElementRanges.forEach(be, sizes, (t, from, to) -> {
          for (int i = from; i < to; i++) {
            visits[t][i]++;
          }
        });
      }
      for (int t = 0; t < sizes.length; t++) {
        assertThat(java.util.Arrays.stream(visits[t]).filter(v -> v != 1).count()).as("tensor %d, %d threads", t, threads)
            .isZero();
      }
    }
  }
}
