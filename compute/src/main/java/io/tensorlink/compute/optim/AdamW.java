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
    final int count = params.count();
    final float[][] p = new float[count][];
    final float[][] g = new float[count][];
    final float[][] m = new float[count][];
    final float[][] v = new float[count][];
    final int[] sizes = new int[count];
    for (int k = 0; k < count; k++) {
      final String name = params.name(k);
      p[k] = params.get(k).data();
      g[k] = grads.get(name).data();
      m[k] = state.get(name + ".exp_avg").data();
      v[k] = state.get(name + ".exp_avg_sq").data();
      sizes[k] = p[k].length;
    }
    ElementRanges.forEach(backend, sizes, (k, from, to) -> {
      final float[] pk = p[k];
      final float[] gk = g[k];
      final float[] mk = m[k];
      final float[] vk = v[k];
      for (int i = from; i < to; i++) {
        final float gi = gk[i];
        mk[i] = beta1 * mk[i] + b1c * gi;
        vk[i] = beta2 * vk[i] + b2c * gi * gi;
        final float mhat = mk[i] / c1;
        final float vhat = vk[i] / c2;
        pk[i] = pk[i] * decay - lr * mhat / ((float) Math.sqrt(vhat) + eps);
      }
    });
  }
}
