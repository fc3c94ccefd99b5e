package io.tensorlink.bench.compute;

import java.util.List;

/**
 * One benchmarked product {@code C[m×n] = op(A)·op(B)}; the labels match bench/compute/numpy_gemm.py.
 *
 * @param label row label in the table
 */
record GemmShape(String label, boolean transA, boolean transB, int m, int n, int k) {

  /** Square sizes, then the MLP's forward and backward shapes at batch 128. */
  static final List<GemmShape> ALL = List.of(
      new GemmShape("256x256 @ 256x256", false, false, 256, 256, 256),
      new GemmShape("512x512 @ 512x512", false, false, 512, 512, 512),
      new GemmShape("1024x1024 @ 1024x1024", false, false, 1024, 1024, 1024),
      new GemmShape("128x784 @ 784x512", false, false, 128, 512, 784),
      new GemmShape("128x512 @ 512x512", false, false, 128, 512, 512),
      new GemmShape("(128x784)T @ 128x512", true, false, 784, 512, 128),
      new GemmShape("(128x512)T @ 128x512", true, false, 512, 512, 128),
      new GemmShape("128x512 @ (784x512)T", false, true, 128, 784, 512),
      new GemmShape("128x512 @ (512x512)T", false, true, 128, 512, 512));

  double flops() {
    return 2.0 * m * n * k;
  }
}
