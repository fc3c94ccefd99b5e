package io.tensorlink.compute.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.compute.hash.Keccak;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.junit.jupiter.api.Test;

class ParamsRootTest {

  @Test
  void tensorHashIsTheDocumentedEncoding() {
    final Tensor t = Tensor.of(new float[] {1f, -2.5f, 0f, 3f, 4f, 5f}, 2, 3);
    final ByteBuffer data = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    for (final float f : t.data()) {
      data.putFloat(f);
    }
    final byte[] name = "fc1.weight".getBytes(StandardCharsets.UTF_8);
    final ByteBuffer header = ByteBuffer.allocate(4 + name.length + 4 + 8).order(ByteOrder.LITTLE_ENDIAN);
    header.putInt(name.length).put(name).putInt(2).putInt(2).putInt(3);
    final byte[] expected = Keccak.keccak256(header.array(), sha256(data.array()));
    assertThat(ParamsRoot.tensorHash("fc1.weight", t)).isEqualTo(expected);
  }

  private static byte[] sha256(final byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void rootIsTheMerkleRootOfTensorHashesInOrder() {
    final NamedTensors p = TestTensors.mlp(1);
    assertThat(ParamsRoot.of(p)).isEqualTo(MerkleTree.of(ParamsRoot.tensorHashes(p)).root());
    assertThat(ParamsRoot.hex(p)).matches("0x[0-9a-f]{64}");
  }

  @Test
  void rootBindsNamesShapesAndEveryBit() {
    final NamedTensors p = TestTensors.mlp(1);
    final byte[] root = ParamsRoot.of(p);
    assertThat(ParamsRoot.of(TestTensors.mlp(1))).isEqualTo(root);

    final NamedTensors flipped = p.copy();
    flipped.get("fc2.bias").data()[2] = Math.nextUp(flipped.get("fc2.bias").data()[2]);
    assertThat(ParamsRoot.of(flipped)).isNotEqualTo(root);

    final NamedTensors negZero = NamedTensors.builder().add("z", Tensor.of(new float[] {-0f}, 1)).build();
    final NamedTensors posZero = NamedTensors.builder().add("z", Tensor.of(new float[] {0f}, 1)).build();
    assertThat(ParamsRoot.of(negZero)).isNotEqualTo(ParamsRoot.of(posZero));

    final Tensor w = p.get("fc1.weight");
    assertThat(ParamsRoot.tensorHash("fc1.weight", w.reshape(4, 6)))
        .isNotEqualTo(ParamsRoot.tensorHash("fc1.weight", w));
    assertThat(ParamsRoot.tensorHash("fc1.weightx", w)).isNotEqualTo(ParamsRoot.tensorHash("fc1.weight", w));
  }
}
