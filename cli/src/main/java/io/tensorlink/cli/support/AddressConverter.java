package io.tensorlink.cli.support;

import org.web3j.crypto.WalletUtils;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * An account address on the command line, checked while parsing: a typo is a usage error naming
 * the parameter (exit 2) before any chain is contacted.
 */
public final class AddressConverter implements ITypeConverter<String> {
  @Override
  public String convert(final String value) {
    if (!WalletUtils.isValidAddress(value)) {
      throw new TypeConversionException("'" + value + "' is not an address (0x and 40 hex digits)");
    }
    return value;
  }
}
