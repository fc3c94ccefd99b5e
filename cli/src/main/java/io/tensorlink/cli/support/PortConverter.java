package io.tensorlink.cli.support;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A TCP port on the command line: 0 to 65535, else a usage error naming the option (not the socket library's message). */
public final class PortConverter implements ITypeConverter<Integer> {
  private static final int MAX = 65_535;

  @Override
  public Integer convert(final String value) {
    final int port;
    try {
      port = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is not a TCP port (0 to " + MAX + ")");
    }
    if (port < 0 || port > MAX) {
      throw new TypeConversionException("'" + value + "' is not a TCP port (0 to " + MAX + ")");
    }
    return port;
  }
}
