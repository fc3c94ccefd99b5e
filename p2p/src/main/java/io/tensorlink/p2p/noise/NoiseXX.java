package io.tensorlink.p2p.noise;

import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.crypto.PrivKey;
import io.tensorlink.p2p.crypto.PubKey;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.util.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Noise XX handshake as libp2p uses it ({@code Noise_XX_25519_ChaChaPoly_SHA256}, empty
 * prologue): {@code -> e}, {@code <- e, ee, s, es}, {@code -> s, se}. The second and third messages
 * carry a {@link NoiseHandshakePayload} signing our static X25519 key with our libp2p identity.
 * Pure state machine over byte arrays; not thread-safe.
 */
public final class NoiseXX {
  /** Exactly 32 bytes, so h starts as the name itself. */
  private static final byte[] PROTOCOL_NAME =
      "Noise_XX_25519_ChaChaPoly_SHA256".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SIGNATURE_PREFIX = "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] X25519_X509_PREFIX = HexFormat.of().parseHex("302a300506032b656e032100");
  private static final int DH_LEN = 32;

  private enum Step {
    WRITE_1,
    READ_1,
    WRITE_2,
    READ_2,
    WRITE_3,
    READ_3,
    DONE
  }

  private final boolean initiator;
  private final PrivKey identity;
  private final Optional<PeerId> expectedRemote;
  private final KeyPair staticKey;
  private final KeyPair ephemeral;
  private byte[] h;
  private byte[] ck;
  private NoiseCipherState cipher;
  private PublicKey remoteEphemeral;
  private PublicKey remoteStatic;
  private PubKey remoteIdentity;
  private Step step;

  private NoiseXX(final boolean initiator, final PrivKey identity, final Optional<PeerId> expectedRemote) {
    this.initiator = initiator;
    this.identity = identity;
    this.expectedRemote = expectedRemote;
    this.staticKey = generateX25519();
    this.ephemeral = generateX25519();
    this.h = PROTOCOL_NAME.clone();
    this.ck = PROTOCOL_NAME.clone();
    mixHash(new byte[0]); // empty prologue
    this.step = initiator ? Step.WRITE_1 : Step.READ_1;
  }

  public static NoiseXX initiator(final PrivKey identity, final Optional<PeerId> expectedRemote) {
    return new NoiseXX(true, identity, expectedRemote);
  }

  public static NoiseXX responder(final PrivKey identity) {
    return new NoiseXX(false, identity, Optional.empty());
  }

  /** Whether the next step is ours to write. */
  public boolean isMyTurn() {
    return step == Step.WRITE_1 || step == Step.WRITE_2 || step == Step.WRITE_3;
  }

  public boolean isComplete() {
    return step == Step.DONE;
  }

  public byte[] writeMessage() {
    return switch (step) {
      case WRITE_1 -> {
        final byte[] e = raw(ephemeral.getPublic());
        mixHash(e);
        final byte[] payload = encryptAndHash(new byte[0]);
        step = Step.READ_2;
        yield concat(e, payload);
      }
      case WRITE_2 -> {
        final byte[] e = raw(ephemeral.getPublic());
        mixHash(e);
        mixKey(dh(ephemeral, remoteEphemeral));
        final byte[] s = encryptAndHash(raw(staticKey.getPublic()));
        mixKey(dh(staticKey, remoteEphemeral));
        final byte[] payload = encryptAndHash(signedPayload());
        step = Step.READ_3;
        yield concat(concat(e, s), payload);
      }
      case WRITE_3 -> {
        final byte[] s = encryptAndHash(raw(staticKey.getPublic()));
        mixKey(dh(staticKey, remoteEphemeral));
        final byte[] payload = encryptAndHash(signedPayload());
        step = Step.DONE;
        yield concat(s, payload);
      }
      default -> throw new IllegalStateException("not our turn to write (step " + step + ")");
    };
  }

  public void readMessage(final byte[] message) {
    switch (step) {
      case READ_1 -> {
        requireLength(message, DH_LEN, "first");
        remoteEphemeral = x25519Public(Arrays.copyOf(message, DH_LEN));
        mixHash(Arrays.copyOf(message, DH_LEN));
        decryptAndHash(Arrays.copyOfRange(message, DH_LEN, message.length));
        step = Step.WRITE_2;
      }
      case READ_2 -> {
        requireLength(message, DH_LEN + DH_LEN + 16, "second");
        final byte[] re = Arrays.copyOf(message, DH_LEN);
        remoteEphemeral = x25519Public(re);
        mixHash(re);
        mixKey(dh(ephemeral, remoteEphemeral));
        remoteStatic = x25519Public(decryptAndHash(Arrays.copyOfRange(message, DH_LEN, DH_LEN * 2 + 16)));
        mixKey(dh(ephemeral, remoteStatic));
        verifyPayload(decryptAndHash(Arrays.copyOfRange(message, DH_LEN * 2 + 16, message.length)));
        step = Step.WRITE_3;
      }
      case READ_3 -> {
        requireLength(message, DH_LEN + 16, "third");
        remoteStatic = x25519Public(decryptAndHash(Arrays.copyOf(message, DH_LEN + 16)));
        mixKey(dh(ephemeral, remoteStatic));
        verifyPayload(decryptAndHash(Arrays.copyOfRange(message, DH_LEN + 16, message.length)));
        step = Step.DONE;
      }
      default -> throw new IllegalStateException("not expecting a message (step " + step + ")");
    }
  }

