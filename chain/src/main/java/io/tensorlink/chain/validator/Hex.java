package io.tensorlink.chain.validator;

import io.tensorlink.chain.pol.EthAddress;
import org.web3j.utils.Numeric;

/**
 * Text forms for the node's status and views: a thin delegate kept for chain/node callers. New code
 * uses {@link Numeric#toHexString(byte[])} and {@link EthAddress#lower} directly.
 */
public final class Hex {
  private Hex() {}

  /** {@code 0x} + lower-case hex of {@code bytes}. */
  public static String of(final byte[] bytes) {
    return Numeric.toHexString(bytes);
  }

  /** The canonical (lower-case) text form of an address. */
  public static String normalize(final String address) {
    return EthAddress.lower(address);
  }
}
