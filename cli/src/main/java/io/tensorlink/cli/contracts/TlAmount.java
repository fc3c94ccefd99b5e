package io.tensorlink.cli.contracts;

import io.tensorlink.contracts.deploy.SuiteParameters;
import java.math.BigDecimal;
import java.math.BigInteger;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** TL amounts on the command line: a decimal number of TL (up to 18 decimals), held as wei. */
public final class TlAmount implements ITypeConverter<BigInteger> {
  private static final BigDecimal WEI = new BigDecimal(SuiteParameters.WEI_PER_TL);

  @Override
  public BigInteger convert(final String value) {
    try {
      final BigDecimal tl = new BigDecimal(value.trim());
      if (tl.signum() <= 0) {
        throw new TypeConversionException("'" + value + "' must be a positive TL amount");
      }
      final BigInteger wei = tl.multiply(WEI).toBigIntegerExact();
      if (wei.compareTo(Uint256.LIMIT) >= 0) {
        throw new TypeConversionException("'" + value + "' TL is more than any account can hold (it does not fit in 256 bits of wei)");
      }
      return wei;
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is not a TL amount (a decimal number such as 39900 or 0.5)");
    } catch (ArithmeticException e) {
      throw new TypeConversionException("'" + value + "' has more than 18 decimals");
    }
  }
}