  /** The transport ciphers (send, receive), available once complete. */
  public NoiseCipherState[] split() {
    if (step != Step.DONE) {
      throw new IllegalStateException("handshake not complete");
    }
    final byte[][] keys = hkdf(ck, new byte[0]);
    final NoiseCipherState k1 = new NoiseCipherState(keys[0]);
    final NoiseCipherState k2 = new NoiseCipherState(keys[1]);
    return initiator ? new NoiseCipherState[] {k1, k2} : new NoiseCipherState[] {k2, k1};
  }

  public PubKey remoteIdentity() {
    if (remoteIdentity == null) {
      throw new IllegalStateException("remote identity not yet known");
    }
    return remoteIdentity;
  }

  public PeerId remotePeer() {
    return PeerId.fromPublicKey(remoteIdentity());
  }

  private byte[] signedPayload() {
    final byte[] signature = identity.sign(concat(SIGNATURE_PREFIX, raw(staticKey.getPublic())));
    return new NoiseHandshakePayload(identity.publicKey().marshal(), signature).encode();
  }

  private void verifyPayload(final byte[] bytes) {
    final NoiseHandshakePayload payload = NoiseHandshakePayload.decode(bytes);
    final PubKey key = Keys.unmarshalPublic(payload.identityKey());
    if (!key.verify(concat(SIGNATURE_PREFIX, raw(remoteStatic)), payload.identitySignature())) {
      throw new MalformedInputException("noise: the identity signature over the static key is invalid");
    }
    final PeerId peer = PeerId.fromPublicKey(key);
    if (expectedRemote.isPresent() && !expectedRemote.get().equals(peer)) {
      throw new MalformedInputException("noise: expected peer " + expectedRemote.get() + " but remote is " + peer);
    }
    remoteIdentity = key;
  }

  private void mixHash(final byte[] data) {
    h = sha256(h, data);
  }

  private void mixKey(final byte[] ikm) {
    final byte[][] out = hkdf(ck, ikm);
    ck = out[0];
    cipher = new NoiseCipherState(out[1]);
  }

  private byte[] encryptAndHash(final byte[] plaintext) {
    final byte[] ciphertext = cipher == null ? plaintext : cipher.encryptWithAd(h, plaintext);
    mixHash(ciphertext);
    return ciphertext;
  }

  private byte[] decryptAndHash(final byte[] ciphertext) {
    final byte[] plaintext = cipher == null ? ciphertext : cipher.decryptWithAd(h, ciphertext);
    mixHash(ciphertext);
    return plaintext;
  }

  private static void requireLength(final byte[] message, final int min, final String which) {
    if (message.length < min) {
      throw new MalformedInputException(
          "noise " + which + " handshake message has " + message.length + " bytes, needs at least " + min);
    }
  }

  /** HKDF with two outputs, as Noise defines it on HMAC-SHA256. */
  private static byte[][] hkdf(final byte[] chainingKey, final byte[] ikm) {
    final byte[] tempKey = hmac(chainingKey, ikm);
    final byte[] out1 = hmac(tempKey, new byte[] {1});
    final byte[] out2 = hmac(tempKey, concat(out1, new byte[] {2}));
    return new byte[][] {out1, out2};
  }

  private static byte[] hmac(final byte[] key, final byte[] data) {
    try {
      final Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (final GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HmacSHA256", e);
    }
  }

  private static byte[] sha256(final byte[] a, final byte[] b) {
    try {
      final MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(a);
      md.update(b);
      return md.digest();
    } catch (final GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  private static KeyPair generateX25519() {
    try {
      return KeyPairGenerator.getInstance("X25519").generateKeyPair();
    } catch (final GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks X25519", e);
    }
  }

  private static byte[] dh(final KeyPair local, final PublicKey remote) {
    try {
      final KeyAgreement ka = KeyAgreement.getInstance("X25519");
      ka.init(local.getPrivate());
      ka.doPhase(remote, true);
      return ka.generateSecret();
    } catch (final GeneralSecurityException e) {
      // The JDK rejects small-order points (an all-zero shared secret).
      throw new MalformedInputException("noise: X25519 agreement failed: " + e.getMessage(), e);
    }
  }

  private static byte[] raw(final PublicKey key) {
    final byte[] encoded = key.getEncoded();
    return Arrays.copyOfRange(encoded, encoded.length - DH_LEN, encoded.length);
  }

  private static PublicKey x25519Public(final byte[] raw) {
    try {
      return KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(concat(X25519_X509_PREFIX, raw)));
    } catch (final GeneralSecurityException e) {
      throw new MalformedInputException("noise: invalid X25519 public key", e);
    }
  }

  private static byte[] concat(final byte[] a, final byte[] b) {
    final byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
