package io.tensorlink.chain.validator;

import java.util.HexFormat;
import java.util.Locale;

/** Address and hash text forms used in logs and maps (lower-case, 0x-prefixed). */
public final class Hex {
  private static final HexFormat HEX = HexFormat.of();

  private Hex() {}

  public static String of(final byte[] bytes) {
    return "0x" + HEX.formatHex(bytes);
  }

  /** A 20-byte address from its 0x text form. */
  public static byte[] address(final String text) {
    final String digits = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
    if (digits.length() != 40) {
      throw new IllegalArgumentException("an address has 40 hex digits, got '" + text + "'");
    }
    return HEX.parseHex(digits.toLowerCase(Locale.ROOT));
  }

  /** The canonical (lower-case) text form of an address. */
  public static String normalize(final String address) {
    return of(address(address));
  }
}
