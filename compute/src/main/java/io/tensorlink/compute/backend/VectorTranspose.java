package io.tensorlink.compute.backend;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Transposing copies for GEMM packing (the B of A·Bᵀ, the A of Aᵀ·B, and Cᵀ in and out of the
 * swapped path).
 * Data movement only: no arithmetic, so no bits depend on the path taken.
 *
 * <p>Full V × V blocks go through registers: V row loads, log2(V) butterfly stages of two-input
 * lane shuffles (stage b swaps blocks of b lanes between rows i and i + b), V column stores. The
 * columns left over gather V rows' elements of one column into one vector store; leftover rows
 * move a float at a time.
 */
final class VectorTranspose {
  private static final VectorSpecies<Float> S = VectorGemm.S;
  private static final int V = VectorGemm.V;
  /** Row i's new lanes at stage b: its own where lane & b is 0, else row i + b's lane − b. */
  private static final VectorShuffle<Float> LO1 = lo(1);
  private static final VectorShuffle<Float> LO2 = lo(2);
  private static final VectorShuffle<Float> LO4 = lo(4);
  private static final VectorShuffle<Float> LO8 = lo(8);
  /** Row i + b's new lanes at stage b: row i's lane + b where lane & b is 0, else its own. */
  private static final VectorShuffle<Float> HI1 = hi(1);
  private static final VectorShuffle<Float> HI2 = hi(2);
  private static final VectorShuffle<Float> HI4 = hi(4);
  private static final VectorShuffle<Float> HI8 = hi(8);

  private VectorTranspose() {}

  // In a two-vector rearrange, index I − V (negative) selects lane I of the second vector.
  private static VectorShuffle<Float> lo(final int b) {
    return VectorShuffle.fromOp(S, l -> (l & b) == 0 ? l : l - b - S.length());
  }

  // Stages with b >= V never run; the clamp only keeps their (unused) indexes valid.
  private static VectorShuffle<Float> hi(final int b) {
    return VectorShuffle.fromOp(S, l -> (l & b) == 0 ? Math.min(l + b, S.length() - 1) : l - S.length());
  }

  /** dst[c · dstStride + r] = src[r · srcStride + c] for r < rows, c < cols. */
  static void copy(final float[] src, final int srcOff, final int srcStride, final float[] dst, final int dstOff,
      final int dstStride, final int rows, final int cols) {
    int r = 0;
    if (rows >= V) {
      final int[] lanes = new int[V];
      for (int l = 0; l < V; l++) {
        lanes[l] = l * srcStride;
      }
      for (; r + V <= rows; r += V) {
        final int s0 = srcOff + r * srcStride;
        final int d0 = dstOff + r;
        int c = 0;
        if (V == 16) {
          for (; c + V <= cols; c += V) {
            block16(src, s0 + c, srcStride, dst, d0 + c * dstStride, dstStride);
          }
        } else if (V == 8) {
          for (; c + V <= cols; c += V) {
            block8(src, s0 + c, srcStride, dst, d0 + c * dstStride, dstStride);
          }
        } else if (V == 4) {
          for (; c + V <= cols; c += V) {
            block4(src, s0 + c, srcStride, dst, d0 + c * dstStride, dstStride);
          }
        }
        for (; c < cols; c++) {
          FloatVector.fromArray(S, src, s0 + c, lanes, 0).intoArray(dst, d0 + c * dstStride);
        }
      }
    }
    for (; r < rows; r++) {
      final int s0 = srcOff + r * srcStride;
      for (int c = 0; c < cols; c++) {
        dst[dstOff + c * dstStride + r] = src[s0 + c];
      }
    }
  }

