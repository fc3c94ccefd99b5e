package io.tensorlink.compute.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.compute.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Losses against float64 definitions: the value against a direct double computation and the
 * gradient against central finite differences of that computation.
 */
class LossGradientCheckTest {
  private static final double EPS = 1e-6;

  @Test
  void crossEntropyMatchesFloat64DefinitionAndItsFiniteDifferences() {
    final SplittableRandom rnd = new SplittableRandom(1);
    final Tensor logits = random(rnd, 3, 4, 7);
    final int[] labels = new int[12];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = rnd.nextInt(7);
    }
    final double divisor = 24; // as if this were half of a global batch of 6 samples × 4 rows
    check(new CrossEntropy(), logits, Targets.labels(labels), divisor, x -> {
      double total = 0;
      for (int r = 0; r < 12; r++) {
        double z = 0;
        for (int j = 0; j < 7; j++) {
          z += Math.exp(x[r * 7 + j]);
        }
        total += Math.log(z) - x[r * 7 + labels[r]];
      }
      return total;
    });
  }

  @Test
  void meanSquaredErrorMatchesFloat64DefinitionWithValuesAndOneHotLabels() {
    final SplittableRandom rnd = new SplittableRandom(2);
    final Tensor out = random(rnd, 4, 5);
    final Tensor target = random(rnd, 4, 5);
    check(new MeanSquaredError(), out, Targets.values(target), 20, x -> {
      double s = 0;
      for (int i = 0; i < 20; i++) {
        s += (x[i] - target.data()[i]) * (x[i] - target.data()[i]);
      }
      return s;
    });
    final int[] labels = {0, 4, 2, 2};
    check(new MeanSquaredError(), out, Targets.labels(labels), 40, x -> {
      double s = 0;
      for (int i = 0; i < 20; i++) {
        final double t = labels[i / 5] == i % 5 ? 1 : 0;
        s += (x[i] - t) * (x[i] - t);
      }
      return s;
    });
  }

  @Test
  void badTargetsAreRejectedWithTheShapes() {
    final Tensor out = Tensor.zeros(2, 3);
    assertThatThrownBy(() -> new CrossEntropy().forwardBackward(out, Targets.labels(new int[] {1}), 2, null))
        .hasMessageContaining("needs 2 labels").hasMessageContaining("[2, 3]");
    assertThatThrownBy(() -> new CrossEntropy().forwardBackward(out, Targets.labels(new int[] {1, 3}), 2, null))
        .hasMessageContaining("label 3 at row 1 outside [0, 3)");
    assertThatThrownBy(() -> new MeanSquaredError().forwardBackward(out, Targets.values(Tensor.zeros(5)), 2, null))
        .hasMessageContaining("do not match");
  }

  private static void check(final Loss loss, final Tensor out, final Targets t, final double divisor,
      final ToDoubleFunction<double[]> sum64) {
    final Tensor grad = Tensor.zeros(out.shape());
    final double sum = loss.forwardBackward(out, t, divisor, grad);
    final double[] x = new double[out.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = out.data()[i];
    }
    assertThat(sum).isCloseTo(sum64.applyAsDouble(x), org.assertj.core.data.Offset.offset(1e-6 * Math.abs(sum) + 1e-9));
    for (int i = 0; i < x.length; i++) {
      final double old = x[i];
      x[i] = old + EPS;
      final double plus = sum64.applyAsDouble(x);
      x[i] = old - EPS;
      final double minus = sum64.applyAsDouble(x);
      x[i] = old;
      final double numeric = (plus - minus) / (2 * EPS) / divisor;
      assertThat(Math.abs(grad.data()[i] - numeric)).as("grad[%d]", i).isLessThanOrEqualTo(1e-6 + 1e-4 * Math.abs(numeric));
    }
  }

  private static Tensor random(final SplittableRandom rnd, final int... shape) {
    final Tensor t = Tensor.zeros(shape);
    for (int i = 0; i < t.size(); i++) {
      t.data()[i] = (float) rnd.nextDouble(-2, 2);
    }
    return t;
  }
}
