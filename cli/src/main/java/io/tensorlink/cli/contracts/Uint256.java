package io.tensorlink.cli.contracts;

import java.math.BigInteger;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Whole numbers the contracts take as {@code uint256} (job ids): checked on the command line, so
 * that {@code -1} or an 80-digit id is a usage error naming the flag, not an ABI encoder's message.
 */
public final class Uint256 implements ITypeConverter<BigInteger> {
  /** 2^256: the first value a uint256 cannot hold. */
  public static final BigInteger LIMIT = BigInteger.ONE.shiftLeft(256);

  @Override
  public BigInteger convert(final String value) {
    final BigInteger n;
    try {
      n = new BigInteger(value.trim());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is not a whole number");
    }
    if (n.signum() < 0) {
      throw new TypeConversionException("'" + value + "' is negative");
    }
    if (n.compareTo(LIMIT) >= 0) {
      throw new TypeConversionException("'" + value + "' does not fit in 256 bits");
    }
    return n;
  }
}
