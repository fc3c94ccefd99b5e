package io.tensorlink.p2p.crypto;

import io.tensorlink.p2p.util.MalformedInputException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * An Ed25519 private key. Its libp2p raw form is seed ‖ public key (64 bytes), as go and js write
 * it; a bare 32-byte seed is accepted too. Signing uses the JDK.
 */
public final class Ed25519PrivKey implements PrivKey {
  private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

  private final byte[] seed;
  private final Ed25519PubKey publicKey;
  private final PrivateKey jdkKey;

  private Ed25519PrivKey(final byte[] seed, final Ed25519PubKey publicKey) {
    this.seed = seed;
    this.publicKey = publicKey;
    final byte[] encoded = Arrays.copyOf(PKCS8_PREFIX, PKCS8_PREFIX.length + 32);
    System.arraycopy(seed, 0, encoded, PKCS8_PREFIX.length, 32);
    try {
      this.jdkKey = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(encoded));
    } catch (final GeneralSecurityException e) {
      throw new MalformedInputException("invalid Ed25519 private key: " + e.getMessage(), e);
    }
  }

  static Ed25519PrivKey generate(final SecureRandom random) {
    try {
      final KeyPairGenerator kpg = KeyPairGenerator.getInstance("Ed25519");
      kpg.initialize(NamedParameterSpec.ED25519, random);
      final KeyPair pair = kpg.generateKeyPair();
      final byte[] pkcs8 = pair.getPrivate().getEncoded();
      final byte[] x509 = pair.getPublic().getEncoded();
      return new Ed25519PrivKey(
          Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length),
          Ed25519PubKey.fromRaw(Arrays.copyOfRange(x509, x509.length - 32, x509.length)));
    } catch (final GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks Ed25519", e);
    }
  }

  /** From a 32-byte seed; the public key is derived. */
  public static Ed25519PrivKey fromSeed(final byte[] seed) {
    if (seed.length != 32) {
      throw new MalformedInputException("Ed25519 seed must be 32 bytes, got " + seed.length);
    }
    final byte[] pub = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
    return new Ed25519PrivKey(seed.clone(), Ed25519PubKey.fromRaw(pub));
  }

  static Ed25519PrivKey fromRaw(final byte[] raw) {
    if (raw.length == 32) {
      return fromSeed(raw);
    }
    if (raw.length == 96) {
      // Legacy layout seed ‖ pub ‖ pub: both copies must agree.
      if (!Arrays.equals(raw, 32, 64, raw, 64, 96)) {
        throw new MalformedInputException("Ed25519 private key (96-byte form): the two public key copies differ");
      }
      return fromRaw(Arrays.copyOf(raw, 64));
    }
    if (raw.length != 64) {
      throw new MalformedInputException("Ed25519 private key must be 32, 64 or 96 bytes, got " + raw.length);
    }
    final Ed25519PrivKey key = fromSeed(Arrays.copyOf(raw, 32));
    if (!Arrays.equals(key.publicKey.raw(), Arrays.copyOfRange(raw, 32, 64))) {
      throw new MalformedInputException("Ed25519 private key: embedded public key does not match the seed");
    }
    return key;
  }

  @Override
  public KeyType type() {
    return KeyType.ED25519;
  }

  @Override
  public byte[] raw() {
    final byte[] out = Arrays.copyOf(seed, 64);
    System.arraycopy(publicKey.raw(), 0, out, 32, 32);
    return out;
  }

  @Override
  public byte[] sign(final byte[] data) {
    try {
      final Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(jdkKey);
      signer.update(data);
      return signer.sign();
    } catch (final GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  @Override
  public Ed25519PubKey publicKey() {
    return publicKey;
  }

  @Override
  public String toString() {
    return "Ed25519PrivKey[pub=" + HexFormat.of().formatHex(publicKey.raw()) + "]";
  }
}
