package io.tensorlink.cli.contracts;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** How a transaction command sends: for real or as a preview, with or without asking, at which nonce and price. */
public final class TxOptions {
  @Option(names = "--dry-run", description = "Check and estimate only: print the transactions, their gas and fee, and what would change; send nothing.")
  boolean dryRun;

  @Option(names = {"-y", "--yes"}, description = "Move value without asking for confirmation; required off a terminal (scripts, pipes).")
  boolean yes;

  @Option(names = "--nonce", paramLabel = "<n>", converter = NonceConverter.class,
      description = "Nonce of the (first) transaction, e.g. to replace a stuck one (default: the account's next).")
  BigInteger nonce;

  @Option(names = {"--gas-price", "--max-fee"}, paramLabel = "<gwei>", converter = GweiConverter.class,
      description = "Pay this price per gas, in gwei: the gas price, or on an EIP-1559 chain both the fee cap and the tip (default: the node's fee suggestion).")
  BigInteger gasPriceWei;

  public boolean dryRun() {
    return dryRun;
  }

  public boolean yes() {
    return yes;
  }

  Optional<BigInteger> nonce() {
    return Optional.ofNullable(nonce);
  }

  Optional<BigInteger> gasPrice() {
    return Optional.ofNullable(gasPriceWei);
  }

  /** A nonce: 0 to 2^64 - 2 (EIP-2681). */
  static final class NonceConverter implements ITypeConverter<BigInteger> {
    private static final BigInteger MAX = BigInteger.TWO.pow(64).subtract(BigInteger.TWO);

    @Override
    public BigInteger convert(final String value) {
      final BigInteger n = new Uint256().convert(value);
      if (n.compareTo(MAX) > 0) {
        throw new TypeConversionException("'" + value + "' is above the largest nonce (2^64 - 2)");
      }
      return n;
    }
  }

  /** Gwei (decimal, up to 9 decimals) to wei, at most 1,000,000 gwei: more is a typo, not a price. */
  static final class GweiConverter implements ITypeConverter<BigInteger> {
    private static final BigDecimal MAX_GWEI = BigDecimal.valueOf(1_000_000);

    @Override
    public BigInteger convert(final String value) {
      final BigDecimal gwei;
      try {
        gwei = new BigDecimal(value.trim());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not a number of gwei");
      }
      if (gwei.signum() < 0 || gwei.compareTo(MAX_GWEI) > 0) {
        throw new TypeConversionException("'" + value + "' must be between 0 and 1000000 gwei");
      }
      try {
        return gwei.movePointRight(9).toBigIntegerExact();
      } catch (ArithmeticException e) {
        throw new TypeConversionException("'" + value + "' has more than 9 decimals of gwei");
      }
    }
  }
}
