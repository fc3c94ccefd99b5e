package io.tensorlink.compute.nn;

import io.tensorlink.compute.rng.CounterRng;
import io.tensorlink.compute.tensor.Tensor;

/**
 * Inverted dropout with a counter-based mask: element e of global sample s at step t is dropped
 * iff {@code uniform(seed, DROPOUT ^ id(name), t, s·size + e) < p}. The mask therefore does not
 * depend on thread count, micro-batching, pipeline stage or replica. Identity when not training.
 */
public record Dropout(String name, float p) implements ElementwiseLayer {

  public Dropout {
    if (!(p >= 0f && p < 1f)) {
      throw new IllegalArgumentException("layer '" + name + "' (dropout): p must be in [0, 1), got " + p);
    }
  }

  @Override
  public String type() {
    return "dropout";
  }

  @Override
  public Tensor forward(final Pass pass, final Tensor x) {
    if (!pass.training() || p == 0f) {
      return x;
    }
    final float scale = 1f / (1f - p);
    final long purpose = CounterRng.PURPOSE_DROPOUT ^ CounterRng.nameId(name);
    final int perSample = x.size() / x.dim(0);
    final long first = pass.sampleOffset() * perSample;
    final float[] mask = new float[x.size()];
    final Tensor y = Tensor.zeros(x.shape());
    final float[] xd = x.data();
    final float[] yd = y.data();
    pass.backend().parallelFor(x.size(), (from, to) -> {
      for (int i = from; i < to; i++) {
        mask[i] = CounterRng.uniform(pass.seed(), purpose, pass.step(), first + i) < p ? 0f : scale;
        yd[i] = xd[i] * mask[i];
      }
    });
    pass.save(this, mask);
    return y;
  }

  @Override
  public Tensor backward(final Pass pass, final Tensor dy, final boolean needInputGrad) {
    if (!needInputGrad) {
      return null;
    }
    if (!pass.training() || p == 0f) {
      return dy;
    }
    final float[] mask = pass.saved(this, float[].class);
    final Tensor dx = Tensor.zeros(dy.shape());
    final float[] dyd = dy.data();
    final float[] dxd = dx.data();
    for (int i = 0; i < mask.length; i++) {
      dxd[i] = dyd[i] * mask[i];
    }
    return dx;
  }
}