  /** One 16 × 16 block (only called with 16 lanes), unrolled so every vector stays in a register. */
  private static void block16(final float[] src, final int s0, final int srcStride, final float[] dst, final int d0,
      final int dstStride) {
    final FloatVector x0 = FloatVector.fromArray(S, src, s0);
    final FloatVector x1 = FloatVector.fromArray(S, src, s0 + srcStride);
    final FloatVector x2 = FloatVector.fromArray(S, src, s0 + 2 * srcStride);
    final FloatVector x3 = FloatVector.fromArray(S, src, s0 + 3 * srcStride);
    final FloatVector x4 = FloatVector.fromArray(S, src, s0 + 4 * srcStride);
    final FloatVector x5 = FloatVector.fromArray(S, src, s0 + 5 * srcStride);
    final FloatVector x6 = FloatVector.fromArray(S, src, s0 + 6 * srcStride);
    final FloatVector x7 = FloatVector.fromArray(S, src, s0 + 7 * srcStride);
    final FloatVector x8 = FloatVector.fromArray(S, src, s0 + 8 * srcStride);
    final FloatVector x9 = FloatVector.fromArray(S, src, s0 + 9 * srcStride);
    final FloatVector x10 = FloatVector.fromArray(S, src, s0 + 10 * srcStride);
    final FloatVector x11 = FloatVector.fromArray(S, src, s0 + 11 * srcStride);
    final FloatVector x12 = FloatVector.fromArray(S, src, s0 + 12 * srcStride);
    final FloatVector x13 = FloatVector.fromArray(S, src, s0 + 13 * srcStride);
    final FloatVector x14 = FloatVector.fromArray(S, src, s0 + 14 * srcStride);
    final FloatVector x15 = FloatVector.fromArray(S, src, s0 + 15 * srcStride);
    // stage 1: rows i and i + 1 (i & 1 == 0) trade single lanes
    final FloatVector t0 = x0.rearrange(LO1, x1);
    final FloatVector t1 = x0.rearrange(HI1, x1);
    final FloatVector t2 = x2.rearrange(LO1, x3);
    final FloatVector t3 = x2.rearrange(HI1, x3);
    final FloatVector t4 = x4.rearrange(LO1, x5);
    final FloatVector t5 = x4.rearrange(HI1, x5);
    final FloatVector t6 = x6.rearrange(LO1, x7);
    final FloatVector t7 = x6.rearrange(HI1, x7);
    final FloatVector t8 = x8.rearrange(LO1, x9);
    final FloatVector t9 = x8.rearrange(HI1, x9);
    final FloatVector t10 = x10.rearrange(LO1, x11);
    final FloatVector t11 = x10.rearrange(HI1, x11);
    final FloatVector t12 = x12.rearrange(LO1, x13);
    final FloatVector t13 = x12.rearrange(HI1, x13);
    final FloatVector t14 = x14.rearrange(LO1, x15);
    final FloatVector t15 = x14.rearrange(HI1, x15);
    // stage 2: rows i and i + 2 (i & 2 == 0) trade blocks of 2 lanes
    final FloatVector u0 = t0.rearrange(LO2, t2);
    final FloatVector u2 = t0.rearrange(HI2, t2);
    final FloatVector u1 = t1.rearrange(LO2, t3);
    final FloatVector u3 = t1.rearrange(HI2, t3);
    final FloatVector u4 = t4.rearrange(LO2, t6);
    final FloatVector u6 = t4.rearrange(HI2, t6);
    final FloatVector u5 = t5.rearrange(LO2, t7);
    final FloatVector u7 = t5.rearrange(HI2, t7);
    final FloatVector u8 = t8.rearrange(LO2, t10);
    final FloatVector u10 = t8.rearrange(HI2, t10);
    final FloatVector u9 = t9.rearrange(LO2, t11);
    final FloatVector u11 = t9.rearrange(HI2, t11);
    final FloatVector u12 = t12.rearrange(LO2, t14);
    final FloatVector u14 = t12.rearrange(HI2, t14);
    final FloatVector u13 = t13.rearrange(LO2, t15);
    final FloatVector u15 = t13.rearrange(HI2, t15);
    // stage 3: rows i and i + 4 (i & 4 == 0) trade blocks of 4 lanes
    final FloatVector v0 = u0.rearrange(LO4, u4);
    final FloatVector v4 = u0.rearrange(HI4, u4);
    final FloatVector v1 = u1.rearrange(LO4, u5);
    final FloatVector v5 = u1.rearrange(HI4, u5);
    final FloatVector v2 = u2.rearrange(LO4, u6);
    final FloatVector v6 = u2.rearrange(HI4, u6);
    final FloatVector v3 = u3.rearrange(LO4, u7);
    final FloatVector v7 = u3.rearrange(HI4, u7);
    final FloatVector v8 = u8.rearrange(LO4, u12);
    final FloatVector v12 = u8.rearrange(HI4, u12);
    final FloatVector v9 = u9.rearrange(LO4, u13);
    final FloatVector v13 = u9.rearrange(HI4, u13);
    final FloatVector v10 = u10.rearrange(LO4, u14);
    final FloatVector v14 = u10.rearrange(HI4, u14);
    final FloatVector v11 = u11.rearrange(LO4, u15);
    final FloatVector v15 = u11.rearrange(HI4, u15);
    // stage 4: rows i and i + 8 (i & 8 == 0) trade blocks of 8 lanes
    final FloatVector w0 = v0.rearrange(LO8, v8);
    final FloatVector w8 = v0.rearrange(HI8, v8);
    final FloatVector w1 = v1.rearrange(LO8, v9);
    final FloatVector w9 = v1.rearrange(HI8, v9);
    final FloatVector w2 = v2.rearrange(LO8, v10);
    final FloatVector w10 = v2.rearrange(HI8, v10);
    final FloatVector w3 = v3.rearrange(LO8, v11);
    final FloatVector w11 = v3.rearrange(HI8, v11);
    final FloatVector w4 = v4.rearrange(LO8, v12);
    final FloatVector w12 = v4.rearrange(HI8, v12);
    final FloatVector w5 = v5.rearrange(LO8, v13);
    final FloatVector w13 = v5.rearrange(HI8, v13);
    final FloatVector w6 = v6.rearrange(LO8, v14);
    final FloatVector w14 = v6.rearrange(HI8, v14);
    final FloatVector w7 = v7.rearrange(LO8, v15);
    final FloatVector w15 = v7.rearrange(HI8, v15);
    w0.intoArray(dst, d0);
    w1.intoArray(dst, d0 + dstStride);
    w2.intoArray(dst, d0 + 2 * dstStride);
    w3.intoArray(dst, d0 + 3 * dstStride);
    w4.intoArray(dst, d0 + 4 * dstStride);
    w5.intoArray(dst, d0 + 5 * dstStride);
    w6.intoArray(dst, d0 + 6 * dstStride);
    w7.intoArray(dst, d0 + 7 * dstStride);
    w8.intoArray(dst, d0 + 8 * dstStride);
    w9.intoArray(dst, d0 + 9 * dstStride);
    w10.intoArray(dst, d0 + 10 * dstStride);
    w11.intoArray(dst, d0 + 11 * dstStride);
    w12.intoArray(dst, d0 + 12 * dstStride);
    w13.intoArray(dst, d0 + 13 * dstStride);
    w14.intoArray(dst, d0 + 14 * dstStride);
    w15.intoArray(dst, d0 + 15 * dstStride);
  }

