package io.tensorlink.compute.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TensorTest {

  @Test
  void shapeIsImmutableAndDataIsShared() {
    final float[] data = {1, 2, 3, 4, 5, 6};
    final Tensor t = Tensor.of(data, 2, 3);
    t.shape()[0] = 9;
    assertThat(t.shape()).containsExactly(2, 3);
    assertThat(t.dim(-1)).isEqualTo(3);
    final Tensor r = t.reshape(3, 2);
    r.data()[0] = 7;
    assertThat(t.data()[0]).isEqualTo(7f);
    assertThat(t.copy().data()).isNotSameAs(data).containsExactly(t.data());
  }

  @Test
  void equalityIsBitwise() {
    assertThat(Tensor.of(new float[] {0f}, 1)).isNotEqualTo(Tensor.of(new float[] {-0f}, 1));
    assertThat(Tensor.of(new float[] {Float.NaN}, 1)).isEqualTo(Tensor.of(new float[] {Float.NaN}, 1));
    assertThat(Tensor.of(new float[] {1, 2}, 2)).isNotEqualTo(Tensor.of(new float[] {1, 2}, 1, 2));
  }

  @Test
  void badShapesAreRejectedWithTheShape() {
    assertThatThrownBy(() -> Tensor.of(new float[5], 2, 3)).hasMessageContaining("data length 5 does not match shape [2, 3]");
    assertThatThrownBy(() -> Tensor.zeros(2, -1)).hasMessageContaining("negative dimension in shape [2, -1]");
    assertThatThrownBy(() -> Tensor.zeros(65536, 65536)).hasMessageContaining("more than 2^31 elements");
  }

  @Test
  void namedTensorsKeepOrderAndRejectDuplicates() {
    final NamedTensors n = NamedTensors.builder().add("b", Tensor.zeros(1)).add("a", Tensor.zeros(2)).build();
    assertThat(n.names()).containsExactly("b", "a");
    assertThat(n.elementCount()).isEqualTo(3);
    assertThat(n.select(java.util.List.of("a")).names()).containsExactly("a");
    assertThatThrownBy(() -> NamedTensors.builder().add("a", Tensor.zeros(1)).add("a", Tensor.zeros(1)))
        .hasMessageContaining("duplicate tensor name 'a'");
    assertThatThrownBy(() -> n.get("c")).hasMessageContaining("no tensor named 'c'");
  }
}
