package io.tensorlink.compute.backend;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD GEMM: register-blocked MR rows × 2 vectors of columns, k-blocked, one parallel phase.
 *
 * <p>Both operands are packed into contiguous slivers first: strided B rows alias in L1 and
 * variable A strides defeat C2's addressing (together about 2× on AVX2).
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
  /** Below this many multiply-adds a second thread costs more than it saves. */
  private static final long PARALLEL_MIN_WORK = 1L << 16;

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
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0) {
      if (!accumulate) {
        for (int i = 0; i < m; i++) {
          java.util.Arrays.fill(c, cOff + i * n, cOff + i * n + n, 0f);
        }
      }
      return;
    }
    if (transB && !transA && n > m) {
      // C = A·Bᵀ as Cᵀ = B·Aᵀ: transposes the smaller operand (and C) instead of the larger B.
      // Every element keeps its fma chain over p, so the bits are the same.
      final float[] t = scratch.transposed(n * m);
      if (accumulate) {
        transpose(c, cOff, m, n, t, 0);
      }
      gemm(pool, scratch, false, true, n, m, k, b, bOff, a, aOff, t, 0, accumulate);
      transpose(t, 0, n, m, c, cOff);
      return;
    }
    final Job job = new Job(scratch, transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
    final int panels = (n + NR - 1) / NR;
    final int rowBlocks = (m + MR - 1) / MR;
    final int parts = (long) m * n * k < PARALLEL_MIN_WORK ? 1 : pool.parts();
    // Each part packs all of the operand it does not split: split the larger one's dimension.
    if (parts == 1) {
      job.compute(0, 0, m, 0, panels);
    } else if (panels >= parts && (n >= m || rowBlocks < parts)) {
      pool.run(parts, part -> job.compute(part, 0, m, split(panels, parts, part), split(panels, parts, part + 1)));
    } else {
      pool.run(parts, part -> job.compute(part,
          Math.min(m, split(rowBlocks, parts, part) * MR), Math.min(m, split(rowBlocks, parts, part + 1) * MR),
          0, panels));
    }
  }

  /** dst[cols × rows] = src[rows × cols]ᵀ. */
  private static void transpose(final float[] src, final int srcOff, final int rows, final int cols, final float[] dst,
      final int dstOff) {
    // 16×16 tiles keep both the reads and the strided writes within a few cache lines.
    for (int i0 = 0; i0 < rows; i0 += 16) {
      final int i1 = Math.min(rows, i0 + 16);
      for (int j0 = 0; j0 < cols; j0 += 16) {
        final int j1 = Math.min(cols, j0 + 16);
        for (int i = i0; i < i1; i++) {
          for (int j = j0; j < j1; j++) {
            dst[dstOff + j * rows + i] = src[srcOff + i * cols + j];
          }
        }
      }
    }
  }

  private static int split(final int count, final int parts, final int part) {
    return (int) ((long) count * part / parts);
  }

  private record Job(GemmScratch scratch, boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] c, int cOff, boolean accumulate) {

    /** Computes C rows [r0, r1) × panels [p0, p1) with chunk {@code part}'s scratch. */
    void compute(final int part, final int r0, final int r1, final int p0, final int p1) {
      if (r0 >= r1 || p0 >= p1) {
        return;
      }
      final int rows = r1 - r0;
      // Both operands are packed so the kernel walks them with constant strides: per k-block,
      // every B panel of this part into KC × NR (zero-padded past column n), then per MC rows A
      // into MR-row slivers; the kernel sweeps panels over the L2-resident A block.
      final int kMax = Math.min(KC, k);
      final float[] packedB = scratch.packedB(part, (p1 - p0) * kMax * NR);
      final float[] packedA = scratch.packedA(part, Math.min(MC, (rows + MR - 1) / MR * MR) * kMax);
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
      for (int kb = 0; kb < k; kb += KC) {
        final int kLen = Math.min(k, kb + KC) - kb;
        for (int pi = p0; pi < p1; pi++) {
          packB(pi, kb, kLen, packedB, (pi - p0) * kLen * NR);
        }
        final boolean load = accumulate || kb > 0;
        for (int mc = r0; mc < r1; mc += MC) {
          final int mcEnd = Math.min(r1, mc + MC);
          packA(mc, mcEnd, kb, kLen, packedA);
          for (int pi = p0; pi < p1; pi++) {
            final boolean isTail = tail && pi == p1 - 1;
            final int bBase = (pi - p0) * kLen * NR;
            int aBase = 0;
            for (int i = mc; i < mcEnd; i += MR, aBase += kLen * MR) {
              final int live = Math.min(MR, mcEnd - i);
              if (isTail) {
                kernel(live, kLen, packedA, aBase, packedB, bBase, ctail, (i - r0) * NR, NR, true);
              } else {
                kernel(live, kLen, packedA, aBase, packedB, bBase, c, cOff + i * n + pi * NR, n, load);
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
     * Packs op(A) rows [r0, r1), columns [kb, kb + kLen) as MR-row slivers, p-major; a short
     * last sliver repeats its last row (computed, never stored).
     */
    private void packA(final int r0, final int r1, final int kb, final int kLen, final float[] dst) {
      final int ars = transA ? 1 : k;
      final int acs = transA ? m : 1;
      int blk = 0;
      for (int i = r0; i < r1; i += MR, blk++) {
        final int last = r1 - 1;
        final int s0 = aOff + i * ars + kb * acs;
        final int s1 = aOff + Math.min(i + 1, last) * ars + kb * acs;
        final int s2 = aOff + Math.min(i + 2, last) * ars + kb * acs;
        final int s3 = aOff + Math.min(i + 3, last) * ars + kb * acs;
        final int s4 = aOff + Math.min(i + 4, last) * ars + kb * acs;
        int d = blk * kLen * MR;
        // p-outer keeps the writes sequential; with transA the five reads are adjacent too.
        for (int p = 0; p < kLen; p++, d += MR) {
          final int o = p * acs;
          dst[d] = a[s0 + o];
          dst[d + 1] = a[s1 + o];
          dst[d + 2] = a[s2 + o];
          dst[d + 3] = a[s3 + o];
          dst[d + 4] = a[s4 + o];
        }
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
        // Transpose in 16-step chunks of p so reads and writes both stay within a few lines.
        for (int pc = 0; pc < kLen; pc += 16) {
          final int pe = Math.min(kLen, pc + 16);
          for (int jj = 0; jj < width; jj++) {
            final int src = bOff + (j0 + jj) * k + kb;
            for (int p = pc; p < pe; p++) {
              dst[off + p * NR + jj] = b[src + p];
            }
          }
        }
      } else if (width == NR) {
        // Two vector moves per row: arraycopy's call overhead dominates 64-byte copies.
        for (int p = 0; p < kLen; p++) {
          final int src = bOff + (kb + p) * n + j0;
          FloatVector.fromArray(S, b, src).intoArray(dst, off + p * NR);
          FloatVector.fromArray(S, b, src + V).intoArray(dst, off + p * NR + V);
        }
      } else {
        for (int p = 0; p < kLen; p++) {
          System.arraycopy(b, bOff + (kb + p) * n + j0, dst, off + p * NR, width);
        }
      }
    }
  }

  /**
   * C[rows × NR] (+)= A·B over kLen steps of p, from packed operands: A at
   * {@code a[aBase + p·MR + r]}, B at {@code b[bBase + p·NR + j]}. Rows at and beyond
   * {@code rows} are computed from padding and never stored.
   */
  private static void kernel(final int rows, final int kLen, final float[] a, final int aBase, final float[] b,
      final int bBase, final float[] c, final int cBase, final int ldc, final boolean load) {
    final int last = rows - 1;
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
      final int ao = aBase + p * MR;
      FloatVector av = FloatVector.broadcast(S, a[ao]);
      x00 = av.fma(b0, x00);
      x01 = av.fma(b1, x01);
      av = FloatVector.broadcast(S, a[ao + 1]);
      x10 = av.fma(b0, x10);
      x11 = av.fma(b1, x11);
      av = FloatVector.broadcast(S, a[ao + 2]);
      x20 = av.fma(b0, x20);
      x21 = av.fma(b1, x21);
      av = FloatVector.broadcast(S, a[ao + 3]);
      x30 = av.fma(b0, x30);
      x31 = av.fma(b1, x31);
      av = FloatVector.broadcast(S, a[ao + 4]);
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
