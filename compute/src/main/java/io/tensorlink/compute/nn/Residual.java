package io.tensorlink.compute.nn;

import io.tensorlink.compute.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/** {@code y = x + f(x)} for a sequence of inner layers f; backward {@code dx = dy + f'(dy)}. */
public record Residual(String name, List<Layer> layers) implements Layer {

  public Residual {
    layers = List.copyOf(layers);
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("layer '" + name + "' (residual): needs at least one inner layer");
    }
  }

  @Override
  public String type() {
    return "residual";
  }

  @Override
  public List<ParamSpec> params() {
    final List<ParamSpec> p = new ArrayList<>();
    for (final Layer l : layers) {
      p.addAll(l.params());
    }
    return p;
  }

  @Override
  public int[] outputShape(final int[] input) {
    int[] s = input;
    for (final Layer l : layers) {
      s = l.outputShape(s);
    }
    if (!java.util.Arrays.equals(s, input)) {
      throw new ShapeException(name, type(), input,
          "changes to " + java.util.Arrays.toString(s) + " inside the block; a residual block must keep its shape");
    }
    return s;
  }

  @Override
  public long flops(final int[] input) {
    long f = Layer.size(input);
    int[] s = input;
    for (final Layer l : layers) {
      f += l.flops(s);
      s = l.outputShape(s);
    }
    return f;
  }

  @Override
  public Tensor forward(final Pass pass, final Tensor x) {
    Tensor h = x;
    for (final Layer l : layers) {
      h = l.forward(pass, h);
    }
    final Tensor y = Tensor.zeros(x.shape());
    final float[] xd = x.data();
    final float[] hd = h.data();
    final float[] yd = y.data();
    pass.backend().parallelFor(yd.length, (from, to) -> {
      for (int i = from; i < to; i++) {
        yd[i] = xd[i] + hd[i];
      }
    });
    return y;
  }

  @Override
  public Tensor backward(final Pass pass, final Tensor dy, final boolean needInputGrad) {
    Tensor g = dy;
    for (int i = layers.size() - 1; i >= 0; i--) {
      g = layers.get(i).backward(pass, g, true);
    }
    if (!needInputGrad) {
      return null;
    }
    final Tensor dx = Tensor.zeros(dy.shape());
    final float[] a = dy.data();
    final float[] b = g.data();
    final float[] o = dx.data();
    pass.backend().parallelFor(o.length, (from, to) -> {
      for (int i = from; i < to; i++) {
        o[i] = a[i] + b[i];
      }
    });
    return dx;
  }
}
