package io.tensorlink.p2p.pubsub;

import com.google.protobuf.ByteString;
import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.crypto.PrivKey;
import io.tensorlink.p2p.crypto.PubKey;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.pubsub.rpc.PubsubMessage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * The pubsub StrictSign policy (libp2p/specs {@code pubsub/README.md}, "Message Signing"): every
 * message carries {@code from} (the author's peer-ID bytes), an 8-byte big-endian {@code seqno} and
 * a signature by the author's key over {@code "libp2p-pubsub:"} followed by the message encoded
 * without {@code signature} and {@code key}. The {@code key} field is sent only when the peer ID
 * does not inline the key, as go-libp2p does; js accepts both forms.
 */
public final class StrictSign {
  static final byte[] PREFIX = "libp2p-pubsub:".getBytes(StandardCharsets.US_ASCII);
  static final int SEQNO_BYTES = 8;
  /** Identity multihash (0x00, 36 bytes) of PublicKey{Type=Ed25519, Data=32 bytes}. */
  private static final ByteString INLINE_ED25519_PREFIX = ByteString.copyFrom(new byte[] {0x00, 0x24, 0x08, 0x01, 0x12, 0x20});

  private final PrivKey key;
  private final PeerId author;
  private final ByteString authorBytes;
  private final ByteString keyField;

  public StrictSign(final PrivKey key) {
    this.key = key;
    this.author = PeerId.fromPublicKey(key.publicKey());
    this.authorBytes = ByteString.copyFrom(author.bytes());
    this.keyField =
        author.publicKey().isPresent() ? ByteString.EMPTY : ByteString.copyFrom(key.publicKey().marshal());
  }

  public PeerId author() {
    return author;
  }

  /** A signed message from this author. */
  public PubsubMessage sign(final String topic, final ByteString data, final long seqno) {
    final ByteString seqnoBytes = ByteString.copyFrom(java.nio.ByteBuffer.allocate(SEQNO_BYTES).putLong(seqno).array());
    final PubsubMessage unsigned =
        PubsubMessage.create(authorBytes, data, seqnoBytes, topic, ByteString.EMPTY, ByteString.EMPTY);
    final byte[] signature = signBytes(signedBytes(unsigned));
    return PubsubMessage.create(authorBytes, data, seqnoBytes, topic, ByteString.copyFrom(signature), keyField);
  }

  /**
   * Checks a received message against StrictSign.
   *
   * @return empty when valid, else why it is not
   */
  public static Optional<String> verify(final PubsubMessage message) {
    final PeerId from;
    try {
      from = PeerId.fromBytes(message.from().toByteArray());
    } catch (final IllegalArgumentException e) {
      return Optional.of("bad author: " + e.getMessage());
    }
    return verify(message, from);
  }

  /** {@link #verify(PubsubMessage)} with {@code from} already parsed (the router caches authors). */
  static Optional<String> verify(final PubsubMessage message, final PeerId from) {
    if (message.seqno().size() != SEQNO_BYTES) {
      return Optional.of("seqno must be 8 bytes, got " + message.seqno().size());
    }
    if (message.signature().isEmpty()) {
      return Optional.of("message is not signed");
    }
    final byte[] signed = signedBytes(message);
    final byte[] signature = message.signature().toByteArray();
    final boolean valid;
    try {
      if (message.key().isEmpty() && message.from().startsWith(INLINE_ED25519_PREFIX)) {
        // The usual case: take the 32 key bytes straight from the identity multihash.
        valid = verifyEd25519(message.from().substring(INLINE_ED25519_PREFIX.size()).toByteArray(), signed, signature);
      } else if (message.key().isEmpty()) {
        final Optional<PubKey> inlined = from.publicKey();
        if (inlined.isEmpty()) {
          return Optional.of("no 'key' field and 'from' does not inline the author's key");
        }
        valid = verifySignature(inlined.get(), signed, signature);
      } else {
        final PubKey authorKey = Keys.unmarshalPublic(message.key().toByteArray());
        if (!from.matches(authorKey)) {
          return Optional.of("'key' does not belong to 'from' " + from);
        }
        valid = verifySignature(authorKey, signed, signature);
      }
    } catch (final IllegalArgumentException e) {
      return Optional.of("bad author key: " + e.getMessage());
    }
    return valid ? Optional.empty() : Optional.of("signature does not verify for " + from);
  }

  private byte[] signBytes(final byte[] data) {
    if (key.type() != KeyType.ED25519) {
      return key.sign(data);
    }
    // raw() is seed ‖ public key; BouncyCastle signs several times faster than the JDK (see below).
    final byte[] raw = key.raw();
    final byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
    Ed25519.sign(raw, 0, raw, Ed25519.SECRET_KEY_SIZE, data, 0, data.length, signature, 0);
    Arrays.fill(raw, (byte) 0);
    return signature;
  }

  /**
   * Ed25519 goes through BouncyCastle's RFC 8032 code, which verifies 5–10× faster than the JDK's
   * EdDSA behind {@code Ed25519PubKey.verify} (measured; see docs/gossipsub.md). Every first-seen
   * message is verified, so this is the router's main cost. Other key types use {@link PubKey#verify}.
   */
  private static boolean verifySignature(final PubKey key, final byte[] data, final byte[] signature) {
    return key.type() == KeyType.ED25519 ? verifyEd25519(key.raw(), data, signature) : key.verify(data, signature);
  }

  private static boolean verifyEd25519(final byte[] publicKey, final byte[] data, final byte[] signature) {
    if (signature.length != Ed25519.SIGNATURE_SIZE || publicKey.length != Ed25519.PUBLIC_KEY_SIZE) {
      return false;
    }
    try {
      return Ed25519.verify(signature, 0, publicKey, 0, data, 0, data.length);
    } catch (final RuntimeException e) {
      return false;
    }
  }

  private static byte[] signedBytes(final PubsubMessage message) {
    return ByteString.copyFrom(PREFIX).concat(message.unsignedBytes()).toByteArray();
  }
}
