package io.tensorlink.chain.pol;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.crypto.Hash;

/**
 * {@code abi.encode} of static words, which is all EIP-712 struct hashes and the sample predicate
 * need: every field is one 32-byte word, so building the preimage is appending words.
 */
public final class Abi {
  private static final BigInteger MAX_UINT256 = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
  private final byte[] out;
  private int words;

  private Abi(final int capacityWords) {
    out = new byte[capacityWords * 32];
  }

  public static Abi words(final int count) {
    return new Abi(count);
  }

  public Abi bytes32(final Bytes32 value) {
    System.arraycopy(value.toArrayUnsafe(), 0, out, 32 * words++, 32);
    return this;
  }

  /** An unsigned integer of up to 256 bits. */
  public Abi uint(final BigInteger value) {
    if (value.signum() < 0 || value.compareTo(MAX_UINT256) > 0) {
      throw new IllegalArgumentException("not a uint256: " + value);
    }
    final byte[] b = value.toByteArray();
    final int skip = b.length > 32 ? 1 : 0;
    System.arraycopy(b, skip, out, 32 * words + 32 - (b.length - skip), b.length - skip);
    words++;
    return this;
  }

  /** {@code value}'s 64 bits read as unsigned (a {@code uint64} field). */
  public Abi uint64(final long value) {
    for (int i = 0; i < 8; i++) {
      out[32 * words + 31 - i] = (byte) (value >>> (8 * i));
    }
    words++;
    return this;
  }

  public Abi address(final EthAddress a) {
    System.arraycopy(a.value().toArrayUnsafe(), 0, out, 32 * words + 12, 20);
    words++;
    return this;
  }

  public byte[] encoded() {
    if (32 * words != out.length) {
      throw new IllegalStateException("wrote " + words + " of " + out.length / 32 + " words");
    }
    return out.clone();
  }

  public Bytes32 keccak() {
    return Bytes32.wrap(Hash.sha3(encoded()));
  }

  public static Bytes32 keccak(final String text) {
    return Bytes32.wrap(Hash.sha3(text.getBytes(StandardCharsets.UTF_8)));
  }

  public static Bytes32 keccak(final Bytes data) {
    return Bytes32.wrap(Hash.sha3(data.toArrayUnsafe()));
  }
}
