package io.tensorlink.cli.support;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.util.Locale;
import org.web3j.crypto.Keys;

/**
 * How people read chain values, the same in every command: TL and ETH amounts (not wei) with
 * thousands separators, ISO-8601 instants (not Unix seconds), EIP-55 checksummed addresses.
 * JSON output keeps exact values instead (wei as decimal strings, Unix seconds, checksummed addresses).
 */
public final class Units {
  private static final BigDecimal WEI_PER_UNIT = BigDecimal.TEN.pow(18);

  private Units() {}

  /** wei as TL: {@code 39,900 TL}, {@code 0.5 TL}. */
  public static String tl(final BigInteger wei) {
    return decimal(wei) + " TL";
  }

  /** wei as ETH: {@code 10,000 ETH}, {@code 0.000021 ETH}. */
  public static String eth(final BigInteger wei) {
    return decimal(wei) + " ETH";
  }

  /** wei as a plain decimal number of whole units, without separators (JSON's tl/eth fields). */
  public static String plain(final BigInteger wei) {
    return new BigDecimal(wei).divide(WEI_PER_UNIT, 18, RoundingMode.UNNECESSARY).stripTrailingZeros().toPlainString();
  }

  private static String decimal(final BigInteger wei) {
    final BigDecimal units = new BigDecimal(wei).divide(WEI_PER_UNIT, 18, RoundingMode.UNNECESSARY).stripTrailingZeros();
    final DecimalFormat format = new DecimalFormat("#,##0.##################", DecimalFormatSymbols.getInstance(Locale.ROOT));
    return format.format(units);
  }

  /** Unix seconds as an ISO-8601 instant. */
  public static String time(final BigInteger unixSeconds) {
    return Instant.ofEpochSecond(unixSeconds.longValueExact()).toString();
  }

  /** An address with its EIP-55 checksum. */
  public static String address(final String address) {
    return Keys.toChecksumAddress(address);
  }

  /** A count with thousands separators. */
  public static String count(final long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
