package io.tensorlink.chain.job.market;

import io.tensorlink.compute.backend.Backend;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Measures a worker's GEMM throughput on the backend it will train with: square {@value #N}×{@value
 * #N} products timed for the second half of the time budget (at least three), after a first half of
 * smaller untimed products during which the JIT compiles the kernel; the figure is the best single
 * product's rate, which is what a steady training loop approaches. About a second at node start.
 */
public final class CapacityProbe {
  static final int N = 256;
  private static final int WARM_N = 128;
  private static final int MIN_TIMED = 3;

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
    // First half: warm-up on 1/8-size products (the same kernel paths, an eighth of the work while the
    // JIT has not compiled them yet), so the timed half runs compiled code.
    final long start = System.nanoTime();
    final long warm = start + budget.toNanos() / 2;
    do {
      backend.gemm(false, false, WARM_N, WARM_N, WARM_N, a, 0, b, 0, c, 0, false);
    } while (System.nanoTime() < warm);
    final double flops = 2.0 * N * N * N;
    final long end = start + budget.toNanos();
    long best = Long.MAX_VALUE;
    int timed = 0;
    do {
      final long t0 = System.nanoTime();
      backend.gemm(false, false, N, N, N, a, 0, b, 0, c, 0, false);
      best = Math.min(best, System.nanoTime() - t0);
      timed++;
    } while (System.nanoTime() < end || timed < MIN_TIMED);
    final long mflops = (long) (flops / Math.max(1, best) * 1e3);
    return new Capacity(mflops, Runtime.getRuntime().maxMemory(), linkMbps);
  }
}
