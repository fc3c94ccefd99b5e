package io.tensorlink.chain.xmr;

import java.math.BigInteger;
import java.util.Arrays;
import org.web3j.crypto.Hash;

/**
 * Checks a Monero address before money is sent to it: Monero's block-wise base58, the network byte
 * (mainnet standard address or subaddress; regtest uses the mainnet formats) and the 4-byte keccak-256
 * checksum. A worker's payout address is checked when it is configured, so a typo fails there and not
 * in an escrow's terms.
 */
public final class MoneroAddress {
  private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  /** Encoded size of a block of 0..8 bytes. */
  private static final int[] ENCODED_BLOCK = {0, 2, 3, 5, 6, 7, 9, 10, 11};
  private static final int STANDARD = 18;
  private static final int INTEGRATED = 19;
  private static final int SUBADDRESS = 42;
  private static final int LENGTH = 95;
  private static final BigInteger BASE = BigInteger.valueOf(58);

  private MoneroAddress() {}

  /** {@code address} if it is a valid mainnet/regtest standard address or subaddress; else why not. */
  public static String check(final String address) {
    final String a = address.strip();
    if (a.length() == 106) {
      throw new IllegalArgumentException("integrated addresses (106 characters) are not accepted: give the wallet's"
          + " standard address (4…) or a subaddress (8…)");
    }
    if (a.length() != LENGTH) {
      throw new IllegalArgumentException("a Monero address has 95 characters, this one " + a.length());
    }
    final byte[] raw = decode(a);
    final int network = raw[0] & 0xff;
    if (network == INTEGRATED || network != STANDARD && network != SUBADDRESS) {
      throw new IllegalArgumentException("not a mainnet standard address or subaddress (network byte " + network
          + "; testnet and stagenet addresses are not accepted)");
    }
    final byte[] sum = Hash.sha3(Arrays.copyOf(raw, raw.length - 4));
    if (!Arrays.equals(sum, 0, 4, raw, raw.length - 4, raw.length)) {
      throw new IllegalArgumentException("the address's checksum does not match: a character is wrong");
    }
    return a;
  }

  private static byte[] decode(final String a) {
    final int fullBlocks = a.length() / 11;
    final int lastChars = a.length() % 11;
    final int lastBytes = Arrays.binarySearch(ENCODED_BLOCK, lastChars);
    if (lastBytes < 0) {
      throw new IllegalArgumentException("not Monero base58 (bad length)");
    }
    final byte[] out = new byte[fullBlocks * 8 + lastBytes];
    for (int b = 0; b <= fullBlocks; b++) {
      final int chars = b < fullBlocks ? 11 : lastChars;
      final int bytes = b < fullBlocks ? 8 : lastBytes;
      if (chars == 0) {
        continue;
      }
      BigInteger v = BigInteger.ZERO;
      for (int i = 0; i < chars; i++) {
        final char c = a.charAt(b * 11 + i);
        final int digit = ALPHABET.indexOf(c);
        if (digit < 0) {
          throw new IllegalArgumentException("'" + c + "' is not a Monero base58 character");
        }
        v = v.multiply(BASE).add(BigInteger.valueOf(digit));
      }
      if (v.bitLength() > bytes * 8) {
        throw new IllegalArgumentException("not Monero base58 (block " + b + " overflows)");
      }
      final byte[] be = v.toByteArray();
      final int copy = Math.min(be.length, bytes);
      System.arraycopy(be, be.length - copy, out, b * 8 + bytes - copy, copy);
    }
    return out;
  }
}
