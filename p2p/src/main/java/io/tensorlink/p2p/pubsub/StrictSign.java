package io.tensorlink.p2p.pubsub;

import com.google.protobuf.ByteString;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.crypto.PrivKey;
import io.tensorlink.p2p.crypto.PubKey;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.pubsub.rpc.PubsubMessage;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

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
    final byte[] signature = key.sign(signedBytes(unsigned));
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
    final PubKey authorKey;
    try {
      if (message.key().isEmpty()) {
        final Optional<PubKey> inlined = from.publicKey();
        if (inlined.isEmpty()) {
          return Optional.of("no 'key' field and 'from' does not inline the author's key");
        }
        authorKey = inlined.get();
      } else {
        authorKey = Keys.unmarshalPublic(message.key().toByteArray());
        if (!from.matches(authorKey)) {
          return Optional.of("'key' does not belong to 'from' " + from);
        }
      }
    } catch (final IllegalArgumentException e) {
      return Optional.of("bad author key: " + e.getMessage());
    }
    final boolean valid = authorKey.verify(signedBytes(message), message.signature().toByteArray());
    return valid ? Optional.empty() : Optional.of("signature does not verify for " + from);
  }

  private static byte[] signedBytes(final PubsubMessage message) {
    return ByteString.copyFrom(PREFIX).concat(message.unsignedBytes()).toByteArray();
  }
}
