package io.tensorlink.compute.backend;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD GEMM: register-blocked MR rows × 2 vectors of columns, k-blocked, one parallel phase.
 *
 * <p>B is packed into contiguous KC × NR panels (strided B rows alias in L1). A is read in place
 * when its rows are contiguous, as MR row pointers advancing by one float per step of p; it is
 * packed only when transposed or when its rows are 4 KiB apart (then all MR rows land in the same
 * L1 sets and evict the B panel). Either way the kernel sees A as rows with unit stride in p.
 *
 * <p>Canonical order: each C element is the fma chain over p in increasing order; vectors run
 * across output columns only, so the lanes compute exactly what {@link ScalarGemm} computes with
 * {@link Math#fma}. k-blocking stores and reloads C between blocks, which is exact. Partial
 * panels (n not a multiple of 2 vectors) are computed in a zero-padded copy, so padding never
 * touches the valid lanes.
 *
 * <p>The vector width is fixed per JVM by {@code -Dtensorlink.simd.bits=128|256|512} (default:
 * the CPU's preferred width); it must be a {@code static final} for C2 to unroll the vectors.
 */
final class VectorGemm {
  static final VectorSpecies<Float> S = species();
  static final int V = S.length();
  /** Panel width: two vectors of columns. */
  static final int NR = 2 * V;
  /**
   * Rows per register block. 5 × 2 accumulators + 2 B vectors + 1 broadcast leave C2 room in
   * the 16 AVX2 registers; measured on AVX2 (Zen 3), 6 × 2 spilled and ran at half the speed.
   * {@code kernel} and {@code packA} are unrolled for exactly this many rows.
   */
  static final int MR = 5;
  /** k-block length: keeps an MR×KC sliver of A and a KC×NR panel of B in L1. */
  static final int KC = 256;
  /** Rows per packed A block (a multiple of MR): MC×KC floats stay in L2 while panels sweep it. */
  static final int MC = 120;
  /** Panels per packed B group: 512 columns, so a KC × 512 group (512 KiB) fits in L2 next to A. */
  static final int GROUP_PANELS = Math.max(1, 512 / NR);
  /** Below this many multiply-adds a second thread costs more than it saves. */
  private static final long PARALLEL_MIN_WORK = 1L << 16;
  /** Chunks of a parallel GEMM per thread, at most. */
  private static final int CHUNKS_PER_THREAD = 4;
  /** Multiply-adds per chunk, at least (about 20 µs of one core): smaller products get one chunk per thread. */
  private static final long CHUNK_MIN_WORK = 1L << 21;
  /** How much more modelled work finer chunks may cost than the best split into one chunk per thread. */
  private static final double CHUNK_COST_SLACK = 1.03;

  private VectorGemm() {}

  private static VectorSpecies<Float> species() {
    final String bits = System.getProperty("tensorlink.simd.bits", "");
    return switch (bits) {
      case "" -> FloatVector.SPECIES_PREFERRED;
      case "128" -> FloatVector.SPECIES_128;
      case "256" -> FloatVector.SPECIES_256;
      case "512" -> FloatVector.SPECIES_512;
      default -> throw new IllegalArgumentException("tensorlink.simd.bits must be 128, 256 or 512, got " + bits);
    };
  }

  static void gemm(final WorkerPool pool, final GemmScratch scratch, final boolean transA, final boolean transB, final int m, final int n,
      final int k, final float[] a, final int aOff, final float[] b, final int bOff, final float[] c, final int cOff,
      final boolean accumulate) {
    if (trivial(m, n, k, c, cOff, accumulate)) {
      return;
    }
    if (transB && !transA && swapPays(m, n)) {
      // C = A·Bᵀ as Cᵀ = B·Aᵀ: transposes the smaller operand (and C) instead of the larger B,
      // or puts a narrow n (a 9-wide weight gradient) on the rows instead of a padded panel.
      // Every element keeps its fma chain over p, so the bits are the same. Each part moves its
      // own slice of C in and out of the transposed scratch.
      final float[] t = scratch.transposed(n * m);
      run(pool, new Job(scratch, false, true, n, m, k, b, bOff, a, aOff, t, 0, accumulate, c, cOff));
      return;
    }
    run(pool, new Job(scratch, transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate, null, 0));
  }

  /**
   * The same product on the calling thread with thread {@code part}'s scratch, for kernels that
   * run many small GEMMs inside their own parallel phase (attention).
   */
  static void gemmOnThread(final GemmScratch scratch, final int part, final boolean transA, final boolean transB,
      final int m, final int n, final int k, final float[] a, final int aOff, final float[] b, final int bOff,
      final float[] c, final int cOff, final boolean accumulate) {
    if (!trivial(m, n, k, c, cOff, accumulate)) {
      new Job(scratch, transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate, null, 0)
          .computeSlice(part, 0, m, 0, (n + NR - 1) / NR);
    }
  }

  /**
   * Whether m × n computes in fewer register tiles as n × m (rows round up to MR, columns to NR),
   * the larger dimension breaking ties on the columns' side.
   */
  private static boolean swapPays(final int m, final int n) {
    final long tiles = (long) ((m + MR - 1) / MR * MR) * ((n + NR - 1) / NR * NR);
    final long swapped = (long) ((n + MR - 1) / MR * MR) * ((m + NR - 1) / NR * NR);
    return swapped < tiles || swapped == tiles && n > m;
  }

  /** Handles an empty C or k = 0 (C = 0, or unchanged when accumulating); true when that was all. */
  private static boolean trivial(final int m, final int n, final int k, final float[] c, final int cOff,
      final boolean accumulate) {
    if (m == 0 || n == 0) {
      return true;
    }
    if (k == 0) {
      if (!accumulate) {
        java.util.Arrays.fill(c, cOff, cOff + m * n, 0f);
      }
      return true;
    }
    return false;
  }

  private static void run(final WorkerPool pool, final Job job) {
    final int m = job.m();
    final int panels = (job.n() + NR - 1) / NR;
    final int rowBlocks = (m + MR - 1) / MR;
    final long work = (long) m * job.n() * job.k();
    final int threads = work < PARALLEL_MIN_WORK ? 1 : pool.parts();
    if (threads == 1) {
      job.computeSlice(0, 0, m, 0, panels);
      return;
    }
    // Up to CHUNKS_PER_THREAD chunks per thread, claimed as threads come free: on a shared
    // machine a descheduled thread then holds up one small chunk, not half the product. Finer
    // chunks repack the operand their split does not cut, so they are taken only while the
    // busiest thread's modelled time stays within CHUNK_COST_SLACK of the best split's.
    final int most = (int) Math.max(threads, Math.min((long) threads * CHUNKS_PER_THREAD, work / CHUNK_MIN_WORK));
    double best = Double.MAX_VALUE;
    for (final boolean byPanels : new boolean[] {true, false}) {
      if ((byPanels ? panels : rowBlocks) >= threads) {
        best = Math.min(best, busiest(job, byPanels, threads, threads));
      }
    }
    boolean byPanels = panels >= threads;
    int chunks = threads;
    for (int c = threads; c <= most; c += threads) {
      for (final boolean panelSplit : new boolean[] {true, false}) {
        if ((panelSplit ? panels : rowBlocks) >= c && busiest(job, panelSplit, c, threads) <= best * CHUNK_COST_SLACK) {
          byPanels = panelSplit;
          chunks = c;
          break;
        }
      }
    }
    final int count = chunks;
    if (byPanels) {
      pool.run(count, (worker, chunk) -> job.computeSlice(worker, 0, m,
          WorkerPool.boundary(panels, count, chunk), WorkerPool.boundary(panels, count, chunk + 1)));
    } else {
      pool.run(count, (worker, chunk) -> job.computeSlice(worker,
          Math.min(m, WorkerPool.boundary(rowBlocks, count, chunk) * MR),
          Math.min(m, WorkerPool.boundary(rowBlocks, count, chunk + 1) * MR), 0, panels));
    }
  }

  /**
   * Modelled work of the busiest thread when {@code chunks} chunks split the column panels (or
   * the row blocks). A chunk computes its share of register tiles (the larger share when the
   * blocks do not divide evenly) and packs all of the operand the split does not cut: B once per
   * k-block, A (when packed) once per k-block and panel group. Costs are in vector fmas; packing
   * a transposed operand moves one float at a time (a load and a store, about two fmas' time), an
   * untransposed one a vector at a time.
   */
  private static double busiest(final Job job, final boolean byPanels, final int chunks, final int threads) {
    final int panels = (job.n() + NR - 1) / NR;
    final int rowBlocks = (job.m() + MR - 1) / MR;
    final double tile = (double) MR * 2 * job.k();
    final double packA = job.packsA() ? (double) job.m() * job.k() * (job.transA() ? 2 : 2.0 / V) : 0;
    final double packB = (double) job.n() * job.k() * (job.transB() ? 2 : 2.0 / V);
    final double chunk;
    if (byPanels) {
      final int each = (panels + chunks - 1) / chunks;
      chunk = (double) each * rowBlocks * tile + packA * ((each + GROUP_PANELS - 1) / GROUP_PANELS) + packB * each / panels;
    } else {
      final int each = (rowBlocks + chunks - 1) / chunks;
      chunk = (double) each * panels * tile + packA * each / rowBlocks * ((panels + GROUP_PANELS - 1) / GROUP_PANELS) + packB;
    }
    return chunk * ((chunks + threads - 1) / threads);
  }

  /**
   * Rows [r0, r1) × columns [j0, j1) of src (row length srcCols) go transposed into dst (row
   * length dstCols): dst[j][i] = src[i][j].
   */
  private static void transpose(final float[] src, final int srcOff, final int srcCols, final float[] dst, final int dstOff,
      final int dstCols, final int r0, final int r1, final int j0, final int j1) {
    VectorTranspose.copy(src, srcOff + r0 * srcCols + j0, srcCols, dst, dstOff + j0 * dstCols + r0, dstCols, r1 - r0, j1 - j0);
  }

  /**
   * One product; with {@code out} set, C is a scratch holding the transpose of the caller's
   * {@code out} (n × m at outOff), and each slice is moved in and out of it.
   */
  private record Job(GemmScratch scratch, boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] c, int cOff, boolean accumulate, float[] out, int outOff) {

    void computeSlice(final int part, final int r0, final int r1, final int p0, final int p1) {
      final int j1 = Math.min(n, p1 * NR);
      if (out != null && accumulate) {
        transpose(out, outOff, m, c, cOff, n, p0 * NR, j1, r0, r1);
      }
      compute(part, r0, r1, p0, p1);
      if (out != null) {
        transpose(c, cOff, n, out, outOff, m, r0, r1, p0 * NR, j1);
      }
    }

    /** Computes C rows [r0, r1) × panels [p0, p1) with chunk {@code part}'s scratch. */
    void compute(final int part, final int r0, final int r1, final int p0, final int p1) {
      if (r0 >= r1 || p0 >= p1) {
        return;
      }
      final int rows = r1 - r0;
      // Panels go in groups of GROUP_PANELS (512 columns); per group and k-block, the group's B
      // panels are packed into KC × NR slivers (zero-padded past column n) and the kernel sweeps
      // them over MC-row blocks of A. A packed group stays in L2, so the kernel finds it there for
      // every row block instead of streaming a packed copy of all of this chunk's B from memory.
      final int kMax = Math.min(KC, k);
      final int groupPanels = Math.min(p1 - p0, GROUP_PANELS);
      final float[] packedB = scratch.packedB(part, groupPanels * kMax * NR);
      final boolean packA = packsA();
      final float[] packedA = packA ? scratch.packedA(part, Math.min(MC, (rows + MR - 1) / MR * MR) * kMax) : null;
      final boolean tail = n % NR != 0 && p1 == (n + NR - 1) / NR;
      float[] ctail = null;
      if (tail) {
        ctail = new float[((rows + MR - 1) / MR) * MR * NR];
        if (accumulate) {
          final int j0 = (p1 - 1) * NR;
          for (int i = 0; i < rows; i++) {
            System.arraycopy(c, cOff + (r0 + i) * n + j0, ctail, i * NR, n - j0);
          }
        }
      }
      for (int g0 = p0; g0 < p1; g0 += groupPanels) {
        final int g1 = Math.min(p1, g0 + groupPanels);
        for (int kb = 0; kb < k; kb += KC) {
          final int kLen = Math.min(k, kb + KC) - kb;
          packGroup(g0, g1, kb, kLen, packedB);
          final boolean load = accumulate || kb > 0;
          for (int mc = r0; mc < r1; mc += MC) {
            final int mcEnd = Math.min(r1, mc + MC);
            if (packA) {
              packA(mc, mcEnd, kb, kLen, packedA);
            }
            final float[] as = packA ? packedA : a;
            final int lda = packA ? kLen : k;
            for (int pi = g0; pi < g1; pi++) {
              final boolean isTail = tail && pi == p1 - 1;
              final int bBase = (pi - g0) * kLen * NR;
              for (int i = mc; i < mcEnd; i += MR) {
                final int live = Math.min(MR, mcEnd - i);
                final int aBase = packA ? (i - mc) * kLen : aOff + i * k + kb;
                if (isTail) {
                  kernel(live, kLen, as, aBase, lda, packedB, bBase, ctail, (i - r0) * NR, NR, true);
                } else {
                  kernel(live, kLen, as, aBase, lda, packedB, bBase, c, cOff + i * n + pi * NR, n, load);
                }
              }
            }
          }
        }
      }
      if (tail) {
        final int j0 = (p1 - 1) * NR;
        for (int i = 0; i < rows; i++) {
          System.arraycopy(ctail, i * NR, c, cOff + (r0 + i) * n + j0, n - j0);
        }
      }
    }

    /**
     * A is read in place unless it is transposed, or its rows are a multiple of 4 KiB apart: then
     * the MR rows the kernel reads map to the same L1 sets and evict the B panel.
     */
    private boolean packsA() {
      return transA || k % 1024 == 0;
    }

    /** Copies op(A) rows [r0, r1), columns [kb, kb + kLen) to dst as rows of kLen floats. */
    private void packA(final int r0, final int r1, final int kb, final int kLen, final float[] dst) {
      if (!transA) {
        for (int i = r0; i < r1; i++) {
          System.arraycopy(a, aOff + i * k + kb, dst, (i - r0) * kLen, kLen);
        }
        return;
      }
      // op(A) rows are columns of A: row i of the block is column r0 + i of A's rows kb.. .
      VectorTranspose.copy(a, aOff + kb * m + r0, m, dst, 0, kLen, kLen, r1 - r0);
    }

    /** Packs panels [g0, g1) of op(B), rows [kb, kb + kLen), each at {@code (pi - g0) · kLen · NR} in dst. */
    private void packGroup(final int g0, final int g1, final int kb, final int kLen, final float[] dst) {
      final int full = transB ? g0 : Math.min(g1, n / NR);
      if (full > g0) {
        // Untransposed full panels row by row across the group, two vector moves each: every row
        // of B is read as one contiguous run, which the prefetcher follows, instead of kLen rows
        // far apart per panel.
        for (int p = 0; p < kLen; p++) {
          final int src = bOff + (kb + p) * n;
          for (int pi = g0; pi < full; pi++) {
            final int d = (pi - g0) * kLen * NR + p * NR;
            FloatVector.fromArray(S, b, src + pi * NR).intoArray(dst, d);
            FloatVector.fromArray(S, b, src + pi * NR + V).intoArray(dst, d + V);
          }
        }
      }
      // Transposed panels, and an untransposed partial last panel.
      for (int pi = Math.max(g0, full); pi < g1; pi++) {
        packB(pi, kb, kLen, dst, (pi - g0) * kLen * NR);
      }
    }

    /** Copies rows [kb, kb + kLen) of panel {@code pi} of op(B) to dst at off (kLen × NR, zero past column n). */
    private void packB(final int pi, final int kb, final int kLen, final float[] dst, final int off) {
      final int j0 = pi * NR;
      final int width = Math.min(NR, n - j0);
      if (width < NR) {
        java.util.Arrays.fill(dst, off, off + kLen * NR, 0f);
      }
      if (transB) {
        VectorTranspose.copy(b, bOff + j0 * k + kb, k, dst, off, NR, width, kLen);
      } else {
        for (int p = 0; p < kLen; p++) {
          System.arraycopy(b, bOff + (kb + p) * n + j0, dst, off + p * NR, width);
        }
      }
    }
  }

  /**
   * C[rows × NR] (+)= A·B over kLen steps of p: A row r at {@code a[aBase + r·lda + p]}, B from
   * its packed panel at {@code b[bBase + p·NR + j]}. Rows at and beyond {@code rows} repeat the
   * last row and are never stored.
   */
  private static void kernel(final int rows, final int kLen, final float[] a, final int aBase, final int lda,
      final float[] b, final int bBase, final float[] c, final int cBase, final int ldc, final boolean load) {
    final int last = rows - 1;
    final int a0 = aBase;
    final int a1 = aBase + Math.min(1, last) * lda;
    final int a2 = aBase + Math.min(2, last) * lda;
    final int a3 = aBase + Math.min(3, last) * lda;
    final int a4 = aBase + Math.min(4, last) * lda;
    final int c0 = cBase;
    final int c1 = cBase + Math.min(1, last) * ldc;
    final int c2 = cBase + Math.min(2, last) * ldc;
    final int c3 = cBase + Math.min(3, last) * ldc;
    final int c4 = cBase + Math.min(4, last) * ldc;
    FloatVector x00;
    FloatVector x01;
    FloatVector x10;
    FloatVector x11;
    FloatVector x20;
    FloatVector x21;
    FloatVector x30;
    FloatVector x31;
    FloatVector x40;
    FloatVector x41;
    if (load) {
      x00 = FloatVector.fromArray(S, c, c0);
      x01 = FloatVector.fromArray(S, c, c0 + V);
      x10 = FloatVector.fromArray(S, c, c1);
      x11 = FloatVector.fromArray(S, c, c1 + V);
      x20 = FloatVector.fromArray(S, c, c2);
      x21 = FloatVector.fromArray(S, c, c2 + V);
      x30 = FloatVector.fromArray(S, c, c3);
      x31 = FloatVector.fromArray(S, c, c3 + V);
      x40 = FloatVector.fromArray(S, c, c4);
      x41 = FloatVector.fromArray(S, c, c4 + V);
    } else {
      final FloatVector z = FloatVector.zero(S);
      x00 = z;
      x01 = z;
      x10 = z;
      x11 = z;
      x20 = z;
      x21 = z;
      x30 = z;
      x31 = z;
      x40 = z;
      x41 = z;
    }
    for (int p = 0; p < kLen; p++) {
      final int bo = bBase + p * NR;
      final FloatVector b0 = FloatVector.fromArray(S, b, bo);
      final FloatVector b1 = FloatVector.fromArray(S, b, bo + V);
      FloatVector av = FloatVector.broadcast(S, a[a0 + p]);
      x00 = av.fma(b0, x00);
      x01 = av.fma(b1, x01);
      av = FloatVector.broadcast(S, a[a1 + p]);
      x10 = av.fma(b0, x10);
      x11 = av.fma(b1, x11);
      av = FloatVector.broadcast(S, a[a2 + p]);
      x20 = av.fma(b0, x20);
      x21 = av.fma(b1, x21);
      av = FloatVector.broadcast(S, a[a3 + p]);
      x30 = av.fma(b0, x30);
      x31 = av.fma(b1, x31);
      av = FloatVector.broadcast(S, a[a4 + p]);
      x40 = av.fma(b0, x40);
      x41 = av.fma(b1, x41);
    }
    x00.intoArray(c, c0);
    x01.intoArray(c, c0 + V);
    if (rows > 1) {
      x10.intoArray(c, c1);
      x11.intoArray(c, c1 + V);
    }
    if (rows > 2) {
      x20.intoArray(c, c2);
      x21.intoArray(c, c2 + V);
    }
    if (rows > 3) {
      x30.intoArray(c, c3);
      x31.intoArray(c, c3 + V);
    }
    if (rows > 4) {
      x40.intoArray(c, c4);
      x41.intoArray(c, c4 + V);
    }
  }
}
