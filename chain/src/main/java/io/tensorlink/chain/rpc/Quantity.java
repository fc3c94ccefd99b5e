package io.tensorlink.chain.rpc;

import java.math.BigInteger;

/**
 * JSON-RPC quantities the Ethereum way: results are 0x-hex without leading zeros; parameters may
 * also be given as decimal strings or JSON integers, since Besu hands plugin parameters over as
 * whatever JSON type the caller sent.
 */
final class Quantity {
  private Quantity() {}

  static String hex(final long value) {
    return hex(BigInteger.valueOf(value));
  }

  static String hex(final BigInteger value) {
    return "0x" + value.toString(16);
  }

  /** Parses parameter {@code name}; throws INVALID_PARAMS naming it. */
  static BigInteger parse(final Object value, final String name) {
    final BigInteger v;
    try {
      if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
        v = new BigInteger(value.toString());
      } else if (value instanceof String s && (s.startsWith("0x") || s.startsWith("0X")) && s.length() > 2) {
        v = new BigInteger(s.substring(2), 16);
      } else if (value instanceof String s && !s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
        v = new BigInteger(s);
      } else {
        throw TlRpcException.invalidParams(name + ": expected a quantity (0x-hex or decimal), got " + describe(value));
      }
    } catch (NumberFormatException e) {
      throw TlRpcException.invalidParams(name + ": expected a quantity (0x-hex or decimal), got " + describe(value));
    }
    if (v.signum() < 0 || v.bitLength() > 256) {
      throw TlRpcException.invalidParams(name + ": must be a uint256, got " + value);
    }
    return v;
  }

  static long parseLong(final Object value, final String name, final long max) {
    final BigInteger v = parse(value, name);
    if (v.compareTo(BigInteger.valueOf(max)) > 0) {
      throw TlRpcException.invalidParams(name + ": must be at most " + max + ", got " + v);
    }
    return v.longValueExact();
  }

  private static String describe(final Object value) {
    return value == null ? "null" : value instanceof String s ? "'" + s + "'" : value.getClass().getSimpleName() + " " + value;
  }
}
