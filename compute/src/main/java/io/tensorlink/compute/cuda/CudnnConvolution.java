package io.tensorlink.compute.cuda;

import static org.bytedeco.cuda.global.cudnn.CUDNN_CROSS_CORRELATION;
import static org.bytedeco.cuda.global.cudnn.CUDNN_DATA_FLOAT;
import static org.bytedeco.cuda.global.cudnn.CUDNN_FMA_MATH;
import static org.bytedeco.cuda.global.cudnn.CUDNN_TENSOR_NCHW;
import static org.bytedeco.cuda.global.cudnn.cudnnCreateConvolutionDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnCreateFilterDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnDestroyConvolutionDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnDestroyFilterDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnSetConvolution2dDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnSetConvolutionMathType;
import static org.bytedeco.cuda.global.cudnn.cudnnSetFilter4dDescriptor;

import io.tensorlink.compute.backend.Conv2dShape;
import org.bytedeco.cuda.cudnn.cudnnConvolutionStruct;
import org.bytedeco.cuda.cudnn.cudnnFilterStruct;

/**
 * The descriptors of one convolution geometry: input, output, bias, filter and the convolution
 * itself (cross-correlation, as PyTorch and the CPU backend compute it; FMA math so Ampere+
 * GPUs do not silently drop to TF32 precision). All destroyed on close.
 */
final class CudnnConvolution implements AutoCloseable {

  final CudnnTensor x;
  final CudnnTensor y;
  final CudnnTensor bias;
  final cudnnFilterStruct filter = new cudnnFilterStruct();
  final cudnnConvolutionStruct conv = new cudnnConvolutionStruct();

  CudnnConvolution(final Conv2dShape s) {
    x = new CudnnTensor(s.batch(), s.inChannels(), s.height(), s.width());
    y = new CudnnTensor(s.batch(), s.outChannels(), s.outHeight(), s.outWidth());
    bias = new CudnnTensor(1, s.outChannels(), 1, 1);
    Status.cudnn(cudnnCreateFilterDescriptor(filter), "cudnnCreateFilterDescriptor");
    Status.cudnn(cudnnCreateConvolutionDescriptor(conv), "cudnnCreateConvolutionDescriptor");
    Status.cudnn(cudnnSetFilter4dDescriptor(filter, CUDNN_DATA_FLOAT, CUDNN_TENSOR_NCHW,
        s.outChannels(), s.inChannels(), s.kernel(), s.kernel()), "cudnnSetFilter4dDescriptor");
    Status.cudnn(cudnnSetConvolution2dDescriptor(conv, s.padding(), s.padding(), s.stride(), s.stride(), 1, 1,
        CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT), "cudnnSetConvolution2dDescriptor");
    Status.cudnn(cudnnSetConvolutionMathType(conv, CUDNN_FMA_MATH), "cudnnSetConvolutionMathType");
  }

  @Override
  public void close() {
    cudnnDestroyConvolutionDescriptor(conv);
    cudnnDestroyFilterDescriptor(filter);
    bias.close();
    y.close();
    x.close();
  }
}
