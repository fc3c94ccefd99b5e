package io.tensorlink.chain.job.worker;

import io.tensorlink.compute.tensor.Tensor;
import java.util.Arrays;

/** Row ranges of batch-major tensors (dimension 0 is the sample): micro-batch slices and their concatenation. */
final class Rows {
  private Rows() {}

  static Tensor slice(final Tensor t, final int from, final int rows) {
    if (from == 0 && rows == t.dim(0)) {
      return t;
    }
    final int per = t.size() / t.dim(0);
    final int[] shape = t.shape().clone();
    shape[0] = rows;
    return Tensor.of(Arrays.copyOfRange(t.data(), from * per, (from + rows) * per), shape);
  }

  static Tensor concat(final Tensor[] parts) {
    if (parts.length == 1) {
      return parts[0];
    }
    int rows = 0;
    for (final Tensor p : parts) {
      rows += p.dim(0);
    }
    final int[] shape = parts[0].shape().clone();
    shape[0] = rows;
    final float[] data = new float[Tensor.checkedSize(shape)];
    int at = 0;
    for (final Tensor p : parts) {
      System.arraycopy(p.data(), 0, data, at, p.size());
      at += p.size();
    }
    return Tensor.of(data, shape);
  }
}
