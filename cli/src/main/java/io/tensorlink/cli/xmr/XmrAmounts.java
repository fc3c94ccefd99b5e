package io.tensorlink.cli.xmr;

import java.math.BigDecimal;

/** Piconero (1 XMR = 10^12): shown as XMR with no trailing zeros, parsed from decimal XMR. */
public final class XmrAmounts {
  private XmrAmounts() {}

  /** Decimal XMR → piconero: not negative, at most 12 decimals; else {@link IllegalArgumentException} with why. */
  public static long parse(final String raw) {
    final BigDecimal xmr;
    try {
      xmr = new BigDecimal(raw.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a decimal XMR amount");
    }
    if (xmr.signum() < 0 || xmr.stripTrailingZeros().scale() > 12) {
      throw new IllegalArgumentException("must be at least 0 with at most 12 decimals (1 piconero)");
    }
    try {
      return xmr.movePointRight(12).longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("too large");
    }
  }

  /** {@link #parse} for a command-line flag: a usage error naming it. */
  static long piconero(final String flag, final String raw) {
    try {
      return parse(raw);
    } catch (final IllegalArgumentException e) {
      throw new io.tensorlink.cli.CliException(flag + " '" + raw + "': " + e.getMessage(), io.tensorlink.cli.ExitCodes.USAGE);
    }
  }

  static String xmr(final long piconero) {
    return new BigDecimal(piconero).movePointLeft(12).stripTrailingZeros().toPlainString();
  }
}
