package io.tensorlink.compute.nn;

import java.util.List;

/** A layer without parameters that maps each element on its own: same shape out, one op per element. */
interface ElementwiseLayer extends Layer {

  @Override
  default List<ParamSpec> params() {
    return List.of();
  }

  @Override
  default int[] outputShape(final int[] input) {
    return input.clone();
  }

  @Override
  default long flops(final int[] input) {
    return Layer.size(input);
  }
}
