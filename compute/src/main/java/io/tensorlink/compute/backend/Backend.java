package io.tensorlink.compute.backend;

/**
 * The numeric primitives layers are built from. Arrays are row-major float32; every method
 * writes only its output arguments.
 *
 * <p>On {@link CpuBackend} every method is bitwise deterministic regardless of thread count or
 * SIMD width (see compute/README.md). Other backends (CUDA) need only be close, and steps on them
 * are verified in tolerant mode.
 *
 * <p>A backend owns resources (threads, device memory): close it. Instances are used by one
 * training thread at a time.
 */
public interface Backend extends AutoCloseable {

  /** A short identifier such as {@code cpu} or {@code cuda}. */
  String name();

  /**
   * General matrix multiply: {@code C[m×n] = op(A)[m×k] · op(B)[k×n]}, plus the old C when
   * {@code accumulate}.
   *
   * <p>{@code A} is stored m×k row-major, or k×m when {@code transA}; {@code B} is stored k×n, or
   * n×k when {@code transB}; {@code C} is m×n. Each element of C is the fused multiply-add chain
   * over p = 0..k-1 in increasing order starting from 0 (or from the old C value).
   */
  void gemm(boolean transA, boolean transB, int m, int n, int k,
      float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, boolean accumulate);

  /** Splits {@code [0, count)} into contiguous ranges and runs them, possibly in parallel. */
  void parallelFor(int count, RangeBody body);

  /** {@code y[i] = act(x[i])} for i in [0, n). */
  default void activationForward(final Activation act, final float[] x, final float[] y, final int n) {
    parallelFor(n, (from, to) -> act.forward(x, y, from, to));
  }

  /** {@code dx[i] = act'(x[i]) * dy[i]} for i in [0, n) (assigns, does not accumulate). */
  default void activationBackward(final Activation act, final float[] x, final float[] dy, final float[] dx,
      final int n) {
    parallelFor(n, (from, to) -> act.backward(x, dy, dx, from, to));
  }

  /**
   * GELU over [0, n) that also keeps each element's tanh for {@link #geluBackward} (bits of
   * {@link Activation#GELU}).
   */
  default void geluForward(final float[] x, final float[] y, final double[] tanh, final int n) {
    parallelFor(n, (from, to) -> Activation.geluForward(x, y, tanh, from, to));
  }

  /** {@code dx[i] = GELU'(x[i]) * dy[i]} from the tanh values {@link #geluForward} kept. */
  default void geluBackward(final float[] x, final double[] tanh, final float[] dy, final float[] dx, final int n) {
    parallelFor(n, (from, to) -> Activation.geluBackward(x, tanh, dy, dx, from, to));
  }

  /** Row-wise softmax of a rows×cols matrix (max-subtracted, StrictMath.exp, sums in column order). */
  default void softmaxRows(final float[] x, final float[] y, final int rows, final int cols) {
    parallelFor(rows, (from, to) -> Softmax.rows(x, y, from, to, cols));
  }

  /**
   * Convolution forward: {@code y[N,O,OH,OW] = conv(x[N,C,H,W], w[O,C,K,K]) + bias[O]} (bias may
   * be null). The default lowers it to im2col + GEMM.
   */
  default void conv2dForward(final Conv2dShape s, final float[] x, final float[] w, final float[] bias,
      final float[] y) {
    Im2colConvolution.forward(this, s, x, w, bias, y);
  }

  /**
   * Convolution backward. Assigns {@code dw[O,C,K,K]}, {@code dbias[O]} (if non-null) and
   * {@code dx[N,C,H,W]} (if non-null; the first layer needs no input gradient).
   */
  default void conv2dBackward(final Conv2dShape s, final float[] x, final float[] w, final float[] dy,
      final float[] dx, final float[] dw, final float[] dbias) {
    Im2colConvolution.backward(this, s, x, w, dy, dx, dw, dbias);
  }

  /**
   * Causal self-attention core, forward: from {@code qkv [B, T, 3C]} writes the probabilities
   * {@code att [B, H, T, T]} (zero above the diagonal) and {@code out [B, T, C]}. The canonical
   * order is {@link AttentionKernel}'s; this default runs it one (sequence, head) pair after the
   * other on {@link #gemm}.
   */
  default void attentionForward(final AttentionShape s, final float[] qkv, final float[] att, final float[] out) {
    AttentionKernel.forward(s, qkv, att, out, 0, s.pairs(), this::gemm);
  }

  /** Causal self-attention core, backward: assigns {@code dqkv [B, T, 3C]} from {@code dout [B, T, C]}. */
  default void attentionBackward(final AttentionShape s, final float[] qkv, final float[] att, final float[] dout,
      final float[] dqkv) {
    AttentionKernel.backward(s, qkv, att, dout, dqkv, 0, s.pairs(), this::gemm);
  }

  /** Releases threads or device memory; idempotent. */
  @Override
  void close();
}
