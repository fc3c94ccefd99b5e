package io.tensorlink.compute.data;

import io.tensorlink.compute.tensor.Tensor;

/**
 * One batch of samples.
 *
 * @param inputs shape {@code [B, ...sampleShape]}; token datasets hold token ids as exact floats
 * @param labels class index per prediction: {@code B} entries for classification, {@code B·T}
 *     (row-major) for next-token prediction
 */
public record Batch(Tensor inputs, int[] labels) {

  public int size() {
    return inputs.dim(0);
  }
}
