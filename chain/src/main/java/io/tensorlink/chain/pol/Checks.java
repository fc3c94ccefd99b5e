package io.tensorlink.chain.pol;

import java.math.BigInteger;

/** Argument checks shared by the protocol records; each failure names the field. */
final class Checks {
  private static final int UINT256_BITS = 256;

  private Checks() {}

  static void present(final String field, final Object value) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is required");
    }
  }

  static void uint256(final String field, final BigInteger value) {
    present(field, value);
    if (value.signum() < 0 || value.bitLength() > UINT256_BITS) {
      throw new IllegalArgumentException(field + " must be a uint256, got " + value);
    }
  }

  static void nonNegative(final String field, final long value) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must be >= 0, got " + value);
    }
  }

  static void positive(final String field, final long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + " must be > 0, got " + value);
    }
  }

  static void topology(final int stage, final int replica, final int stages, final int replicas) {
    positive("stages", stages);
    positive("replicas", replicas);
    if (stage < 0 || stage >= stages) {
      throw new IllegalArgumentException("stage " + stage + " outside [0, " + stages + ")");
    }
    if (replica < 0 || replica >= replicas) {
      throw new IllegalArgumentException("replica " + replica + " outside [0, " + replicas + ")");
    }
  }
}
