package io.tensorlink.compute.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.jcajce.provider.digest.Keccak.Digest256;
import org.junit.jupiter.api.Test;

/** The hand-written Keccak-256 against published vectors and, bit for bit, against BouncyCastle's. */
class KeccakTest {
  @Test
  void publishedVectors() {
    assertThat(Keccak.hex(Keccak.keccak256(new byte[0])))
        .isEqualTo("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    assertThat(Keccak.hex(Keccak.keccak256("abc".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
    assertThat(Keccak.hex(Keccak.keccak256("The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("0x4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15");
  }

  @Test
  void everyLengthAroundTheBlockBoundaryMatchesBouncyCastle() {
    final byte[] data = new byte[3 * 136 + 9];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31 + 7);
    }
    for (int n = 0; n <= data.length; n++) {
      final byte[] prefix = java.util.Arrays.copyOf(data, n);
      assertThat(Keccak.keccak256(prefix)).as("length %d", n).isEqualTo(new Digest256().digest(prefix));
    }
  }

  @Property(tries = 300)
  void partsHashLikeTheirConcatenation(@ForAll @Size(max = 6) final List<@Size(max = 700) byte[]> parts) {
    final Digest256 reference = new Digest256();
    parts.forEach(reference::update);
    assertThat(Keccak.keccak256(parts.toArray(byte[][]::new))).isEqualTo(reference.digest());
  }
}
