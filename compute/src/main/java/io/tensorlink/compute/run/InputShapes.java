package io.tensorlink.compute.run;

import io.tensorlink.compute.data.Dataset;
import io.tensorlink.compute.nn.Layer;
import io.tensorlink.compute.tensor.Tensor;
import java.util.Arrays;

/** Matches dataset samples to a model's input shape. */
final class InputShapes {

  private InputShapes() {}

  /** Checks that {@code data}'s samples fit a model taking {@code modelInput}; names both shapes if not. */
  static void check(final Dataset data, final int[] modelInput, final int modelClasses) {
    if (Layer.size(data.sampleShape()) != Layer.size(modelInput)) {
      throw new IllegalArgumentException("dataset " + data.name() + " has samples of shape "
          + Arrays.toString(data.sampleShape()) + " but the model takes " + Arrays.toString(modelInput));
    }
    if (data.classes() > modelClasses) {
      throw new IllegalArgumentException("dataset " + data.name() + " has " + data.classes()
          + " classes but the model predicts only " + modelClasses);
    }
  }

  /** The batch viewed with the model's per-sample shape (same elements, no copy). */
  static Tensor fit(final Tensor inputs, final int[] modelInput, final String source) {
    final int[] want = Layer.batched(inputs.dim(0), modelInput);
    if (Arrays.equals(inputs.shape(), want)) {
      return inputs;
    }
    if (inputs.size() != Layer.size(want)) {
      throw new IllegalArgumentException(source + ": batch of shape " + Arrays.toString(inputs.shape())
          + " does not fit the model input " + Arrays.toString(want));
    }
    return inputs.reshape(want);
  }
}
