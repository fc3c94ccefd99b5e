package io.tensorlink.chain.pol;

import org.apache.tuweni.bytes.Bytes;
import org.web3j.crypto.Keys;

/** A 20-byte Ethereum account address; {@link #toString()} is the EIP-55 checksummed form. */
public record EthAddress(Bytes value) implements Comparable<EthAddress> {
  public static final int LENGTH = 20;

  public EthAddress {
    if (value == null || value.size() != LENGTH) {
      throw new IllegalArgumentException("an address is " + LENGTH + " bytes, got "
          + (value == null ? "null" : value.size() + " bytes"));
    }
  }

  /** Parses {@code 0x} + 40 hex digits (any case). */
  public static EthAddress of(final String hex) {
    if (hex == null || !hex.matches("0x[0-9a-fA-F]{40}")) {
      throw new IllegalArgumentException("not an address (0x + 40 hex digits): " + hex);
    }
    return new EthAddress(Bytes.fromHexString(hex));
  }

  /** The canonical lower-case {@code 0x} form of {@code hex} (0x + 40 hex digits, any case), used as a map key and in logs. */
  public static String lower(final String hex) {
    return of(hex).value.toHexString();
  }

  /** The 20 bytes of {@code hex} (0x + 40 hex digits, any case). */
  public static byte[] bytes(final String hex) {
    return of(hex).toArray();
  }

  public byte[] toArray() {
    return value.toArrayUnsafe().clone();
  }

  @Override
  public String toString() {
    return Keys.toChecksumAddress(value.toHexString());
  }

  /** Numeric order of the 160-bit value, which is what {@code submit}'s ascending-signer rule uses. */
  @Override
  public int compareTo(final EthAddress o) {
    return value.compareTo(o.value);
  }
}
