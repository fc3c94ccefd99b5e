package io.tensorlink.compute.nn;

import io.tensorlink.compute.backend.Activation;
import io.tensorlink.compute.tensor.Tensor;

/** A pointwise activation ({@code relu}, {@code gelu}, {@code tanh}); backward uses the saved input. */
public record ActivationLayer(String name, Activation activation) implements ElementwiseLayer {

  @Override
  public String type() {
    return activation.name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public Tensor forward(final Pass pass, final Tensor x) {
    final Tensor y = Tensor.zeros(x.shape());
    pass.backend().activationForward(activation, x.data(), y.data(), x.size());
    pass.save(this, x);
    return y;
  }

  @Override
  public Tensor backward(final Pass pass, final Tensor dy, final boolean needInputGrad) {
    if (!needInputGrad) {
      return null;
    }
    final Tensor x = pass.saved(this, Tensor.class);
    final Tensor dx = Tensor.zeros(x.shape());
    pass.backend().activationBackward(activation, x.data(), dy.data(), dx.data(), x.size());
    return dx;
  }
}
