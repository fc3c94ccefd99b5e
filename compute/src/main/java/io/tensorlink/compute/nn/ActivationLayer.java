package io.tensorlink.compute.nn;

import io.tensorlink.compute.backend.Activation;
import io.tensorlink.compute.tensor.Tensor;

/**
 * A pointwise activation ({@code relu}, {@code gelu}, {@code tanh}); backward uses the saved input.
 * GELU also keeps each element's tanh (a double) from forward, so backward does not evaluate
 * StrictMath.tanh a second time: same bits, half the transcendental work.
 */
public record ActivationLayer(String name, Activation activation) implements ElementwiseLayer {

  @Override
  public String type() {
    return activation.name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public Tensor forward(final Pass pass, final Tensor x) {
    final Tensor y = Tensor.zeros(x.shape());
    if (activation == Activation.GELU) {
      final double[] tanh = new double[x.size()];
      pass.backend().geluForward(x.data(), y.data(), tanh, x.size());
      pass.save(this, new GeluSaved(x, tanh));
      return y;
    }
    pass.backend().activationForward(activation, x.data(), y.data(), x.size());
    pass.save(this, x);
    return y;
  }

  @Override
  public Tensor backward(final Pass pass, final Tensor dy, final boolean needInputGrad) {
    if (!needInputGrad) {
      return null;
    }
    if (activation == Activation.GELU) {
      final GeluSaved s = pass.saved(this, GeluSaved.class);
      final Tensor dx = Tensor.zeros(s.x.shape());
      pass.backend().geluBackward(s.x.data(), s.tanh, dy.data(), dx.data(), dx.size());
      return dx;
    }
    final Tensor x = pass.saved(this, Tensor.class);
    final Tensor dx = Tensor.zeros(x.shape());
    pass.backend().activationBackward(activation, x.data(), dy.data(), dx.data(), x.size());
    return dx;
  }

  private record GeluSaved(Tensor x, double[] tanh) {}
}
