package io.tensorlink.compute.cuda;

import static org.bytedeco.cuda.global.cudnn.CUDNN_DATA_FLOAT;
import static org.bytedeco.cuda.global.cudnn.CUDNN_TENSOR_NCHW;
import static org.bytedeco.cuda.global.cudnn.cudnnCreateTensorDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnDestroyTensorDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnSetTensor4dDescriptor;

import org.bytedeco.cuda.cudnn.cudnnTensorStruct;

/** An NCHW float32 cuDNN tensor descriptor, destroyed on close. */
final class CudnnTensor implements AutoCloseable {

  final cudnnTensorStruct desc = new cudnnTensorStruct();

  CudnnTensor(final int n, final int c, final int h, final int w) {
    Status.cudnn(cudnnCreateTensorDescriptor(desc), "cudnnCreateTensorDescriptor");
    try {
      Status.cudnn(cudnnSetTensor4dDescriptor(desc, CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT, n, c, h, w),
          "cudnnSetTensor4dDescriptor(" + n + "," + c + "," + h + "," + w + ")");
    } catch (CudaException e) {
      close();
      throw e;
    }
  }

  @Override
  public void close() {
    cudnnDestroyTensorDescriptor(desc);
  }
}
