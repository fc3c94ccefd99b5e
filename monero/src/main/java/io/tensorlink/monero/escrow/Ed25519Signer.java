package io.tensorlink.monero.escrow;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;

/**
 * Ed25519 from the JDK: the signer id is the hex of the public key's X.509 encoding. {@link #VERIFIER}
 * checks signatures of any such id.
 */
public final class Ed25519Signer implements MessageSigner {
  public static final SignatureVerifier VERIFIER = Ed25519Signer::verify;

  private final KeyPair keys;
  private final String id;

  private Ed25519Signer(final KeyPair keys) {
    this.keys = keys;
    this.id = HexFormat.of().formatHex(keys.getPublic().getEncoded());
  }

  public static Ed25519Signer generate() {
    try {
      return new Ed25519Signer(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
    } catch (final GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks Ed25519", e);
    }
  }

  @Override
  public String signerId() {
    return id;
  }

  @Override
  public byte[] sign(final byte[] message) {
    try {
      final Signature s = Signature.getInstance("Ed25519");
      s.initSign(keys.getPrivate());
      s.update(message);
      return s.sign();
    } catch (final GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  private static boolean verify(final String signerId, final byte[] message, final byte[] signature) {
    try {
      final PublicKey key = KeyFactory.getInstance("Ed25519")
          .generatePublic(new X509EncodedKeySpec(HexFormat.of().parseHex(signerId)));
      final Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(message);
      return s.verify(signature);
    } catch (final GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "Ed25519Signer[" + id + "]";
  }
}
