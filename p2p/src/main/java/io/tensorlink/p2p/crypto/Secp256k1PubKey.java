package io.tensorlink.p2p.crypto;

import io.tensorlink.p2p.util.MalformedInputException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A secp256k1 public key; raw form is the 33-byte compressed point. Signatures are DER-encoded
 * ECDSA over SHA-256 of the data, as in the libp2p peer-ID spec.
 */
public final class Secp256k1PubKey implements PubKey {
  private final byte[] compressed;
  private final ECPoint point;

  Secp256k1PubKey(final ECPoint point) {
    this.point = point.normalize();
    this.compressed = this.point.getEncoded(true);
  }

  /** Accepts compressed (33 bytes) or uncompressed (65 bytes) points. */
  public static Secp256k1PubKey fromRaw(final byte[] raw) {
    if (raw.length != 33 && raw.length != 65) {
      throw new MalformedInputException("secp256k1 public key must be 33 or 65 bytes, got " + raw.length);
    }
    try {
      return new Secp256k1PubKey(Secp256k1Curve.PARAMS.getCurve().decodePoint(raw));
    } catch (final IllegalArgumentException e) {
      throw new MalformedInputException("invalid secp256k1 point: " + e.getMessage(), e);
    }
  }

  @Override
  public KeyType type() {
    return KeyType.SECP256K1;
  }

  @Override
  public byte[] raw() {
    return compressed.clone();
  }

  @Override
  public boolean verify(final byte[] data, final byte[] signature) {
    try {
      final ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(signature));
      if (seq.size() != 2) {
        return false;
      }
      final BigInteger r = ASN1Integer.getInstance(seq.getObjectAt(0)).getPositiveValue();
      final BigInteger s = ASN1Integer.getInstance(seq.getObjectAt(1)).getPositiveValue();
      final ECDSASigner verifier = new ECDSASigner();
      verifier.init(false, new ECPublicKeyParameters(point, Secp256k1Curve.DOMAIN));
      return verifier.verifySignature(Secp256k1Curve.sha256(data), r, s);
    } catch (final java.io.IOException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof Secp256k1PubKey other && Arrays.equals(compressed, other.compressed);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(compressed);
  }

  @Override
  public String toString() {
    return "Secp256k1PubKey[" + HexFormat.of().formatHex(compressed) + "]";
  }
}
