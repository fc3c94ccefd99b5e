package io.tensorlink.p2p.peer;

import io.tensorlink.p2p.util.MalformedInputException;
import java.io.ByteArrayOutputStream;

/** RFC 4648 base32, lower case, no padding: multibase prefix {@code b}, used by CIDv1 peer IDs. */
final class Base32 {
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

  private Base32() {}

  static byte[] decodeLower(final String text) {
    final ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() * 5 / 8);
    int buffer = 0;
    int bits = 0;
    for (int i = 0; i < text.length(); i++) {
      final int value = ALPHABET.indexOf(text.charAt(i));
      if (value < 0) {
        throw new MalformedInputException("invalid base32 character '" + text.charAt(i) + "' at position " + i);
      }
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        out.write((buffer >> bits) & 0xff);
      }
    }
    return out.toByteArray();
  }

  static String encodeLower(final byte[] data) {
    final StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (final byte b : data) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        bits -= 5;
        sb.append(ALPHABET.charAt((buffer >> bits) & 31));
      }
    }
    if (bits > 0) {
      sb.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
    }
    return sb.toString();
  }
}
