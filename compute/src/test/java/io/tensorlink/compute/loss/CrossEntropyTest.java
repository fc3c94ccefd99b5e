package io.tensorlink.compute.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CrossEntropyTest {

  @Test
  void rowsOnTheBackendsThreadsGiveTheSerialBits() {
    final SplittableRandom rnd = new SplittableRandom(9);
    final int rows = 37;
    final int classes = 11;
    final float[] x = new float[rows * classes];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rnd.nextGaussian() * 4);
    }
    final int[] labels = rnd.ints(rows, 0, classes).toArray();
    final Tensor out = Tensor.of(x, rows, classes);
    final Tensor serial = Tensor.zeros(rows, classes);
    final double expected = new CrossEntropy().forwardBackward(out, Targets.labels(labels), 123.0, serial);
    for (final int threads : new int[] {1, 2, 4}) {
      try (CpuBackend cpu = CpuBackend.withThreads(threads)) {
        final Tensor grad = Tensor.zeros(rows, classes);
        final double loss = new CrossEntropy().forwardBackward(cpu, out, Targets.labels(labels), 123.0, grad);
        assertThat(Double.doubleToRawLongBits(loss)).as("threads=%d", threads)
            .isEqualTo(Double.doubleToRawLongBits(expected));
        assertThat(grad).isEqualTo(serial);
        assertThat(new CrossEntropy().forwardBackward(cpu, out, Targets.labels(labels), 123.0, null)).isEqualTo(loss);
      }
    }
  }

  @Test
  void aLabelOutsideTheClassesIsNamedBeforeAnyWork() {
    try (CpuBackend cpu = CpuBackend.withThreads(2)) {
      final Tensor grad = Tensor.zeros(3, 4);
      assertThatThrownBy(() -> new CrossEntropy().forwardBackward(cpu, Tensor.zeros(3, 4),
          Targets.labels(new int[] {0, 1, 4}), 3.0, grad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("label 4 at row 2 outside [0, 4)");
      assertThat(grad).isEqualTo(Tensor.zeros(3, 4));
      assertThatThrownBy(() -> new CrossEntropy().forwardBackward(cpu, Tensor.zeros(3, 4),
          Targets.labels(new int[] {0, 1}), 3.0, grad))
          .hasMessageContaining("needs 3 labels");
    }
  }
}
