package io.tensorlink.compute.backend;

/**
 * The SIMD-off GEMM: the same per-element fma chain as {@link VectorGemm}, one lane at a time.
 * The i-p-j loop order keeps C rows in cache; each element still sees p in increasing order.
 */
final class ScalarGemm {
  private ScalarGemm() {}

  static void gemm(final WorkerPool pool, final boolean transA, final boolean transB, final int m, final int n,
      final int k, final float[] a, final int aOff, final float[] b, final int bOff, final float[] c, final int cOff,
      final boolean accumulate) {
    final int parts = pool.parts();
    pool.run(parts, part -> rows(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate,
        WorkerPool.boundary(m, parts, part), WorkerPool.boundary(m, parts, part + 1)));
  }

  /** All of the product on the calling thread (the scalar counterpart of {@link VectorGemm#gemmOnThread}). */
  static void gemmOnThread(final boolean transA, final boolean transB, final int m, final int n, final int k,
      final float[] a, final int aOff, final float[] b, final int bOff, final float[] c, final int cOff,
      final boolean accumulate) {
    rows(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate, 0, m);
  }

  /** Rows {@code [from, to)} of C. */
  private static void rows(final boolean transA, final boolean transB, final int m, final int n, final int k,
      final float[] a, final int aOff, final float[] b, final int bOff, final float[] c, final int cOff,
      final boolean accumulate, final int from, final int to) {
    final int ars = transA ? 1 : k;
    final int acs = transA ? m : 1;
    final int brs = transB ? 1 : n;
    final int bcs = transB ? k : 1;
    for (int i = from; i < to; i++) {
      final int ci = cOff + i * n;
      if (!accumulate) {
        java.util.Arrays.fill(c, ci, ci + n, 0f);
      }
      for (int p = 0; p < k; p++) {
        final float av = a[aOff + i * ars + p * acs];
        final int bp = bOff + p * brs;
        for (int j = 0; j < n; j++) {
          c[ci + j] = Math.fma(av, b[bp + j * bcs], c[ci + j]);
        }
      }
    }
  }
}
