package io.tensorlink.cli.xmr;

import java.math.BigDecimal;

/** Piconero (1 XMR = 10^12) shown as XMR with no trailing zeros. */
final class XmrAmounts {
  private XmrAmounts() {}

  static String xmr(final long piconero) {
    return new BigDecimal(piconero).movePointLeft(12).stripTrailingZeros().toPlainString();
  }
}
