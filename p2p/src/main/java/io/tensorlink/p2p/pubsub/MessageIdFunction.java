package io.tensorlink.p2p.pubsub;

import com.google.protobuf.ByteString;
import io.tensorlink.p2p.pubsub.rpc.PubsubMessage;
import io.tensorlink.p2p.util.MalformedInputException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Derives a message's id, the key of the seen cache and of IHAVE/IWANT gossip. Peers only dedupe
 * and gossip correctly with each other when they derive the same ids, and implementations differ:
 *
 * <ul>
 *   <li>{@link #KEY_AND_SEQNO} — js-libp2p's StrictSign default ({@code msgIdFnStrictSign}): the
 *       author's protobuf {@code PublicKey} (the one inlined in {@code from}, else the {@code key}
 *       field) followed by the 8-byte seqno. TensorLink's default, for wire compatibility with js.
 *   <li>{@link #FROM_AND_SEQNO} — go-libp2p's default: {@code from} bytes followed by seqno.
 *   <li>{@link #DATA_SHA256} — content addressing (js's StrictNoSign default): SHA-256 of {@code
 *       data}; identical payloads from different authors collapse into one message.
 * </ul>
 *
 * Throws {@link MalformedInputException} when the message lacks what the function needs; the router
 * rejects such messages.
 */
@FunctionalInterface
public interface MessageIdFunction {
  ByteString messageId(PubsubMessage message);

  MessageIdFunction KEY_AND_SEQNO = message -> authorKey(message).concat(requireSeqno(message));

  MessageIdFunction FROM_AND_SEQNO = message -> requireFrom(message).concat(requireSeqno(message));

  MessageIdFunction DATA_SHA256 = message -> {
    try {
      return ByteString.copyFrom(MessageDigest.getInstance("SHA-256").digest(message.data().toByteArray()));
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  };

  private static ByteString authorKey(final PubsubMessage message) {
    final ByteString from = requireFrom(message);
    // An identity multihash (0x00, length) inlines the protobuf key: take it without decoding it,
    // since ids are computed for every duplicate too. Signature checks decode and verify it later.
    if (from.size() > 2 && from.byteAt(0) == 0 && (from.byteAt(1) & 0xff) == from.size() - 2) {
      return from.substring(2);
    }
    if (message.key().isEmpty()) {
      throw new MalformedInputException("message author's key is neither inlined in 'from' nor in 'key'");
    }
    return message.key();
  }

  private static ByteString requireFrom(final PubsubMessage message) {
    if (message.from().isEmpty()) {
      throw new MalformedInputException("message has no 'from' field");
    }
    return message.from();
  }

  private static ByteString requireSeqno(final PubsubMessage message) {
    if (message.seqno().isEmpty()) {
      throw new MalformedInputException("message has no 'seqno' field");
    }
    return message.seqno();
  }
}
