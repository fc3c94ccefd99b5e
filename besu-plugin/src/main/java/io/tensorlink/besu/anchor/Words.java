package io.tensorlink.besu.anchor;

import java.math.BigInteger;
import java.util.Arrays;

/** 32-byte ABI words. */
final class Words {
  static final int WORD = 32;

  private Words() {}

  static byte[] uint(final BigInteger value) {
    if (value.signum() < 0 || value.bitLength() > 256) {
      throw new IllegalArgumentException("not a uint256: " + value);
    }
    final byte[] raw = value.toByteArray();
    final byte[] word = new byte[WORD];
    final int n = Math.min(raw.length, WORD);
    System.arraycopy(raw, raw.length - n, word, WORD - n, n);
    return word;
  }

  /** The word at byte offset {@code at}, which the caller has bounds-checked. */
  static byte[] at(final byte[] data, final int at) {
    return Arrays.copyOfRange(data, at, at + WORD);
  }

  static BigInteger asUint(final byte[] word) {
    return new BigInteger(1, word);
  }

  /** Whether the top {@code 256 - bits} bits are zero (a canonical uintN / address encoding). */
  static boolean fits(final byte[] word, final int bits) {
    return asUint(word).bitLength() <= bits;
  }
}