  /** One 8 × 8 block (only called with 8 lanes), unrolled like {@link #block16}. */
  private static void block8(final float[] src, final int s0, final int srcStride, final float[] dst, final int d0,
      final int dstStride) {
    final FloatVector x0 = FloatVector.fromArray(S, src, s0);
    final FloatVector x1 = FloatVector.fromArray(S, src, s0 + srcStride);
    final FloatVector x2 = FloatVector.fromArray(S, src, s0 + 2 * srcStride);
    final FloatVector x3 = FloatVector.fromArray(S, src, s0 + 3 * srcStride);
    final FloatVector x4 = FloatVector.fromArray(S, src, s0 + 4 * srcStride);
    final FloatVector x5 = FloatVector.fromArray(S, src, s0 + 5 * srcStride);
    final FloatVector x6 = FloatVector.fromArray(S, src, s0 + 6 * srcStride);
    final FloatVector x7 = FloatVector.fromArray(S, src, s0 + 7 * srcStride);
    // stage 1: rows i and i + 1 (i & 1 == 0) trade single lanes
    final FloatVector t0 = x0.rearrange(LO1, x1);
    final FloatVector t1 = x0.rearrange(HI1, x1);
    final FloatVector t2 = x2.rearrange(LO1, x3);
    final FloatVector t3 = x2.rearrange(HI1, x3);
    final FloatVector t4 = x4.rearrange(LO1, x5);
    final FloatVector t5 = x4.rearrange(HI1, x5);
    final FloatVector t6 = x6.rearrange(LO1, x7);
    final FloatVector t7 = x6.rearrange(HI1, x7);
    // stage 2: rows i and i + 2 (i & 2 == 0) trade blocks of 2 lanes
    final FloatVector u0 = t0.rearrange(LO2, t2);
    final FloatVector u2 = t0.rearrange(HI2, t2);
    final FloatVector u1 = t1.rearrange(LO2, t3);
    final FloatVector u3 = t1.rearrange(HI2, t3);
    final FloatVector u4 = t4.rearrange(LO2, t6);
    final FloatVector u6 = t4.rearrange(HI2, t6);
    final FloatVector u5 = t5.rearrange(LO2, t7);
    final FloatVector u7 = t5.rearrange(HI2, t7);
    // stage 3: rows i and i + 4 (i & 4 == 0) trade blocks of 4 lanes
    final FloatVector v0 = u0.rearrange(LO4, u4);
    final FloatVector v4 = u0.rearrange(HI4, u4);
    final FloatVector v1 = u1.rearrange(LO4, u5);
    final FloatVector v5 = u1.rearrange(HI4, u5);
    final FloatVector v2 = u2.rearrange(LO4, u6);
    final FloatVector v6 = u2.rearrange(HI4, u6);
    final FloatVector v3 = u3.rearrange(LO4, u7);
    final FloatVector v7 = u3.rearrange(HI4, u7);
    v0.intoArray(dst, d0);
    v1.intoArray(dst, d0 + dstStride);
    v2.intoArray(dst, d0 + 2 * dstStride);
    v3.intoArray(dst, d0 + 3 * dstStride);
    v4.intoArray(dst, d0 + 4 * dstStride);
    v5.intoArray(dst, d0 + 5 * dstStride);
    v6.intoArray(dst, d0 + 6 * dstStride);
    v7.intoArray(dst, d0 + 7 * dstStride);
  }

