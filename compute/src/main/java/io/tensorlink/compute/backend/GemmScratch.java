package io.tensorlink.compute.backend;

/**
 * Packing buffers reused across GEMM calls, one set per pool thread (a thread runs one chunk at a
 * time). Allocating them per call made each thread allocate hundreds of MB/s, and the
 * resulting collections stalled both threads. Contents are scratch: every use overwrites what it
 * reads.
 */
final class GemmScratch {
  private final float[][] packedA;
  private final float[][] packedB;
  private float[] transposed;

  GemmScratch(final int parts) {
    packedA = new float[parts][];
    packedB = new float[parts][];
  }

  float[] packedA(final int part, final int size) {
    return atLeast(packedA, part, size);
  }

  float[] packedB(final int part, final int size) {
    return atLeast(packedB, part, size);
  }

  private static float[] atLeast(final float[][] buffers, final int part, final int size) {
    if (buffers[part] == null || buffers[part].length < size) {
      buffers[part] = new float[size];
    }
    return buffers[part];
  }

  /** Cᵀ for the transposed-product path; the parts of one call write disjoint slices of it. */
  float[] transposed(final int size) {
    if (transposed == null || transposed.length < size) {
      transposed = new float[size];
    }
    return transposed;
  }
}
