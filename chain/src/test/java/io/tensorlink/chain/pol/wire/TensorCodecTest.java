package io.tensorlink.chain.pol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;

class TensorCodecTest {
  private static final NamedTensors SET = NamedTensors.builder()
      .add("fc1.weight", Tensor.of(new float[] {1f, -0f, Float.NaN, Float.MIN_VALUE, 3e38f, -2f}, 2, 3))
      .add("fc1.bias", Tensor.of(new float[] {0.5f, 0.25f}, 2)).build();

  @Test
  void roundTripKeepsNamesShapesAndBits() {
    final NamedTensors back = TensorCodec.decode(TensorCodec.encode(SET), 1 << 20);
    assertThat(back).isEqualTo(SET);
    assertThat(back.names()).containsExactly("fc1.weight", "fc1.bias");
  }

  @Test
  void limitsAndInconsistentSizesAreRejected() {
    final Bytes enc = TensorCodec.encode(SET);
    assertThatThrownBy(() -> TensorCodec.decode(enc, 10)).hasMessageContaining("more than the limit of 10");
    final Bytes badSize = org.apache.tuweni.rlp.RLP.encodeList(o -> o.writeList(w -> w.writeList(e -> {
      e.writeString("x");
      e.writeList(d -> d.writeLong(3));
      e.writeValue(Bytes.wrap(new byte[8]));
    })));
    assertThatThrownBy(() -> TensorCodec.decode(badSize, 1 << 20)).hasMessageContaining("has 8 data bytes, shape needs 12");
    final Bytes dup = org.apache.tuweni.rlp.RLP.encodeList(o -> o.writeList(w -> {
      for (int i = 0; i < 2; i++) {
        w.writeList(e -> {
          e.writeString("x");
          e.writeList(d -> d.writeLong(1));
          e.writeValue(Bytes.wrap(new byte[4]));
        });
      }
    }));
    assertThatThrownBy(() -> TensorCodec.decode(dup, 1 << 20)).hasMessageContaining("duplicate tensor name 'x'");
  }

  @Property(tries = 300)
  void truncationsFailCleanly(@ForAll @IntRange(min = 1, max = 80) final int cut) {
    final Bytes enc = TensorCodec.encode(SET);
    assertThatThrownBy(() -> TensorCodec.decode(enc.slice(0, Math.max(0, enc.size() - cut)), 1 << 20))
        .isInstanceOf(WireException.class);
  }
}
