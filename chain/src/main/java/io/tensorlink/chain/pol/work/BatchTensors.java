package io.tensorlink.chain.pol.work;

import io.tensorlink.compute.data.Batch;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;

/** A batch as a named tensor set ({@code inputs}, {@code labels} as exact floats), for the verify wire. */
public final class BatchTensors {
  private static final int EXACT_FLOAT_INTS = 1 << 24;

  private BatchTensors() {}

  public static NamedTensors of(final Batch batch) {
    final float[] labels = new float[batch.labels().length];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = batch.labels()[i];
    }
    return NamedTensors.builder().add("inputs", batch.inputs()).add("labels", Tensor.of(labels, labels.length)).build();
  }

  /** @throws IllegalArgumentException when the set is not a batch (names, rank, non-integral labels) */
  public static Batch toBatch(final NamedTensors t) {
    if (!t.names().equals(java.util.List.of("inputs", "labels")) || t.get(1).rank() != 1) {
      throw new IllegalArgumentException("a batch is tensors [inputs, labels(rank 1)], got " + t.names());
    }
    final float[] f = t.get(1).data();
    final int[] labels = new int[f.length];
    for (int i = 0; i < f.length; i++) {
      if (f[i] != Math.rint(f[i]) || f[i] < 0 || f[i] >= EXACT_FLOAT_INTS) {
        throw new IllegalArgumentException("label " + i + " is not a class index: " + f[i]);
      }
      labels[i] = (int) f[i];
    }
    return new Batch(t.get(0), labels);
  }
}
