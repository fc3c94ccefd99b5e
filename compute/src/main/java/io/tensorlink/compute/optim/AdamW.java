package io.tensorlink.compute.optim;

import io.tensorlink.compute.backend.Backend;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;

/**
 * AdamW (decoupled weight decay), PyTorch's formulation with slots {@code exp_avg} and
 * {@code exp_avg_sq}. Bias corrections use StrictMath.pow in double, rounded once to float.
 */
public record AdamW(float beta1, float beta2, float eps, float weightDecay) implements Optimizer {

  public AdamW {
    if (!(beta1 >= 0f && beta1 < 1f && beta2 >= 0f && beta2 < 1f && eps > 0f && weightDecay >= 0f)) {
      throw new IllegalArgumentException("adamw: betas must be in [0, 1), eps > 0, weight decay >= 0");
    }
  }

  public static AdamW defaults() {
    return new AdamW(0.9f, 0.999f, 1e-8f, 0.01f);
  }

  @Override
  public String name() {
    return "adamw";
  }

  @Override
  public NamedTensors initState(final NamedTensors params) {
    final NamedTensors.Builder b = NamedTensors.builder();
    for (int i = 0; i < params.count(); i++) {
      b.add(params.name(i) + ".exp_avg", Tensor.zeros(params.get(i).shape()));
      b.add(params.name(i) + ".exp_avg_sq", Tensor.zeros(params.get(i).shape()));
    }
    return b.build();
  }

  @Override
  public void update(final Backend backend, final NamedTensors params, final NamedTensors grads,
      final NamedTensors state, final float lr, final long step) {
    final long t = step + 1;
    final float c1 = (float) (1.0 - StrictMath.pow(beta1, t));
    final float c2 = (float) (1.0 - StrictMath.pow(beta2, t));
    final float decay = 1f - lr * weightDecay;
    final float b1c = 1f - beta1;
    final float b2c = 1f - beta2;
    for (int k = 0; k < params.count(); k++) {
      final String name = params.name(k);
      final float[] p = params.get(k).data();
      final float[] g = grads.get(name).data();
      final float[] m = state.get(name + ".exp_avg").data();
      final float[] v = state.get(name + ".exp_avg_sq").data();
      backend.parallelFor(p.length, (from, to) -> {
        for (int i = from; i < to; i++) {
          final float gi = g[i];
          m[i] = beta1 * m[i] + b1c * gi;
          v[i] = beta2 * v[i] + b2c * gi * gi;
          final float mhat = m[i] / c1;
          final float vhat = v[i] / c2;
          p[i] = p[i] * decay - lr * mhat / ((float) Math.sqrt(vhat) + eps);
        }
      });
    }
  }
}
