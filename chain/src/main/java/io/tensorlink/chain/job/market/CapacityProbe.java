package io.tensorlink.chain.job.market;

import io.tensorlink.compute.backend.Backend;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Measures a worker's GEMM throughput on the backend it will train with: square {@value #N}×{@value
 * #N} products, one untimed warm-up then as many as fit in the time budget (a second by default);
 * the figure is the best single product's rate, which is what a steady training loop approaches.
 */
public final class CapacityProbe {
  static final int N = 256;

  private CapacityProbe() {}

  public static Capacity measure(final Backend backend, final Duration budget, final long linkMbps) {
    final SplittableRandom rnd = new SplittableRandom(1);
    final float[] a = new float[N * N];
    final float[] b = new float[N * N];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) rnd.nextDouble(-1, 1);
      b[i] = (float) rnd.nextDouble(-1, 1);
    }
    final float[] c = new float[N * N];
    backend.gemm(false, false, N, N, N, a, 0, b, 0, c, 0, false);
    final double flops = 2.0 * N * N * N;
    final long end = System.nanoTime() + budget.toNanos();
    long best = Long.MAX_VALUE;
    do {
      final long t0 = System.nanoTime();
      backend.gemm(false, false, N, N, N, a, 0, b, 0, c, 0, false);
      best = Math.min(best, System.nanoTime() - t0);
    } while (System.nanoTime() < end);
    final long mflops = (long) (flops / Math.max(1, best) * 1e3);
    return new Capacity(mflops, Runtime.getRuntime().maxMemory(), linkMbps);
  }
}