  /** One 4 × 4 block (only called with 4 lanes), unrolled like {@link #block16}. */
  private static void block4(final float[] src, final int s0, final int srcStride, final float[] dst, final int d0,
      final int dstStride) {
    final FloatVector x0 = FloatVector.fromArray(S, src, s0);
    final FloatVector x1 = FloatVector.fromArray(S, src, s0 + srcStride);
    final FloatVector x2 = FloatVector.fromArray(S, src, s0 + 2 * srcStride);
    final FloatVector x3 = FloatVector.fromArray(S, src, s0 + 3 * srcStride);
    // stage 1: rows i and i + 1 (i & 1 == 0) trade single lanes
    final FloatVector t0 = x0.rearrange(LO1, x1);
    final FloatVector t1 = x0.rearrange(HI1, x1);
    final FloatVector t2 = x2.rearrange(LO1, x3);
    final FloatVector t3 = x2.rearrange(HI1, x3);
    // stage 2: rows i and i + 2 (i & 2 == 0) trade blocks of 2 lanes
    final FloatVector u0 = t0.rearrange(LO2, t2);
    final FloatVector u2 = t0.rearrange(HI2, t2);
    final FloatVector u1 = t1.rearrange(LO2, t3);
    final FloatVector u3 = t1.rearrange(HI2, t3);
    u0.intoArray(dst, d0);
    u1.intoArray(dst, d0 + dstStride);
    u2.intoArray(dst, d0 + 2 * dstStride);
    u3.intoArray(dst, d0 + 3 * dstStride);
  }
}
