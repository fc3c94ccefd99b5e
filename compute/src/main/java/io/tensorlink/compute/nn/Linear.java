package io.tensorlink.compute.nn;

import io.tensorlink.compute.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code y = x · Wᵀ + b} over the last dimension. W is {@code [out, in]} (PyTorch layout), any
 * leading dimensions are rows. Forward starts every output's fma chain from the bias.
 *
 * <pre>
 *   x  [R, in]   W [out, in]   b [out]   y [R, out]
 *   dx = dy · W          dW = dyᵀ · x (sum over rows r in order)    db = Σ_r dy[r]
 * </pre>
 */
public record Linear(String name, int in, int out, boolean bias) implements Layer {

  public Linear {
    if (in < 1 || out < 1) {
      throw new IllegalArgumentException("layer '" + name + "' (linear): in and out must be >= 1, got " + in + ", " + out);
    }
  }

  @Override
  public String type() {
    return "linear";
  }

  @Override
  public List<ParamSpec> params() {
    final Init init = new Init.Uniform((float) (1.0 / Math.sqrt(in)));
    final List<ParamSpec> p = new ArrayList<>();
    p.add(new ParamSpec(name + ".weight", new int[] {out, in}, init));
    if (bias) {
      p.add(new ParamSpec(name + ".bias", new int[] {out}, init));
    }
    return p;
  }

  @Override
  public int[] outputShape(final int[] input) {
    if (input.length == 0 || input[input.length - 1] != in) {
      throw new ShapeException(name, type(), input, "must end in " + in + " features");
    }
    final int[] o = input.clone();
    o[o.length - 1] = out;
    return o;
  }

  @Override
  public long flops(final int[] input) {
    return (long) Layer.size(input) / in * in * out;
  }

  @Override
  public Tensor forward(final Pass pass, final Tensor x) {
    final int rows = x.size() / in;
    final int[] shape = x.shape();
    shape[shape.length - 1] = out;
    final Tensor y = Tensor.zeros(shape);
    final float[] yd = y.data();
    if (bias) {
      final float[] b = pass.param(name + ".bias").data();
      for (int r = 0; r < rows; r++) {
        System.arraycopy(b, 0, yd, r * out, out);
      }
    }
    pass.backend().gemm(false, true, rows, out, in, x.data(), 0, pass.param(name + ".weight").data(), 0, yd, 0, bias);
    pass.save(this, x);
    return y;
  }

  @Override
  public Tensor backward(final Pass pass, final Tensor dy, final boolean needInputGrad) {
    final Tensor x = pass.saved(this, Tensor.class);
    final int rows = x.size() / in;
    final float[] dyd = dy.data();
    pass.backend().gemm(true, false, out, in, rows, dyd, 0, x.data(), 0, pass.grad(name + ".weight").data(), 0, false);
    if (bias) {
      // db = 1ᵀ·dy as a GEMM: fma(1, d, s) rounds s + d exactly as a float add does, so this is
      // the sum over rows in increasing order, vectorised across outputs.
      final float[] ones = new float[rows];
      java.util.Arrays.fill(ones, 1f);
      pass.backend().gemm(false, false, 1, out, rows, ones, 0, dyd, 0, pass.grad(name + ".bias").data(), 0, false);
    }
    if (!needInputGrad) {
      return null;
    }
    final Tensor dx = Tensor.zeros(x.shape());
    pass.backend().gemm(false, false, rows, in, out, dyd, 0, pass.param(name + ".weight").data(), 0, dx.data(), 0, false);
    return dx;
  }
}
