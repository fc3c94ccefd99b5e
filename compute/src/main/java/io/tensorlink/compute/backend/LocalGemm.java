package io.tensorlink.compute.backend;

/**
 * A GEMM with {@link Backend#gemm}'s contract (same arguments, same canonical fma chain), run
 * where the caller says: on the calling thread with one chunk's scratch inside a parallel phase,
 * or as the backend's own (parallel) GEMM.
 */
@FunctionalInterface
interface LocalGemm {
  void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] c, int cOff, boolean accumulate);
}
