package io.tensorlink.compute.backend;

/**
 * The deterministic CPU backend: results are bitwise identical for every thread count and for
 * the SIMD path on or off (the rules are in compute/README.md).
 *
 * <p>Owns a {@link WorkerPool} of {@code threads - 1} workers and reusable scratch arrays;
 * close it when done. Used by one thread at a time.
 */
public final class CpuBackend implements Backend {
  private final Options options;
  private final WorkerPool pool;
  private final float[][] workspaces = new float[4][];
  private final GemmScratch gemmScratch;

  /**
   * @param threads worker threads including the caller (>= 1)
   * @param simd use the Vector API kernels; false runs the scalar {@link Math#fma} path, which
   *     gives the same bits, slower
   */
  public record Options(int threads, boolean simd) {
    public Options {
      if (threads < 1 || threads > 1024) {
        throw new IllegalArgumentException("threads must be in [1, 1024], got " + threads);
      }
    }

    /** All available processors, SIMD on. */
    public static Options defaults() {
      return new Options(Runtime.getRuntime().availableProcessors(), true);
    }
  }

  public CpuBackend(final Options options) {
    this.options = options;
    this.pool = new WorkerPool(options.threads(), "tl-cpu-" + Integer.toHexString(System.identityHashCode(this)) + "-worker-");
    this.gemmScratch = new GemmScratch(options.threads());
  }

  /** A backend with {@code threads} threads and SIMD on. */
  public static CpuBackend withThreads(final int threads) {
    return new CpuBackend(new Options(threads, true));
  }

  public Options options() {
    return options;
  }

  /** Vector lanes used by the SIMD kernels (fixed per JVM; see {@code tensorlink.simd.bits}). */
  public static int vectorLanes() {
    return VectorGemm.V;
  }

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public void gemm(final boolean transA, final boolean transB, final int m, final int n, final int k,
      final float[] a, final int aOff, final float[] b, final int bOff, final float[] c, final int cOff,
      final boolean accumulate) {
    checkGemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff);
    if (options.simd()) {
      VectorGemm.gemm(pool, gemmScratch, transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
    } else {
      ScalarGemm.gemm(pool, transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
    }
  }

  @Override
  public void parallelFor(final int count, final RangeBody body) {
    parallelChunks(count, (worker, from, to) -> body.run(from, to));
  }

  /** A range of work that also knows which pool thread runs it (whose scratch it may use). */
  @FunctionalInterface
  private interface ChunkBody {
    void run(int worker, int from, int to);
  }

  private void parallelChunks(final int count, final ChunkBody body) {
    final int parts = Math.min(pool.parts(), count);
    if (parts <= 1) {
      if (count > 0) {
        body.run(0, 0, count);
      }
      return;
    }
    pool.run(parts, (worker, part) -> body.run(worker,
        WorkerPool.boundary(count, parts, part), WorkerPool.boundary(count, parts, part + 1)));
  }

  /** GEMMs on the calling thread with pool thread {@code worker}'s scratch (inside a parallel phase). */
  private LocalGemm onThisThread(final int worker) {
    if (!options.simd()) {
      return ScalarGemm::gemmOnThread;
    }
    return (transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate) ->
        VectorGemm.gemmOnThread(gemmScratch, worker, transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
  }

  /** Threads split the (sequence, head) pairs; each pair runs its small GEMMs on its own thread. */
  @Override
  public void attentionForward(final AttentionShape s, final float[] qkv, final float[] att, final float[] out) {
    parallelChunks(s.pairs(), (worker, from, to) -> AttentionKernel.forward(s, qkv, att, out, from, to, onThisThread(worker)));
  }

  @Override
  public void attentionBackward(final AttentionShape s, final float[] qkv, final float[] att, final float[] dout,
      final float[] dqkv) {
    parallelChunks(s.pairs(),
        (worker, from, to) -> AttentionKernel.backward(s, qkv, att, dout, dqkv, from, to, onThisThread(worker)));
  }

  @Override
  public void activationForward(final Activation act, final float[] x, final float[] y, final int n) {
    if (act == Activation.RELU && options.simd()) {
      parallelFor(n, (from, to) -> VectorRelu.forward(x, y, from, to));
    } else {
      Backend.super.activationForward(act, x, y, n);
    }
  }

  @Override
  public void activationBackward(final Activation act, final float[] x, final float[] dy, final float[] dx,
      final int n) {
    if (act == Activation.RELU && options.simd()) {
      parallelFor(n, (from, to) -> VectorRelu.backward(x, dy, dx, from, to));
    } else {
      Backend.super.activationBackward(act, x, dy, dx, n);
    }
  }

  /** With SIMD on, the tanh runs as {@link VectorTanh} (StrictMath.tanh's bits, several lanes at a time). */
  @Override
  public void geluForward(final float[] x, final float[] y, final double[] tanh, final int n) {
    if (!options.simd()) {
      Backend.super.geluForward(x, y, tanh, n);
      return;
    }
    parallelFor(n, (from, to) -> {
      for (int i = from; i < to; i++) {
        tanh[i] = Activation.geluArgument(x[i]);
      }
      VectorTanh.tanhInPlace(tanh, from, to);
      for (int i = from; i < to; i++) {
        y[i] = Activation.geluFromTanh(x[i], tanh[i]);
      }
    });
  }

  /**
   * A scratch array of at least {@code size} floats for {@code slot}, reused across calls.
   * Contents are unspecified: callers overwrite every element they read.
   */
  float[] workspace(final int slot, final int size) {
    float[] w = workspaces[slot];
    if (w == null || w.length < size) {
      w = new float[size];
      workspaces[slot] = w;
    }
    return w;
  }

  @Override
  public void close() {
    pool.close();
  }

  private static void checkGemm(final boolean transA, final boolean transB, final int m, final int n, final int k,
      final float[] a, final int aOff, final float[] b, final int bOff, final float[] c, final int cOff) {
    if (m < 0 || n < 0 || k < 0) {
      throw new IllegalArgumentException("negative GEMM dimension m=" + m + " n=" + n + " k=" + k);
    }
    checkRange("A", a, aOff, (long) m * k, transA);
    checkRange("B", b, bOff, (long) k * n, transB);
    checkRange("C", c, cOff, (long) m * n, false);
  }

  private static void checkRange(final String what, final float[] arr, final int off, final long len,
      final boolean trans) {
    if (off < 0 || off + len > arr.length) {
      throw new IllegalArgumentException("GEMM operand " + what + (trans ? "ᵀ" : "") + " needs " + len
          + " elements from offset " + off + " but its array has " + arr.length);
    }
  }
}
