"""OpenBLAS sgemm through numpy, the reference side of bench/compute.sh.

usage: numpy_gemm.py <config label>

Prints `gemm<TAB>label<TAB>GFLOP/s<TAB><TAB><TAB>config` lines with the same labels, shapes and timing
method (warm-up, then the fastest of 7 rounds of ~0.3 s) as io.tensorlink.bench.compute.ComputeBench.
Thread count comes from OPENBLAS_NUM_THREADS, which the script sets before numpy loads.
"""
import sys


import numpy as np

from timing import fastest_seconds_per_call

# label, transA, transB, m, n, k  (C[m x n] = op(A) op(B); A is k x m when transposed, B is n x k)
SHAPES = [
    ("256x256 @ 256x256", False, False, 256, 256, 256),
    ("512x512 @ 512x512", False, False, 512, 512, 512),
    ("1024x1024 @ 1024x1024", False, False, 1024, 1024, 1024),
    ("128x784 @ 784x512", False, False, 128, 512, 784),
    ("128x512 @ 512x512", False, False, 128, 512, 512),
    ("(128x784)T @ 128x512", True, False, 784, 512, 128),
    ("(128x512)T @ 128x512", True, False, 512, 512, 128),
    ("128x512 @ (784x512)T", False, True, 128, 784, 512),
    ("128x512 @ (512x512)T", False, True, 128, 512, 512),
]


def main():
    config = sys.argv[1] if len(sys.argv) > 1 else ""
    rng = np.random.default_rng(1)
    for label, ta, tb, m, n, k in SHAPES:
        a = rng.uniform(-1, 1, (k, m) if ta else (m, k)).astype(np.float32)
        b = rng.uniform(-1, 1, (n, k) if tb else (k, n)).astype(np.float32)
        opa = a.T if ta else a
        opb = b.T if tb else b
        c = np.empty((m, n), dtype=np.float32)
        sec = fastest_seconds_per_call(lambda: np.matmul(opa, opb, out=c))
        print(f"gemm\t{label}\t{2.0 * m * n * k / sec / 1e9:.1f}\t\t\t{config}", flush=True)


if __name__ == "__main__":
    main()
