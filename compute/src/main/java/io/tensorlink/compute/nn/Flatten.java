package io.tensorlink.compute.nn;

import io.tensorlink.compute.tensor.Tensor;
import java.util.List;

/** {@code [B, d1, d2, ...] -> [B, d1*d2*...]}; shares the data (row-major order is unchanged). */
public record Flatten(String name) implements Layer {

  @Override
  public String type() {
    return "flatten";
  }

  @Override
  public List<ParamSpec> params() {
    return List.of();
  }

  @Override
  public int[] outputShape(final int[] input) {
    return new int[] {Layer.size(input)};
  }

  @Override
  public long flops(final int[] input) {
    return 0;
  }

  @Override
  public Tensor forward(final Pass pass, final Tensor x) {
    pass.save(this, x.shape());
    return x.reshape(x.dim(0), x.size() / Math.max(1, x.dim(0)));
  }

  @Override
  public Tensor backward(final Pass pass, final Tensor dy, final boolean needInputGrad) {
    return needInputGrad ? dy.reshape(pass.saved(this, int[].class)) : null;
  }
}
