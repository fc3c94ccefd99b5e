package io.tensorlink.compute.cuda;

import static org.bytedeco.cuda.global.cublas.CUBLAS_STATUS_SUCCESS;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorString;
import static org.bytedeco.cuda.global.cudart.cudaSuccess;
import static org.bytedeco.cuda.global.cudnn.CUDNN_STATUS_SUCCESS;
import static org.bytedeco.cuda.global.cudnn.cudnnGetErrorString;

/** Turns status codes into {@link CudaException}s naming the call. */
final class Status {

  private Status() {}

  static void cuda(final int status, final String call) {
    if (status != cudaSuccess) {
      throw new CudaException(call + " failed: " + cudaGetErrorString(status).getString() + " (" + status + ")");
    }
  }

  static void cublas(final int status, final String call) {
    if (status != CUBLAS_STATUS_SUCCESS) {
      throw new CudaException(call + " failed with cuBLAS status " + status);
    }
  }

  static void cudnn(final int status, final String call) {
    if (status != CUDNN_STATUS_SUCCESS) {
      throw new CudaException(call + " failed: " + cudnnGetErrorString(status).getString() + " (" + status + ")");
    }
  }
}
