package io.tensorlink.compute.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Optimizers and schedules against their textbook formulas, computed independently in double. */
class OptimizerTest {
  private static final float[] GRADS = {0.5f, -1.0f, 0.25f};

  @Test
  void sgdMomentumAndNesterovFollowPyTorchsDefinition() {
    for (final boolean nesterov : new boolean[] {false, true}) {
      final Sgd sgd = new Sgd(0.9f, nesterov, 0.1f);
      double p = 1.0;
      double buf = 0;
      final NamedTensors params = one(1f);
      final NamedTensors state = sgd.initState(params);
      assertThat(state.names()).containsExactly("w.momentum_buffer");
      try (CpuBackend be = CpuBackend.withThreads(1)) {
        for (int t = 0; t < GRADS.length; t++) {
          sgd.update(be, params, one(GRADS[t]), state, 0.1f, t);
          double g = GRADS[t] + 0.1 * p;
          buf = 0.9 * buf + g;
          g = nesterov ? g + 0.9 * buf : buf;
          p -= 0.1 * g;
          assertThat((double) params.get(0).data()[0]).isCloseTo(p, Offset.offset(1e-6));
        }
      }
    }
  }

  @Test
  void adamWFollowsTheDecoupledDefinition() {
    final AdamW adam = new AdamW(0.9f, 0.99f, 1e-8f, 0.1f);
    final NamedTensors params = one(1f);
    final NamedTensors state = adam.initState(params);
    assertThat(state.names()).containsExactly("w.exp_avg", "w.exp_avg_sq");
    double p = 1;
    double m = 0;
    double v = 0;
    try (CpuBackend be = CpuBackend.withThreads(1)) {
      for (int t = 0; t < GRADS.length; t++) {
        adam.update(be, params, one(GRADS[t]), state, 0.01f, t);
        p *= 1 - 0.01 * 0.1;
        m = 0.9 * m + 0.1 * GRADS[t];
        v = 0.99 * v + 0.01 * GRADS[t] * GRADS[t];
        final double mhat = m / (1 - Math.pow(0.9, t + 1));
        final double vhat = v / (1 - Math.pow(0.99, t + 1));
        p -= 0.01 * mhat / (Math.sqrt(vhat) + 1e-8);
        assertThat((double) params.get(0).data()[0]).isCloseTo(p, Offset.offset(1e-6));
      }
    }
  }

  @Test
  void clippingScalesToTheMaximumGlobalNorm() {
    final NamedTensors g = NamedTensors.builder()
        .add("a", Tensor.of(new float[] {3f, 0f}, 2)).add("b", Tensor.of(new float[] {4f}, 1)).build();
    assertThat(GradClip.clip(g, 10)).isEqualTo(5.0);
    assertThat(g.get("a").data()[0]).isEqualTo(3f);
    assertThat(GradClip.clip(g, 1)).isEqualTo(5.0);
    assertThat(GradClip.globalNorm(g)).isCloseTo(1.0, Offset.offset(1e-6));
    assertThat(g.get("b").data()[0]).isCloseTo(0.8f, Offset.offset(1e-6f));
  }

  @Test
  void warmupCosineRisesThenDecaysToTheMinimum() {
    final LrSchedule s = new LrSchedule.WarmupCosine(1f, 4, 14, 0.1f);
    assertThat(s.lr(0)).isEqualTo(0.25f);
    assertThat(s.lr(3)).isEqualTo(1f);
    assertThat(s.lr(4)).isEqualTo(1f);
    assertThat((double) s.lr(9)).isCloseTo(0.55, Offset.offset(1e-6));
    assertThat(s.lr(14)).isEqualTo(0.1f);
    assertThat(s.lr(100)).isEqualTo(0.1f);
    assertThat(new LrSchedule.Constant(0.3f).lr(77)).isEqualTo(0.3f);
    assertThatThrownBy(() -> new LrSchedule.WarmupCosine(1f, 5, 5, 0f)).hasMessageContaining("warmup < total");
    assertThatThrownBy(() -> new Sgd(0f, true, 0f)).hasMessageContaining("nesterov needs a non-zero momentum");
  }

  private static NamedTensors one(final float v) {
    return NamedTensors.builder().add("w", Tensor.of(new float[] {v}, 1)).build();
  }
}
