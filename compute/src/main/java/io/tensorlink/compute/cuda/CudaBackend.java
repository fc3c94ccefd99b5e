package io.tensorlink.compute.cuda;

import static org.bytedeco.cuda.global.cublas.CUBLAS_DEFAULT_MATH;
import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_N;
import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_T;
import static org.bytedeco.cuda.global.cublas.cublasCreate_v2;
import static org.bytedeco.cuda.global.cublas.cublasDestroy_v2;
import static org.bytedeco.cuda.global.cublas.cublasSetMathMode;
import static org.bytedeco.cuda.global.cublas.cublasSgemm_v2;
import static org.bytedeco.cuda.global.cudart.cudaDeviceSynchronize;
import static org.bytedeco.cuda.global.cudart.cudaSetDevice;
import static org.bytedeco.cuda.global.cudnn.CUDNN_ACTIVATION_RELU;
import static org.bytedeco.cuda.global.cudnn.CUDNN_ACTIVATION_TANH;
import static org.bytedeco.cuda.global.cudnn.CUDNN_CONVOLUTION_BWD_DATA_ALGO_1;
import static org.bytedeco.cuda.global.cudnn.CUDNN_CONVOLUTION_BWD_FILTER_ALGO_1;
import static org.bytedeco.cuda.global.cudnn.CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_GEMM;
import static org.bytedeco.cuda.global.cudnn.CUDNN_NOT_PROPAGATE_NAN;
import static org.bytedeco.cuda.global.cudnn.CUDNN_SOFTMAX_ACCURATE;
import static org.bytedeco.cuda.global.cudnn.CUDNN_SOFTMAX_MODE_CHANNEL;
import static org.bytedeco.cuda.global.cudnn.cudnnActivationBackward;
import static org.bytedeco.cuda.global.cudnn.cudnnActivationForward;
import static org.bytedeco.cuda.global.cudnn.cudnnAddTensor;
import static org.bytedeco.cuda.global.cudnn.cudnnConvolutionBackwardBias;
import static org.bytedeco.cuda.global.cudnn.cudnnConvolutionBackwardData;
import static org.bytedeco.cuda.global.cudnn.cudnnConvolutionBackwardFilter;
import static org.bytedeco.cuda.global.cudnn.cudnnConvolutionForward;
import static org.bytedeco.cuda.global.cudnn.cudnnCreate;
import static org.bytedeco.cuda.global.cudnn.cudnnCreateActivationDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnDestroy;
import static org.bytedeco.cuda.global.cudnn.cudnnDestroyActivationDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnGetConvolutionBackwardDataWorkspaceSize;
import static org.bytedeco.cuda.global.cudnn.cudnnGetConvolutionBackwardFilterWorkspaceSize;
import static org.bytedeco.cuda.global.cudnn.cudnnGetConvolutionForwardWorkspaceSize;
import static org.bytedeco.cuda.global.cudnn.cudnnSetActivationDescriptor;
import static org.bytedeco.cuda.global.cudnn.cudnnSoftmaxForward;

