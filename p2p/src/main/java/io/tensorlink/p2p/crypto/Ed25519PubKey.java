package io.tensorlink.p2p.crypto;

import io.tensorlink.p2p.util.MalformedInputException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/** An Ed25519 public key (32 bytes), verified with the JDK's EdDSA. */
public final class Ed25519PubKey implements PubKey {
  private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  private final byte[] raw;
  private final PublicKey jdkKey;

  private Ed25519PubKey(final byte[] raw, final PublicKey jdkKey) {
    this.raw = raw;
    this.jdkKey = jdkKey;
  }

  public static Ed25519PubKey fromRaw(final byte[] raw) {
    if (raw.length != 32) {
      throw new MalformedInputException("Ed25519 public key must be 32 bytes, got " + raw.length);
    }
    final byte[] encoded = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + 32);
    System.arraycopy(raw, 0, encoded, X509_PREFIX.length, 32);
    try {
      final PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
      return new Ed25519PubKey(raw.clone(), key);
    } catch (final GeneralSecurityException e) {
      throw new MalformedInputException("invalid Ed25519 public key: " + e.getMessage(), e);
    }
  }

  @Override
  public KeyType type() {
    return KeyType.ED25519;
  }

  @Override
  public byte[] raw() {
    return raw.clone();
  }

  @Override
  public boolean verify(final byte[] data, final byte[] signature) {
    if (signature.length != 64) {
      return false;
    }
    try {
      final Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(jdkKey);
      verifier.update(data);
      return verifier.verify(signature);
    } catch (final GeneralSecurityException | RuntimeException e) {
      // An invalid point or signature encoding is just a failed verification.
      return false;
    }
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof Ed25519PubKey other && Arrays.equals(raw, other.raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return "Ed25519PubKey[" + HexFormat.of().formatHex(raw) + "]";
  }
}
