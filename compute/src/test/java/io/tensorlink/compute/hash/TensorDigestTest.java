package io.tensorlink.compute.hash;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.compute.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.junit.jupiter.api.Test;

/** The tensor digest against an independent SHA-256 (BouncyCastle's) over the little-endian bytes. */
class TensorDigestTest {

  @Property(tries = 300)
  void aTensorHashesLikeItsLittleEndianBytes(@ForAll("floats") final float[] data) {
    assertThat(TensorDigest.sha256(Tensor.of(data, data.length))).isEqualTo(reference(data));
  }

  @Test
  void aTensorLongerThanOneChunkHashesAcrossTheChunkBoundaries() {
    final float[] data = new float[100_003];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) Math.sin(i);
    }
    assertThat(TensorDigest.sha256(Tensor.of(data, data.length))).isEqualTo(reference(data));
  }

  @Test
  void theEmptyTensorHashesLikeTheEmptyString() {
    assertThat(Keccak.hex(TensorDigest.sha256(Tensor.of(new float[0], 0))))
        .isEqualTo("0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void oneUlpAndTheSignOfZeroChangeTheDigest() {
    final byte[] one = TensorDigest.sha256(Tensor.of(new float[] {1f}, 1));
    assertThat(TensorDigest.sha256(Tensor.of(new float[] {Math.nextUp(1f)}, 1))).isNotEqualTo(one);
    assertThat(TensorDigest.sha256(Tensor.of(new float[] {-0f}, 1)))
        .isNotEqualTo(TensorDigest.sha256(Tensor.of(new float[] {0f}, 1)));
  }

  @Provide
  Arbitrary<float[]> floats() {
    final Arbitrary<Float> element = Arbitraries.oneOf(Arbitraries.floats(),
        Arbitraries.integers().map(Float::intBitsToFloat)); // every bit pattern, signalling NaNs included
    return element.list().ofMaxSize(400).map(TensorDigestTest::toArray);
  }

  private static float[] toArray(final List<Float> values) {
    final float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private static byte[] reference(final float[] data) {
    final ByteBuffer bytes = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (final float f : data) {
      bytes.putInt(Float.floatToRawIntBits(f)); // NaN payloads are hashed as they are
    }
    final SHA256Digest sha = new SHA256Digest();
    sha.update(bytes.array(), 0, bytes.capacity());
    final byte[] out = new byte[32];
    sha.doFinal(out, 0);
    return out;
  }
}
