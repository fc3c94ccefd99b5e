package io.tensorlink.compute.optim;

import io.tensorlink.compute.backend.Backend;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;

/**
 * SGD with optional momentum, Nesterov and (coupled) weight decay, as PyTorch defines them:
 * {@code g += wd·p; buf = μ·buf + g; g = nesterov ? g + μ·buf : buf; p -= lr·g}. State slot
 * {@code momentum_buffer} exists only when momentum is non-zero.
 */
public record Sgd(float momentum, boolean nesterov, float weightDecay) implements Optimizer {

  public Sgd {
    if (momentum < 0f || momentum >= 1f || weightDecay < 0f) {
      throw new IllegalArgumentException("sgd: momentum must be in [0, 1) and weight decay >= 0");
    }
    if (nesterov && momentum == 0f) {
      throw new IllegalArgumentException("sgd: nesterov needs a non-zero momentum");
    }
  }

  public static Sgd plain() {
    return new Sgd(0f, false, 0f);
  }

  @Override
  public String name() {
    return "sgd";
  }

  @Override
  public NamedTensors initState(final NamedTensors params) {
    final NamedTensors.Builder b = NamedTensors.builder();
    if (momentum != 0f) {
      for (int i = 0; i < params.count(); i++) {
        b.add(params.name(i) + ".momentum_buffer", Tensor.zeros(params.get(i).shape()));
      }
    }
    return b.build();
  }

  @Override
  public void update(final Backend backend, final NamedTensors params, final NamedTensors grads,
      final NamedTensors state, final float lr, final long step) {
    final int count = params.count();
    final float[][] p = new float[count][];
    final float[][] g = new float[count][];
    final float[][] buf = new float[count][];
    final int[] sizes = new int[count];
    for (int t = 0; t < count; t++) {
      p[t] = params.get(t).data();
      g[t] = grads.get(params.name(t)).data();
      buf[t] = momentum == 0f ? null : state.get(params.name(t) + ".momentum_buffer").data();
      sizes[t] = p[t].length;
    }
    ElementRanges.forEach(backend, sizes, (t, from, to) -> updateRange(p[t], g[t], buf[t], lr, from, to));
  }

  private void updateRange(final float[] p, final float[] g, final float[] buf, final float lr, final int from,
      final int to) {
    for (int i = from; i < to; i++) {
      float d = g[i] + weightDecay * p[i];
      if (buf != null) {
        buf[i] = momentum * buf[i] + d;
        d = nesterov ? d + momentum * buf[i] : buf[i];
      }
      p[i] -= lr * d;
    }
  }
}
