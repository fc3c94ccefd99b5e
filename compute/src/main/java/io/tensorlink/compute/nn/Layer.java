package io.tensorlink.compute.nn;

import io.tensorlink.compute.tensor.Tensor;
import java.util.List;

/**
 * One step of a model, forward and backward side by side. Shapes are per sample (no batch
 * dimension); tensors passed to forward/backward carry the batch as dimension 0.
 *
 * <p>Implementations are immutable: parameters live in the {@link Pass}, keyed by
 * {@link ParamSpec#name()}, and per-pass state is saved in the pass.
 */
public interface Layer {

  /** The full dotted name, unique within the model. */
  String name();

  /** The spec type, e.g. {@code linear}. */
  String type();

  /** Parameters in spec order (empty for parameter-free layers). */
  List<ParamSpec> params();

  /** Output shape for {@code input}; throws {@link ShapeException} naming this layer. */
  int[] outputShape(int[] input);

  /** Forward multiply-adds per sample for {@code input} (used to balance pipeline stages). */
  long flops(int[] input);

  Tensor forward(Pass pass, Tensor x);

  /**
   * Writes this layer's parameter gradients into the pass and returns the input gradient, or
   * null when {@code needInputGrad} is false (the model's first layer).
   */
  Tensor backward(Pass pass, Tensor dy, boolean needInputGrad);

  /** Product of dims. */
  static int size(final int[] shape) {
    return Tensor.checkedSize(shape);
  }

  /** {@code [batch, ...shape]}. */
  static int[] batched(final int batch, final int[] shape) {
    final int[] s = new int[shape.length + 1];
    s[0] = batch;
    System.arraycopy(shape, 0, s, 1, shape.length);
    return s;
  }
}
