package io.tensorlink.p2p.crypto;

import io.tensorlink.p2p.util.MalformedInputException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 private key. Its libp2p raw form is seed ‖ public key (64 bytes), as go and js write
 * it; a bare 32-byte seed and the legacy 96-byte form are accepted too. Signing uses BouncyCastle's
 * RFC 8032 code (deterministic, so signatures equal the JDK's and js's byte for byte), several times
 * faster than the JDK's EdDSA on CPUs we measured.
 */
public final class Ed25519PrivKey implements PrivKey {
  private final byte[] seed;
  private final Ed25519PubKey publicKey;

  private Ed25519PrivKey(final byte[] seed) {
    this.seed = seed;
    final byte[] pub = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(seed, 0, pub, 0);
    this.publicKey = Ed25519PubKey.fromRaw(pub);
  }

  static Ed25519PrivKey generate(final SecureRandom random) {
    final byte[] seed = new byte[Ed25519.SECRET_KEY_SIZE];
    random.nextBytes(seed);
    return new Ed25519PrivKey(seed);
  }

  /** From a 32-byte seed; the public key is derived. */
  public static Ed25519PrivKey fromSeed(final byte[] seed) {
    if (seed.length != Ed25519.SECRET_KEY_SIZE) {
      throw new MalformedInputException("Ed25519 seed must be 32 bytes, got " + seed.length);
    }
    return new Ed25519PrivKey(seed.clone());
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
    final byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
    Ed25519.sign(seed, 0, data, 0, data.length, signature, 0);
    return signature;
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
