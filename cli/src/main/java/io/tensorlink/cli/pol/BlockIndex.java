package io.tensorlink.cli.pol;

import io.tensorlink.cli.contracts.Uint256;
import java.math.BigInteger;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A block index ({@code uint64} on chain, kept below 2^63 here): a usage error naming the argument when out of range. */
public final class BlockIndex implements ITypeConverter<Long> {
  @Override
  public Long convert(final String value) {
    final BigInteger n = new Uint256().convert(value);
    if (n.bitLength() > 63) {
      throw new TypeConversionException("'" + value + "' is not a block index (0 to 2^63 - 1)");
    }
    return n.longValueExact();
  }
}
