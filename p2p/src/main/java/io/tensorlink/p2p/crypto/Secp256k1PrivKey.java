package io.tensorlink.p2p.crypto;

import io.tensorlink.p2p.util.MalformedInputException;
import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.util.BigIntegers;

/** A secp256k1 private key (32-byte scalar), signing deterministically (RFC 6979) with low S. */
public final class Secp256k1PrivKey implements PrivKey {
  private final BigInteger d;
  private final Secp256k1PubKey publicKey;

  private Secp256k1PrivKey(final BigInteger d) {
    this.d = d;
    this.publicKey = new Secp256k1PubKey(Secp256k1Curve.DOMAIN.getG().multiply(d));
  }

  static Secp256k1PrivKey generate(final SecureRandom random) {
    final BigInteger n = Secp256k1Curve.DOMAIN.getN();
    BigInteger d;
    do {
      d = new BigInteger(256, random);
    } while (d.signum() == 0 || d.compareTo(n) >= 0);
    return new Secp256k1PrivKey(d);
  }

  public static Secp256k1PrivKey fromRaw(final byte[] raw) {
    if (raw.length != 32) {
      throw new MalformedInputException("secp256k1 private key must be 32 bytes, got " + raw.length);
    }
    final BigInteger d = new BigInteger(1, raw);
    if (d.signum() == 0 || d.compareTo(Secp256k1Curve.DOMAIN.getN()) >= 0) {
      throw new MalformedInputException("secp256k1 private key is out of range");
    }
    return new Secp256k1PrivKey(d);
  }

  @Override
  public KeyType type() {
    return KeyType.SECP256K1;
  }

  @Override
  public byte[] raw() {
    return BigIntegers.asUnsignedByteArray(32, d);
  }

  @Override
  public byte[] sign(final byte[] data) {
    final ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(d, Secp256k1Curve.DOMAIN));
    final BigInteger[] rs = signer.generateSignature(Secp256k1Curve.sha256(data));
    final BigInteger n = Secp256k1Curve.DOMAIN.getN();
    final BigInteger s = rs[1].compareTo(n.shiftRight(1)) > 0 ? n.subtract(rs[1]) : rs[1];
    final ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(rs[0]));
    v.add(new ASN1Integer(s));
    try {
      return new DERSequence(v).getEncoded();
    } catch (final IOException e) {
      throw new IllegalStateException("DER encoding of an ECDSA signature failed", e);
    }
  }

  @Override
  public Secp256k1PubKey publicKey() {
    return publicKey;
  }

  @Override
  public String toString() {
    return "Secp256k1PrivKey[pub=" + publicKey + "]";
  }
}