import io.tensorlink.compute.backend.Activation;
import io.tensorlink.compute.backend.AttentionShape;
import io.tensorlink.compute.backend.Backend;
import io.tensorlink.compute.backend.Conv2dShape;
import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.backend.RangeBody;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudnn.cudnnActivationStruct;
import org.bytedeco.cuda.cudnn.cudnnContext;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * A {@link Backend} on one NVIDIA GPU: GEMM through cuBLAS; convolution, ReLU/tanh and softmax
 * through cuDNN. GELU, the attention core and everything layers run through {@link #parallelFor} stay on the host
 * {@link CpuBackend}. The {@link Backend} contract passes host arrays, so each call copies its
 * operands to device buffers from a {@link DeviceArena} and the results back; the arena, the
 * cuBLAS/cuDNN handles and the host backend are freed by {@link #close()}.
 *
 * <p>Results are close to, not bitwise equal to, the CPU backend's (different summation order);
 * steps computed here are verified in the tolerant mode. Not thread-safe.
 */
public final class CudaBackend implements Backend {

  private static final int SLOT_A = 0;
  private static final int SLOT_B = 1;
  private static final int SLOT_C = 2;
  private static final int SLOT_D = 3;
  private static final int SLOT_WORKSPACE = 4;

  private final int device;
  private final CpuBackend host;
  private final cublasContext cublas = new cublasContext();
  private final cudnnContext cudnn = new cudnnContext();
  private final DeviceArena arena = new DeviceArena(5);
  private final FloatPointer one = new FloatPointer(1f);
  private final FloatPointer zero = new FloatPointer(0f);
  private boolean closed;

  /**
   * Opens {@code device}; {@code host} runs the host-side work and is closed with this backend.
   * Use {@link Backends#select} to get one only when a GPU is present.
   */
  public CudaBackend(final int device, final CpuBackend host) {
    this.device = device;
    this.host = host;
    Status.cuda(cudaSetDevice(device), "cudaSetDevice(" + device + ")");
    Status.cublas(cublasCreate_v2(cublas), "cublasCreate");
    // Default math keeps FP32 sgemm in FP32 (no TF32 tensor-core shortcut).
    Status.cublas(cublasSetMathMode(cublas, CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
    Status.cudnn(cudnnCreate(cudnn), "cudnnCreate");
  }

  @Override
  public String name() {
    return "cuda:" + device;
  }

  @Override
  public void gemm(final boolean transA, final boolean transB, final int m, final int n, final int k,
      final float[] a, final int aOff, final float[] b, final int bOff, final float[] c, final int cOff,
      final boolean accumulate) {
    if (m == 0 || n == 0) {
      return;
    }
    final DeviceBuffer da = arena.get(SLOT_A, (long) m * k);
    final DeviceBuffer db = arena.get(SLOT_B, (long) k * n);
    final DeviceBuffer dc = arena.get(SLOT_C, (long) m * n);
    da.upload(a, aOff, m * k);
    db.upload(b, bOff, k * n);
    if (accumulate) {
      dc.upload(c, cOff, m * n);
    }
    // cuBLAS is column-major and a row-major matrix is its transpose there, so compute
    // Cᵀ (n×m) = op(B)ᵀ · op(A)ᵀ with the operands swapped.
    Status.cublas(cublasSgemm_v2(cublas,
        transB ? CUBLAS_OP_T : CUBLAS_OP_N, transA ? CUBLAS_OP_T : CUBLAS_OP_N,
        n, m, k, one,
        db.pointer(), transB ? k : n,
        da.pointer(), transA ? m : k,
        accumulate ? one : zero, dc.pointer(), n), "cublasSgemm " + m + "x" + n + "x" + k);
    dc.download(c, cOff, m * n);
  }

  @Override
  public void parallelFor(final int count, final RangeBody body) {
    host.parallelFor(count, body);
  }

  /** On the host, whose vector tanh gives StrictMath's bits. */
  @Override
  public void geluForward(final float[] x, final float[] y, final double[] tanh, final int n) {
    host.geluForward(x, y, tanh, n);
  }

  /** On the host: a pair's GEMMs are too small to pay for the copies to the device. */
  @Override
  public void attentionForward(final AttentionShape s, final float[] qkv, final float[] att, final float[] out) {
    host.attentionForward(s, qkv, att, out);
  }

  @Override
  public void attentionBackward(final AttentionShape s, final float[] qkv, final float[] att, final float[] dout,
      final float[] dqkv) {
    host.attentionBackward(s, qkv, att, dout, dqkv);
  }

  @Override
  public void activationForward(final Activation act, final float[] x, final float[] y, final int n) {
    final int mode = cudnnMode(act);
    if (mode < 0 || n == 0) {
      Backend.super.activationForward(act, x, y, n);
      return;
    }
    final DeviceBuffer dx = arena.get(SLOT_A, n);
    final DeviceBuffer dy = arena.get(SLOT_B, n);
    dx.upload(x, 0, n);
    try (CudnnTensor t = new CudnnTensor(1, 1, 1, n); ActivationDesc a = new ActivationDesc(mode)) {
      Status.cudnn(cudnnActivationForward(cudnn, a.desc, one, t.desc, dx.pointer(), zero, t.desc, dy.pointer()),
          "cudnnActivationForward " + act);
    }
    dy.download(y, 0, n);
  }

  @Override
  public void activationBackward(final Activation act, final float[] x, final float[] dy, final float[] dx,
      final int n) {
    final int mode = cudnnMode(act);
    if (mode < 0 || n == 0) {
      Backend.super.activationBackward(act, x, dy, dx, n);
      return;
    }
    final DeviceBuffer bx = arena.get(SLOT_A, n);
    final DeviceBuffer by = arena.get(SLOT_B, n);
    final DeviceBuffer bdy = arena.get(SLOT_C, n);
    final DeviceBuffer bdx = arena.get(SLOT_D, n);
    bx.upload(x, 0, n);
    bdy.upload(dy, 0, n);
    try (CudnnTensor t = new CudnnTensor(1, 1, 1, n); ActivationDesc a = new ActivationDesc(mode)) {
      // cuDNN's backward wants the forward output as well as the input.
      Status.cudnn(cudnnActivationForward(cudnn, a.desc, one, t.desc, bx.pointer(), zero, t.desc, by.pointer()),
          "cudnnActivationForward " + act);
      Status.cudnn(cudnnActivationBackward(cudnn, a.desc, one, t.desc, by.pointer(), t.desc, bdy.pointer(),
          t.desc, bx.pointer(), zero, t.desc, bdx.pointer()), "cudnnActivationBackward " + act);
    }
    bdx.download(dx, 0, n);
  }

  @Override
  public void softmaxRows(final float[] x, final float[] y, final int rows, final int cols) {
    final int n = rows * cols;
    if (n == 0) {
      return;
    }
    final DeviceBuffer dx = arena.get(SLOT_A, n);
    final DeviceBuffer dy = arena.get(SLOT_B, n);
    dx.upload(x, 0, n);
    try (CudnnTensor t = new CudnnTensor(rows, cols, 1, 1)) {
      Status.cudnn(cudnnSoftmaxForward(cudnn, CUDNN_SOFTMAX_ACCURATE, CUDNN_SOFTMAX_MODE_CHANNEL,
          one, t.desc, dx.pointer(), zero, t.desc, dy.pointer()), "cudnnSoftmaxForward " + rows + "x" + cols);
    }
    dy.download(y, 0, n);
  }

  @Override
  public void conv2dForward(final Conv2dShape s, final float[] x, final float[] w, final float[] bias,
      final float[] y) {
    final DeviceBuffer dx = arena.get(SLOT_A, s.inputSize());
    final DeviceBuffer dw = arena.get(SLOT_B, s.weightSize());
    final DeviceBuffer dy = arena.get(SLOT_C, s.outputSize());
    dx.upload(x, 0, s.inputSize());
    dw.upload(w, 0, s.weightSize());
    try (CudnnConvolution c = new CudnnConvolution(s); SizeTPointer bytes = new SizeTPointer(1)) {
      Status.cudnn(cudnnGetConvolutionForwardWorkspaceSize(cudnn, c.x.desc, c.filter, c.conv, c.y.desc,
          CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_GEMM, bytes), "cudnnGetConvolutionForwardWorkspaceSize");
      final DeviceBuffer ws = workspace(bytes.get());
      Status.cudnn(cudnnConvolutionForward(cudnn, one, c.x.desc, dx.pointer(), c.filter, dw.pointer(), c.conv,
          CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_GEMM, ws.pointer(), ws.capacity() * Float.BYTES, zero, c.y.desc,
          dy.pointer()), "cudnnConvolutionForward " + s);
      if (bias != null) {
        final DeviceBuffer db = arena.get(SLOT_D, s.outChannels());
        db.upload(bias, 0, s.outChannels());
        Status.cudnn(cudnnAddTensor(cudnn, one, c.bias.desc, db.pointer(), one, c.y.desc, dy.pointer()),
            "cudnnAddTensor (conv bias)");
      }
    }
    dy.download(y, 0, s.outputSize());
  }

  @Override
  public void conv2dBackward(final Conv2dShape s, final float[] x, final float[] w, final float[] dy,
      final float[] dx, final float[] dw, final float[] dbias) {
    final DeviceBuffer bx = arena.get(SLOT_A, s.inputSize());
    final DeviceBuffer bw = arena.get(SLOT_B, s.weightSize());
    final DeviceBuffer bdy = arena.get(SLOT_C, s.outputSize());
    bx.upload(x, 0, s.inputSize());
    bdy.upload(dy, 0, s.outputSize());
    try (CudnnConvolution c = new CudnnConvolution(s); SizeTPointer bytes = new SizeTPointer(1)) {
      if (dbias != null) {
        // SLOT_D is free until the data gradient below, so the bias gradient goes there first.
        final DeviceBuffer bdb = arena.get(SLOT_D, s.outChannels());
        Status.cudnn(cudnnConvolutionBackwardBias(cudnn, one, c.y.desc, bdy.pointer(), zero, c.bias.desc,
            bdb.pointer()), "cudnnConvolutionBackwardBias");
        bdb.download(dbias, 0, s.outChannels());
      }
      Status.cudnn(cudnnGetConvolutionBackwardFilterWorkspaceSize(cudnn, c.x.desc, c.y.desc, c.conv, c.filter,
          CUDNN_CONVOLUTION_BWD_FILTER_ALGO_1, bytes), "cudnnGetConvolutionBackwardFilterWorkspaceSize");
      DeviceBuffer ws = workspace(bytes.get());
      Status.cudnn(cudnnConvolutionBackwardFilter(cudnn, one, c.x.desc, bx.pointer(), c.y.desc, bdy.pointer(),
          c.conv, CUDNN_CONVOLUTION_BWD_FILTER_ALGO_1, ws.pointer(), ws.capacity() * Float.BYTES, zero, c.filter,
          bw.pointer()), "cudnnConvolutionBackwardFilter " + s);
      bw.download(dw, 0, s.weightSize());
      if (dx != null) {
        bw.upload(w, 0, s.weightSize());
        final DeviceBuffer bdx = arena.get(SLOT_D, s.inputSize());
        Status.cudnn(cudnnGetConvolutionBackwardDataWorkspaceSize(cudnn, c.filter, c.y.desc, c.conv, c.x.desc,
            CUDNN_CONVOLUTION_BWD_DATA_ALGO_1, bytes), "cudnnGetConvolutionBackwardDataWorkspaceSize");
        ws = workspace(bytes.get());
        Status.cudnn(cudnnConvolutionBackwardData(cudnn, one, c.filter, bw.pointer(), c.y.desc, bdy.pointer(),
            c.conv, CUDNN_CONVOLUTION_BWD_DATA_ALGO_1, ws.pointer(), ws.capacity() * Float.BYTES, zero, c.x.desc,
            bdx.pointer()), "cudnnConvolutionBackwardData " + s);
        bdx.download(dx, 0, s.inputSize());
      }
    }
  }

  /** Waits for queued device work (the copies above already synchronize; this is for timing). */
  public void synchronize() {
    Status.cuda(cudaDeviceSynchronize(), "cudaDeviceSynchronize");
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    arena.close();
    cudnnDestroy(cudnn);
    cublasDestroy_v2(cublas);
    one.deallocate();
    zero.deallocate();
    host.close();
  }

  private DeviceBuffer workspace(final long bytes) {
    return arena.get(SLOT_WORKSPACE, (bytes + Float.BYTES - 1) / Float.BYTES);
  }

  /** The cuDNN activation mode, or -1 where cuDNN has none (GELU runs on the host). */
  private static int cudnnMode(final Activation act) {
    return switch (act) {
      case RELU -> CUDNN_ACTIVATION_RELU;
      case TANH -> CUDNN_ACTIVATION_TANH;
      case GELU -> -1;
    };
  }

  /** A cuDNN activation descriptor, destroyed on close. */
  private static final class ActivationDesc implements AutoCloseable {
    final cudnnActivationStruct desc = new cudnnActivationStruct();

    ActivationDesc(final int mode) {
      Status.cudnn(cudnnCreateActivationDescriptor(desc), "cudnnCreateActivationDescriptor");
      Status.cudnn(cudnnSetActivationDescriptor(desc, mode, CUDNN_NOT_PROPAGATE_NAN, 0.0),
          "cudnnSetActivationDescriptor");
    }

    @Override
    public void close() {
      cudnnDestroyActivationDescriptor(desc);
    }
  }
}
