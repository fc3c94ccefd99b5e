package io.tensorlink.chain.pol;

import java.math.BigInteger;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.crypto.Hash;

/**
 * The mandatory sample (PROTOCOL.md): validator {@code v} must re-execute record leaf {@code L} iff
 * {@code uint256(keccak256(abi.encodePacked(randomness, v, L))) % 1_000_000 < verifyRatePpm}. The
 * inputs are public once the header is, so anyone (the court included) recomputes it; the mod
 * form differs from design.md's {@code < p·2^256} only by a bias below 2^-236.
 */
public final class Sampling {
  public static final int PPM = 1_000_000;
  private static final BigInteger MILLION = BigInteger.valueOf(PPM);

  private Sampling() {}

  /** The value compared with the rate: the 84-byte packed preimage's hash mod 10^6. */
  public static int value(final Bytes32 randomness, final EthAddress validator, final Bytes32 leaf) {
    final byte[] packed = new byte[84];
    System.arraycopy(randomness.toArrayUnsafe(), 0, packed, 0, 32);
    System.arraycopy(validator.value().toArrayUnsafe(), 0, packed, 32, 20);
    System.arraycopy(leaf.toArrayUnsafe(), 0, packed, 52, 32);
    return new BigInteger(1, Hash.sha3(packed)).mod(MILLION).intValueExact();
  }

  public static boolean mandatory(final Bytes32 randomness, final EthAddress validator, final Bytes32 leaf,
      final int verifyRatePpm) {
    checkRate(verifyRatePpm);
    return value(randomness, validator, leaf) < verifyRatePpm;
  }

  static void checkRate(final int ppm) {
    if (ppm < 1 || ppm > PPM) {
      throw new IllegalArgumentException("verify rate must be in [1, 1000000] ppm, got " + ppm);
    }
  }
}
