package io.tensorlink.compute.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ParamDistanceTest {

  private static NamedTensors of(final float... v) {
    return NamedTensors.builder().add("a", Tensor.of(new float[] {v[0], v[1]}, 2)).add("b", Tensor.of(new float[] {v[2]}, 1)).build();
  }

  @Test
  void relativeL2OverAllTensors() {
    // ‖(1,2,2) − (1,2,0)‖ / ‖(1,2,0)‖ = 2 / √5
    assertThat(ParamDistance.relativeL2(of(1, 2, 2), of(1, 2, 0))).isCloseTo(2 / Math.sqrt(5), within(1e-12));
    assertThat(ParamDistance.relativeL2(of(1, 2, 3), of(1, 2, 3))).isZero();
    assertThat(ParamDistance.relativeL2(of(0, 0, 0), of(0, 0, 0))).isZero();
    assertThat(ParamDistance.relativeL2(of(1, 0, 0), of(0, 0, 0))).isInfinite();
  }

  @Test
  void updateDistanceComparesWhatTheStepChanged() {
    final NamedTensors start = of(100, 100, 100);
    final NamedTensors reference = of(101, 100, 100); // update (1, 0, 0)
    final NamedTensors worker = of(101, 100.5f, 100); // update (1, 0.5, 0)
    assertThat(ParamDistance.relativeUpdateL2(start, worker, reference)).isCloseTo(0.5, within(1e-12));
    // The same weights look almost identical when compared directly.
    assertThat(ParamDistance.relativeL2(worker, reference)).isLessThan(0.003);
  }

  @Test
  void mismatchedSetsAreNamed() {
    final NamedTensors other = NamedTensors.builder().add("a", Tensor.zeros(3)).add("b", Tensor.zeros(1)).build();
    assertThatThrownBy(() -> ParamDistance.relativeL2(of(1, 2, 3), other)).hasMessageContaining("tensor 'a' has shape [2] vs [3]");
    final NamedTensors renamed = NamedTensors.builder().add("x", Tensor.zeros(2)).add("b", Tensor.zeros(1)).build();
    assertThatThrownBy(() -> ParamDistance.relativeL2(of(1, 2, 3), renamed)).hasMessageContaining("differ in names");
  }
}
