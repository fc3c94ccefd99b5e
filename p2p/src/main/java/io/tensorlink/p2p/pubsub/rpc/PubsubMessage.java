package io.tensorlink.p2p.pubsub.rpc;

import com.google.protobuf.ByteString;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A pubsub message, {@code Message{from=1, data=2, seqno=3, topic=4, signature=5, key=6}}, together
 * with its exact wire bytes. Forwarding re-sends those bytes unchanged, and signature checks strip
 * fields 5 and 6 from them, so a message survives the hop even when its author encoded it in a way
 * we would not (field order, an absent versus an empty {@code data}).
 *
 * <p>Byte fields that are absent on the wire read as {@link ByteString#EMPTY}. Immutable; equality is
 * on the wire bytes.
 */
public final class PubsubMessage {
  private final ByteString from;
  private final ByteString data;
  private final ByteString seqno;
  private final String topic;
  private final ByteString signature;
  private final ByteString key;
  private final ByteString raw;

  PubsubMessage(
      final ByteString from,
      final ByteString data,
      final ByteString seqno,
      final String topic,
      final ByteString signature,
      final ByteString key,
      final ByteString raw) {
    this.from = Objects.requireNonNull(from, "from");
    this.data = Objects.requireNonNull(data, "data");
    this.seqno = Objects.requireNonNull(seqno, "seqno");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.signature = Objects.requireNonNull(signature, "signature");
    this.key = Objects.requireNonNull(key, "key");
    this.raw = Objects.requireNonNull(raw, "raw");
  }

  /**
   * Builds a message and its canonical encoding (fields in number order; {@code data} always
   * written, as js-libp2p does; the other byte fields only when non-empty).
   */
  public static PubsubMessage create(
      final ByteString from,
      final ByteString data,
      final ByteString seqno,
      final String topic,
      final ByteString signature,
      final ByteString key) {
    return new PubsubMessage(
        from, data, seqno, topic, signature, key, RpcCodec.encodeMessage(from, data, seqno, topic, signature, key));
  }

  /** Parses one encoded {@code Message}; throws {@code MalformedInputException} naming the defect. */
  public static PubsubMessage decode(final ByteString raw) {
    return RpcCodec.decodeMessage(raw);
  }

  public ByteString from() {
    return from;
  }

  public ByteString data() {
    return data;
  }

  public ByteString seqno() {
    return seqno;
  }

  public String topic() {
    return topic;
  }

  public ByteString signature() {
    return signature;
  }

  public ByteString key() {
    return key;
  }

  /** The message exactly as it was encoded on the wire. */
  public ByteString raw() {
    return raw;
  }

  /** The wire bytes without {@code signature} and {@code key}: what StrictSign signs. */
  public ByteString unsignedBytes() {
    return RpcCodec.stripSignatureAndKey(raw);
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof PubsubMessage other && raw.equals(other.raw);
  }

  @Override
  public int hashCode() {
    return raw.hashCode();
  }

  @Override
  public String toString() {
    final HexFormat hex = HexFormat.of();
    return "PubsubMessage[topic="
        + topic
        + ", from="
        + hex.formatHex(from.toByteArray())
        + ", seqno="
        + hex.formatHex(seqno.toByteArray())
        + ", data="
        + data.size()
        + " bytes]";
  }
}
