package io.tensorlink.p2p.util;

import java.util.Arrays;

/** base58btc (the Bitcoin alphabet), used for peer IDs in text form. */
public final class Base58 {
  private static final char[] ALPHABET =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
  private static final int[] INDEXES = new int[128];

  static {
    Arrays.fill(INDEXES, -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      INDEXES[ALPHABET[i]] = i;
    }
  }

  private Base58() {}

  public static String encode(final byte[] input) {
    if (input.length == 0) {
      return "";
    }
    int zeros = 0;
    while (zeros < input.length && input[zeros] == 0) {
      zeros++;
    }
    final byte[] digits = Arrays.copyOf(input, input.length);
    final char[] encoded = new char[input.length * 2];
    int outputStart = encoded.length;
    for (int inputStart = zeros; inputStart < digits.length; ) {
      encoded[--outputStart] = ALPHABET[divmod(digits, inputStart, 256, 58)];
      if (digits[inputStart] == 0) {
        inputStart++;
      }
    }
    while (outputStart < encoded.length && encoded[outputStart] == ALPHABET[0]) {
      outputStart++;
    }
    while (--zeros >= 0) {
      encoded[--outputStart] = ALPHABET[0];
    }
    return new String(encoded, outputStart, encoded.length - outputStart);
  }

  /** Decodes base58btc; throws {@link MalformedInputException} naming the first bad character. */
  public static byte[] decode(final String input) {
    if (input.isEmpty()) {
      return new byte[0];
    }
    final byte[] input58 = new byte[input.length()];
    for (int i = 0; i < input.length(); i++) {
      final char c = input.charAt(i);
      final int digit = c < 128 ? INDEXES[c] : -1;
      if (digit < 0) {
        throw new MalformedInputException(
            "invalid base58btc character '" + c + "' at position " + i);
      }
      input58[i] = (byte) digit;
    }
    int zeros = 0;
    while (zeros < input58.length && input58[zeros] == 0) {
      zeros++;
    }
    final byte[] decoded = new byte[input.length()];
    int outputStart = decoded.length;
    for (int inputStart = zeros; inputStart < input58.length; ) {
      decoded[--outputStart] = divmod(input58, inputStart, 58, 256);
      if (input58[inputStart] == 0) {
        inputStart++;
      }
    }
    while (outputStart < decoded.length && decoded[outputStart] == 0) {
      outputStart++;
    }
    return Arrays.copyOfRange(decoded, outputStart - zeros, decoded.length);
  }

  /** Divides the big-endian number in {@code number[first..]} in place; returns the remainder. */
  private static byte divmod(final byte[] number, final int first, final int base, final int divisor) {
    int remainder = 0;
    for (int i = first; i < number.length; i++) {
      final int digit = number[i] & 0xFF;
      final int temp = remainder * base + digit;
      number[i] = (byte) (temp / divisor);
      remainder = temp % divisor;
    }
    return (byte) remainder;
  }
}
