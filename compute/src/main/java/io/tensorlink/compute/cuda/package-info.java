/**
 * The GPU backend (cuBLAS + cuDNN through bytedeco) and backend selection. Nothing here loads
 * native code until {@link io.tensorlink.compute.cuda.CudaProbe} is asked, so CPU-only builds and
 * runs never need CUDA.
 */
package io.tensorlink.compute.cuda;
