package io.tensorlink.p2p.noise;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The carry corner cases of RFC 8439 appendix A.3 (the full-block ones; our {@link Poly1305} pads
 * partial blocks with zeros as the AEAD does), and a BigInteger reference on inputs biased towards
 * all-zero and all-one bytes, where carry bugs would show: short inputs run the scalar loop, those
 * of {@link Poly1305#LANES_MIN_BYTES} and more the vector lanes (the tests run with the module).
 */
class Poly1305Test {
  private static final BigInteger P = BigInteger.ONE.shiftLeft(130).subtract(BigInteger.valueOf(5));

  private static byte[] hex(final String s) {
    return HexFormat.of().parseHex(s);
  }

  private static byte[] mac(final byte[] key, final byte[] data) {
    final Poly1305 poly = new Poly1305();
    poly.init(key);
    poly.update(data, 0, data.length);
    final byte[] tag = new byte[16];
    poly.finish(tag, 0);
    return tag;
  }

  @ParameterizedTest(name = "RFC 8439 A.3 #{0}")
  @CsvSource({
    "1, 0000000000000000000000000000000000000000000000000000000000000000, "
        + "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000, "
        + "00000000000000000000000000000000",
    "5, 0200000000000000000000000000000000000000000000000000000000000000, FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF, 03000000000000000000000000000000",
    "6, 02000000000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF, 02000000000000000000000000000000, 03000000000000000000000000000000",
    "7, 0100000000000000000000000000000000000000000000000000000000000000, "
        + "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFF11000000000000000000000000000000, "
        + "05000000000000000000000000000000",
    "8, 0100000000000000000000000000000000000000000000000000000000000000, "
        + "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFBFEFEFEFEFEFEFEFEFEFEFEFEFEFEFE01010101010101010101010101010101, "
        + "00000000000000000000000000000000",
    "9, 0200000000000000000000000000000000000000000000000000000000000000, FDFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF, FAFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
    "10, 0100000000000000040000000000000000000000000000000000000000000000, "
        + "E33594D7505E43B900000000000000003394D7505E4379CD010000000000000000000000000000000000000000000000"
        + "01000000000000000000000000000000, "
        + "14000000000000005500000000000000",
    "11, 0100000000000000040000000000000000000000000000000000000000000000, "
        + "E33594D7505E43B900000000000000003394D7505E4379CD010000000000000000000000000000000000000000000000, "
        + "13000000000000000000000000000000",
  })
  void rfc8439Vectors(final int number, final String key, final String data, final String tag) {
    assertThat(mac(hex(key), hex(data))).as("vector #%d", number).isEqualTo(hex(tag));
  }

  @Property(tries = 2000)
  void matchesABigIntegerReference(@ForAll @IntRange(max = 3000) final int length, @ForAll final long seed) {
    final Random random = new Random(seed);
    final byte[] key = extremeBytes(random, 32);
    final byte[] data = extremeBytes(random, length);
    assertThat(mac(key, data)).isEqualTo(reference(key, data));
  }

  /** Random bytes, but mostly runs of 0x00 or 0xff, so limbs and sums sit at their edges. */
  private static byte[] extremeBytes(final Random random, final int n) {
    final byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      final int kind = random.nextInt(4);
      b[i] = kind == 0 ? 0 : kind == 1 ? (byte) random.nextInt() : (byte) 0xff;
    }
    return b;
  }

  /** RFC 8439 §2.5 with the AEAD's zero padding of a partial last block, in plain big integers. */
  private static byte[] reference(final byte[] key, final byte[] data) {
    final byte[] rBytes = key.clone();
    for (final int i : new int[] {3, 7, 11, 15}) {
      rBytes[i] &= 15;
    }
    for (final int i : new int[] {4, 8, 12}) {
      rBytes[i] &= (byte) 252;
    }
    final BigInteger r = le(rBytes, 0, 16);
    final BigInteger s = le(key, 16, 16);
    BigInteger h = BigInteger.ZERO;
    for (int i = 0; i < data.length; i += 16) {
      final byte[] block = new byte[16];
      System.arraycopy(data, i, block, 0, Math.min(16, data.length - i));
      h = h.add(le(block, 0, 16)).add(BigInteger.ONE.shiftLeft(128)).multiply(r).mod(P);
    }
    final byte[] sum = h.add(s).toByteArray();
    final byte[] tag = new byte[16];
    for (int i = 0; i < 16 && i < sum.length; i++) {
      tag[i] = sum[sum.length - 1 - i];
    }
    return tag;
  }

  private static BigInteger le(final byte[] b, final int offset, final int n) {
    final byte[] be = new byte[n + 1];
    for (int i = 0; i < n; i++) {
      be[n - i] = b[offset + i];
    }
    return new BigInteger(be);
  }
}
