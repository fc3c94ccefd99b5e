package io.tensorlink.compute.nn;

import io.tensorlink.compute.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Token embedding plus (optionally) a learned position embedding: {@code [B, T]} token ids held
 * as exact floats → {@code [B, T, dim]}. Weights {@code .weight [vocab, dim]} and
 * {@code .position [positions, dim]}. No input gradient (token ids are not differentiable);
 * the weight gradient is a scatter-add in (b, t) order.
 */
public record Embedding(String name, int vocab, int dim, int positions) implements Layer {

  public Embedding {
    if (vocab < 1 || dim < 1 || positions < 0) {
      throw new IllegalArgumentException("layer '" + name + "' (embedding): vocab and dim must be >= 1, positions >= 0");
    }
  }

  @Override
  public String type() {
    return "embedding";
  }

  @Override
  public List<ParamSpec> params() {
    final List<ParamSpec> p = new ArrayList<>();
    p.add(new ParamSpec(name + ".weight", new int[] {vocab, dim}, new Init.Normal(0.02f)));
    if (positions > 0) {
      p.add(new ParamSpec(name + ".position", new int[] {positions, dim}, new Init.Normal(0.02f)));
    }
    return p;
  }

  @Override
  public int[] outputShape(final int[] input) {
    if (input.length != 1) {
      throw new ShapeException(name, type(), input, "must be [tokens]");
    }
    if (positions > 0 && input[0] > positions) {
      throw new ShapeException(name, type(), input, "has more tokens than the " + positions + " positions");
    }
    return new int[] {input[0], dim};
  }

  @Override
  public long flops(final int[] input) {
    return (long) input[0] * dim;
  }

  @Override
  public Tensor forward(final Pass pass, final Tensor x) {
    final int batch = x.dim(0);
    final int t = x.dim(1);
    final float[] ids = x.data();
    final float[] w = pass.param(name + ".weight").data();
    final float[] pos = positions > 0 ? pass.param(name + ".position").data() : null;
    final Tensor y = Tensor.zeros(batch, t, dim);
    final float[] yd = y.data();
    pass.backend().parallelFor(batch * t, (from, to) -> {
      for (int i = from; i < to; i++) {
        final int id = token(ids[i]);
        final int pt = i % t;
        for (int c = 0; c < dim; c++) {
          yd[i * dim + c] = pos == null ? w[id * dim + c] : w[id * dim + c] + pos[pt * dim + c];
        }
      }
    });
    pass.save(this, x);
    return y;
  }

  private int token(final float v) {
    final int id = (int) v;
    if (id != v || id < 0 || id >= vocab) {
      throw new IllegalArgumentException("layer '" + name + "' (embedding): token id " + v + " outside [0, " + vocab + ")");
    }
    return id;
  }

  @Override
  public Tensor backward(final Pass pass, final Tensor dy, final boolean needInputGrad) {
    final Tensor x = pass.saved(this, Tensor.class);
    final int t = x.dim(1);
    final float[] ids = x.data();
    final float[] dyd = dy.data();
    final float[] dw = pass.grad(name + ".weight").data();
    java.util.Arrays.fill(dw, 0f);
    final float[] dp = positions > 0 ? pass.grad(name + ".position").data() : null;
    if (dp != null) {
      java.util.Arrays.fill(dp, 0f);
    }
    // Threads split the features; each element still adds its (b, t) terms in increasing order.
    pass.backend().parallelFor(dim, (from, to) -> {
      for (int i = 0; i < ids.length; i++) {
        final int wo = (int) ids[i] * dim;
        final int po = (i % t) * dim;
        final int yo = i * dim;
        for (int c = from; c < to; c++) {
          dw[wo + c] += dyd[yo + c];
          if (dp != null) {
            dp[po + c] += dyd[yo + c];
          }
        }
      }
    });
    return null;
  }
}
