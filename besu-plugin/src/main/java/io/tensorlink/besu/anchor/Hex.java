package io.tensorlink.besu.anchor;

import java.util.HexFormat;
import java.util.Locale;

/** Lower-case 0x-hex, the one textual form of hashes and addresses inside the plugin. */
public final class Hex {
  private static final HexFormat HEX = HexFormat.of();

  private Hex() {}

  public static String of(final byte[] bytes) {
    return "0x" + HEX.formatHex(bytes);
  }

  /** Parses 0x-hex of exactly {@code size} bytes; {@code what} names the value in the error. */
  public static byte[] parse(final String text, final int size, final String what) {
    if (text == null || !text.startsWith("0x") || text.length() != 2 + 2 * size) {
      throw new IllegalArgumentException(what + ": expected 0x and " + 2 * size + " hex digits, got '" + text + "'");
    }
    try {
      return HEX.parseHex(text.substring(2).toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": not hex: '" + text + "'", e);
    }
  }

  /** Normalizes any-case 0x-hex of {@code size} bytes to lower case. */
  public static String normalize(final String text, final int size, final String what) {
    return of(parse(text, size, what));
  }
}
