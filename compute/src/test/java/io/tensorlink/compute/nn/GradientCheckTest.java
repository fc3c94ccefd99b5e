package io.tensorlink.compute.nn;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.compute.backend.Activation;
import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks every layer's float32 backward against central finite differences of the independent
 * float64 forward in {@link DoubleReference}, on the objective {@code L = Σ y·r} for a random
 * cotangent r. Also checks the float32 forward against the reference. Tolerances: values
 * 1e-4 relative to the output scale; gradients |analytic − numeric| ≤ 2e-3·(|numeric| + scale).
 */
class GradientCheckTest {
  private static final double EPS = 1e-6;
  private static CpuBackend backend;

  @BeforeAll
  static void start() {
    backend = CpuBackend.withThreads(2);
  }

  @AfterAll
  static void stop() {
    backend.close();
  }

  record Case(Layer layer, int[] input, boolean integerInput) {
    @Override
    public String toString() {
      return layer.type() + " " + layer.name() + " " + java.util.Arrays.toString(input);
    }
  }

  static Stream<Case> layers() {
    return Stream.of(
        new Case(new Linear("fc", 7, 5, true), new int[] {3, 7}, false),
        new Case(new Linear("fc", 37, 19, false), new int[] {4, 2, 37}, false),
        new Case(new ActivationLayer("relu", Activation.RELU), new int[] {4, 9}, false),
        new Case(new ActivationLayer("gelu", Activation.GELU), new int[] {4, 9}, false),
        new Case(new ActivationLayer("tanh", Activation.TANH), new int[] {4, 9}, false),
        new Case(new Dropout("drop", 0.3f), new int[] {3, 11}, false),
        new Case(new Flatten("flat"), new int[] {2, 3, 2, 2}, false),
        new Case(new Conv2d("conv", 2, 3, 3, 1, 1), new int[] {2, 2, 5, 6}, false),
        new Case(new Conv2d("conv", 3, 4, 2, 2, 0), new int[] {2, 3, 6, 5}, false),
        new Case(new MaxPool2d("pool", 2, 2), new int[] {2, 3, 6, 4}, false),
        // wide enough for full vector chunks plus a masked tail in the 2x2 fast path
        new Case(new MaxPool2d("pool", 2, 2), new int[] {1, 2, 6, 38}, false),
        new Case(new MaxPool2d("pool", 3, 1), new int[] {1, 2, 5, 5}, false),
        new Case(new LayerNorm("ln", 12, 1e-5f), new int[] {3, 2, 12}, false),
        new Case(new Embedding("wte", 11, 6, 5), new int[] {2, 5}, true),
        new Case(new Embedding("wte", 11, 6, 0), new int[] {2, 4}, true),
        new Case(new CausalSelfAttention("attn", 8, 2), new int[] {2, 5, 8}, false),
        // one token; one head; more tokens than a block of query rows (16) with a ragged last block
        new Case(new CausalSelfAttention("attn", 6, 3), new int[] {2, 1, 6}, false),
        new Case(new CausalSelfAttention("attn", 5, 1), new int[] {1, 7, 5}, false),
        new Case(new CausalSelfAttention("attn", 4, 2), new int[] {1, 19, 4}, false),
        new Case(new Residual("block", List.of(new LayerNorm("block.ln", 8, 1e-5f), new Linear("block.fc", 8, 8, true),
            new ActivationLayer("block.gelu", Activation.GELU))), new int[] {3, 8}, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layers")
  void backwardMatchesFiniteDifferencesOfFloat64Reference(final Case c) {
    final Layer layer = c.layer();
    final SplittableRandom rnd = new SplittableRandom(c.toString().hashCode());
    final NamedTensors params = randomParams(layer, rnd);
    final Tensor x = Tensor.zeros(c.input());
    for (int i = 0; i < x.size(); i++) {
      x.data()[i] = c.integerInput() ? rnd.nextInt(layer instanceof Embedding e ? e.vocab() : 2)
          : (float) rnd.nextDouble(-1.5, 1.5);
    }
    final NamedTensors grads = params.zerosLike();
    final Pass pass = new Pass(backend, params, grads, true, 42, 7, 0);
    final Tensor y = layer.forward(pass, x);
    final Tensor r = Tensor.zeros(y.shape());
    for (int i = 0; i < r.size(); i++) {
      r.data()[i] = (float) rnd.nextDouble(-1, 1);
    }
    final Tensor dx = layer.backward(pass, r, !c.integerInput());

    final Map<String, double[]> p64 = new HashMap<>();
    for (int i = 0; i < params.count(); i++) {
      p64.put(params.name(i), toDouble(params.get(i).data()));
    }
    final double[] x64 = toDouble(x.data());
    final double[] y64 = DoubleReference.forward(layer, x64, c.input(), p64, 42, 7);
    assertThat(y64).hasSize(y.size());
    final double scale = maxAbs(y64) + 1e-3;
    for (int i = 0; i < y64.length; i++) {
      assertThat(Math.abs(y.data()[i] - y64[i])).as("forward element %d", i).isLessThanOrEqualTo(1e-4 * scale);
    }

    final double[] r64 = toDouble(r.data());
    if (!c.integerInput()) {
      checkGradient("input", dx.data(), x64, () -> dot(DoubleReference.forward(layer, x64, c.input(), p64, 42, 7), r64));
    }
    for (int i = 0; i < params.count(); i++) {
      final double[] p = p64.get(params.name(i));
      checkGradient(params.name(i), grads.get(i).data(), p,
          () -> dot(DoubleReference.forward(layer, x64, c.input(), p64, 42, 7), r64));
    }
  }

  /** Numeric derivative of f w.r.t. a sample of coordinates of {@code v} (perturbed in place). */
  private static void checkGradient(final String what, final float[] analytic, final double[] v,
      final java.util.function.DoubleSupplier f) {
    final int step = Math.max(1, v.length / 40);
    double scale = 0;
    for (final float a : analytic) {
      scale = Math.max(scale, Math.abs(a));
    }
    scale = Math.max(scale, 1e-3);
    int checked = 0;
    for (int i = 0; i < v.length; i += step) {
      final double old = v[i];
      v[i] = old + EPS;
      final double plus = f.getAsDouble();
      v[i] = old - EPS;
      final double minus = f.getAsDouble();
      v[i] = old;
      final double numeric = (plus - minus) / (2 * EPS);
      assertThat(Math.abs(analytic[i] - numeric))
          .as("%s[%d]: analytic %s vs numeric %s", what, i, analytic[i], numeric)
          .isLessThanOrEqualTo(2e-3 * (Math.abs(numeric) + scale));
      checked++;
    }
    assertThat(checked).isPositive();
  }

  private static NamedTensors randomParams(final Layer layer, final SplittableRandom rnd) {
    final NamedTensors.Builder b = NamedTensors.builder();
    for (final ParamSpec p : layer.params()) {
      final Tensor t = Tensor.zeros(p.shape());
      for (int i = 0; i < t.size(); i++) {
        t.data()[i] = (float) rnd.nextDouble(-0.8, 0.8);
      }
      b.add(p.name(), t);
    }
    return b.build();
  }

  static double[] toDouble(final float[] f) {
    final double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  private static double dot(final double[] a, final double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double maxAbs(final double[] a) {
    double m = 0;
    for (final double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
