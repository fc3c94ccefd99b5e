package io.tensorlink.chain.job.worker;

import io.tensorlink.compute.backend.Activation;
import io.tensorlink.compute.backend.Backend;
import io.tensorlink.compute.backend.RangeBody;
import io.tensorlink.compute.tensor.NamedTensors;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A backend whose GEMMs into a parameter-gradient array continue the array's fma chain instead of
 * restarting it. Several micro-batches backpropagated in sample order into the same zeroed
 * gradients then give the chain {@code fma(x_p, dy_p, c)} over p = 0..batch−1, exactly what one
 * backward over the whole batch computes (compute's rule 1: the chain starts from 0 or from the
 * old C, and k-blocking is exact). This is what lets a pipeline stage micro-batch and still sign
 * the single-process bits. It holds only for layers whose parameter gradients are GEMMs over the
 * batch rows ({@link MicroBatchRun#check} admits only those); everything else is delegated as is.
 */
final class AccumulatingBackend implements Backend {
  private final Backend inner;
  private final Set<float[]> gradientArrays = Collections.newSetFromMap(new IdentityHashMap<>());

  AccumulatingBackend(final Backend inner, final NamedTensors grads) {
    this.inner = inner;
    grads.tensors().forEach(t -> gradientArrays.add(t.data()));
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public void gemm(final boolean transA, final boolean transB, final int m, final int n, final int k, final float[] a,
      final int aOff, final float[] b, final int bOff, final float[] c, final int cOff, final boolean accumulate) {
    inner.gemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate || gradientArrays.contains(c));
  }

  @Override
  public void parallelFor(final int count, final RangeBody body) {
    inner.parallelFor(count, body);
  }

  @Override
  public void activationForward(final Activation act, final float[] x, final float[] y, final int n) {
    inner.activationForward(act, x, y, n);
  }

  @Override
  public void activationBackward(final Activation act, final float[] x, final float[] dy, final float[] dx,
      final int n) {
    inner.activationBackward(act, x, dy, dx, n);
  }

  @Override
  public void geluForward(final float[] x, final float[] y, final double[] tanh, final int n) {
    inner.geluForward(x, y, tanh, n);
  }

  @Override
  public void geluBackward(final float[] x, final double[] tanh, final float[] dy, final float[] dx, final int n) {
    inner.geluBackward(x, tanh, dy, dx, n);
  }

  @Override
  public void softmaxRows(final float[] x, final float[] y, final int rows, final int cols) {
    inner.softmaxRows(x, y, rows, cols);
  }

  /** The inner backend belongs to the worker, not to this view of it. */
  @Override
  public void close() {}
}
