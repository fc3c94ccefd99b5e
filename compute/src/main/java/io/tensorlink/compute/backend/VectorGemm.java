package io.tensorlink.compute.backend;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD GEMM: register-blocked MR rows × 2 vectors of columns, k-blocked, one parallel phase.
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
  /** Rows per register block: 6 × 2 accumulators fit the 16 AVX2 registers with B and A loads. */
  static final int MR = 6;
  /** k-block length: keeps an MR×KC slice of A and a KC×NR panel of B in L1/L2. */
  static final int KC = 256;
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

  static void gemm(final WorkerPool pool, final boolean transA, final boolean transB, final int m, final int n,
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
    final Job job = new Job(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
    final int panels = (n + NR - 1) / NR;
    final int rowBlocks = (m + MR - 1) / MR;
    final int parts = (long) m * n * k < PARALLEL_MIN_WORK ? 1 : pool.parts();
    if (parts == 1) {
      job.compute(0, m, 0, panels);
    } else if (panels >= parts) {
      pool.run(part -> job.compute(0, m, split(panels, parts, part), split(panels, parts, part + 1)));
    } else {
      pool.run(part -> job.compute(
          Math.min(m, split(rowBlocks, parts, part) * MR), Math.min(m, split(rowBlocks, parts, part + 1) * MR),
          0, panels));
    }
  }

  private static int split(final int count, final int parts, final int part) {
    return (int) ((long) count * part / parts);
  }

  private record Job(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] c, int cOff, boolean accumulate) {

    /** Computes C rows [r0, r1) × panels [p0, p1). */
    void compute(final int r0, final int r1, final int p0, final int p1) {
      if (r0 >= r1 || p0 >= p1) {
        return;
      }
      final int ars = transA ? 1 : k;
      final int acs = transA ? m : 1;
      final int rows = r1 - r0;
      // Transposed B is gathered into contiguous panels; so is B when its row stride is a
      // multiple of 4 KB, where reading in place thrashes cache sets.
      final boolean packAll = transB || n % 1024 == 0;
      final boolean tail = n % NR != 0 && p1 == (n + NR - 1) / NR;
      final int packedPanels = packAll ? p1 - p0 : (tail ? 1 : 0);
      final float[] packed = packedPanels == 0 ? null : new float[packedPanels * k * NR];
      for (int pi = p0; pi < p1; pi++) {
        if (packAll) {
          pack(pi, packed, (pi - p0) * k * NR);
        } else if (tail && pi == p1 - 1) {
          pack(pi, packed, 0);
        }
      }
      float[] ctail = null;
      if (tail) {
        ctail = new float[rows * NR];
        if (accumulate) {
          final int j0 = (p1 - 1) * NR;
          for (int i = 0; i < rows; i++) {
            System.arraycopy(c, cOff + (r0 + i) * n + j0, ctail, i * NR, n - j0);
          }
        }
      }
      for (int kb = 0; kb < k; kb += KC) {
        final int kEnd = Math.min(k, kb + KC);
        final boolean load = accumulate || kb > 0;
        for (int pi = p0; pi < p1; pi++) {
          final boolean isTail = tail && pi == p1 - 1;
          final float[] bSrc;
          final int bBase;
          final int ldb;
          if (packAll) {
            bSrc = packed;
            bBase = (pi - p0) * k * NR;
            ldb = NR;
          } else if (isTail) {
            bSrc = packed;
            bBase = 0;
            ldb = NR;
          } else {
            bSrc = b;
            bBase = bOff + pi * NR;
            ldb = n;
          }
          final float[] cDst = isTail ? ctail : c;
          final int ldc = isTail ? NR : n;
          for (int i = r0; i < r1; i += MR) {
            final int cBase = isTail ? (i - r0) * NR : cOff + i * n + pi * NR;
            kernel(Math.min(MR, r1 - i), kb, kEnd, a, aOff + i * ars, ars, acs, bSrc, bBase, ldb, cDst, cBase, ldc,
                load || isTail);
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

    /** Copies panel {@code pi} of op(B) (k × NR, zero beyond column n) to dst. */
    private void pack(final int pi, final float[] dst, final int dstOff) {
      final int j0 = pi * NR;
      final int width = Math.min(NR, n - j0);
      if (transB) {
        for (int jj = 0; jj < width; jj++) {
          final int src = bOff + (j0 + jj) * k;
          for (int p = 0; p < k; p++) {
            dst[dstOff + p * NR + jj] = b[src + p];
          }
        }
      } else {
        for (int p = 0; p < k; p++) {
          System.arraycopy(b, bOff + p * n + j0, dst, dstOff + p * NR, width);
        }
      }
    }
  }

  /**
   * C[rows × NR] (+)= A[rows × (p0..p1)] · B[(p0..p1) × NR]. Rows beyond {@code rows} repeat the
   * last valid row (so the unrolled body stays branch-free) and are never stored.
   */
  private static void kernel(final int rows, final int p0, final int p1, final float[] a, final int aBase,
      final int ars, final int acs, final float[] b, final int bBase, final int ldb, final float[] c,
      final int cBase, final int ldc, final boolean load) {
    final int last = rows - 1;
    final int a0 = aBase;
    final int a1 = aBase + Math.min(1, last) * ars;
    final int a2 = aBase + Math.min(2, last) * ars;
    final int a3 = aBase + Math.min(3, last) * ars;
    final int a4 = aBase + Math.min(4, last) * ars;
    final int a5 = aBase + Math.min(5, last) * ars;
    final int c0 = cBase;
    final int c1 = cBase + Math.min(1, last) * ldc;
    final int c2 = cBase + Math.min(2, last) * ldc;
    final int c3 = cBase + Math.min(3, last) * ldc;
    final int c4 = cBase + Math.min(4, last) * ldc;
    final int c5 = cBase + Math.min(5, last) * ldc;
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
    FloatVector x50;
    FloatVector x51;
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
      x50 = FloatVector.fromArray(S, c, c5);
      x51 = FloatVector.fromArray(S, c, c5 + V);
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
      x50 = z;
      x51 = z;
    }
    for (int p = p0; p < p1; p++) {
      final int bo = bBase + p * ldb;
      final FloatVector b0 = FloatVector.fromArray(S, b, bo);
      final FloatVector b1 = FloatVector.fromArray(S, b, bo + V);
      final int ao = p * acs;
      FloatVector av = FloatVector.broadcast(S, a[a0 + ao]);
      x00 = av.fma(b0, x00);
      x01 = av.fma(b1, x01);
      av = FloatVector.broadcast(S, a[a1 + ao]);
      x10 = av.fma(b0, x10);
      x11 = av.fma(b1, x11);
      av = FloatVector.broadcast(S, a[a2 + ao]);
      x20 = av.fma(b0, x20);
      x21 = av.fma(b1, x21);
      av = FloatVector.broadcast(S, a[a3 + ao]);
      x30 = av.fma(b0, x30);
      x31 = av.fma(b1, x31);
      av = FloatVector.broadcast(S, a[a4 + ao]);
      x40 = av.fma(b0, x40);
      x41 = av.fma(b1, x41);
      av = FloatVector.broadcast(S, a[a5 + ao]);
      x50 = av.fma(b0, x50);
      x51 = av.fma(b1, x51);
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
    if (rows > 5) {
      x50.intoArray(c, c5);
      x51.intoArray(c, c5 + V);
    }
  }
}
