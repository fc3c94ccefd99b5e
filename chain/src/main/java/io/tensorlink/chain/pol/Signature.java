package io.tensorlink.chain.pol;

import java.math.BigInteger;
import java.security.SignatureException;
import java.util.Arrays;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/**
 * A 65-byte secp256k1 signature {@code r ‖ s ‖ v} as OpenZeppelin's {@code ECDSA.recover} takes it:
 * v is 27 or 28 and s is in the lower half of the curve order (web3j signs that way, RFC 6979).
 */
public record Signature(Bytes value) {
  public static final int LENGTH = 65;
  private static final BigInteger HALF_N =
      new BigInteger("7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0", 16);

  public Signature {
    if (value == null || value.size() != LENGTH) {
      throw new IllegalArgumentException("a signature is " + LENGTH + " bytes r‖s‖v, got "
          + (value == null ? "null" : value.size() + " bytes"));
    }
    final int v = value.get(64) & 0xff;
    if (v != 27 && v != 28) {
      throw new IllegalArgumentException("signature v must be 27 or 28, got " + v);
    }
    if (value.slice(32, 32).toUnsignedBigInteger().compareTo(HALF_N) > 0) {
      throw new IllegalArgumentException("signature s is in the upper half of the curve order (malleable form)");
    }
  }

  /** Signs a 32-byte digest with the account key (deterministic, RFC 6979). */
  public static Signature sign(final Credentials account, final Bytes32 digest) {
    final Sign.SignatureData sig = Sign.signMessage(digest.toArrayUnsafe(), account.getEcKeyPair(), false);
    final byte[] out = new byte[LENGTH];
    System.arraycopy(sig.getR(), 0, out, 0, 32);
    System.arraycopy(sig.getS(), 0, out, 32, 32);
    out[64] = sig.getV()[0];
    return new Signature(Bytes.wrap(out));
  }

  /** The address whose key produced this signature over {@code digest}. */
  public EthAddress recover(final Bytes32 digest) {
    final byte[] b = value.toArrayUnsafe();
    final Sign.SignatureData data = new Sign.SignatureData(b[64], Arrays.copyOfRange(b, 0, 32), Arrays.copyOfRange(b, 32, 64));
    try {
      final BigInteger key = Sign.signedMessageHashToKey(digest.toArrayUnsafe(), data);
      return EthAddress.of("0x" + Keys.getAddress(key));
    } catch (SignatureException e) {
      throw new IllegalArgumentException("signature does not recover to a key: " + e.getMessage(), e);
    }
  }

  /** Whether this signature over {@code digest} is by {@code signer}; false for an unrecoverable one. */
  public boolean isBy(final EthAddress signer, final Bytes32 digest) {
    try {
      return recover(digest).equals(signer);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
