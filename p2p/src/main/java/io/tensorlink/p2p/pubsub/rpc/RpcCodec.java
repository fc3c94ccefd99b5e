package io.tensorlink.p2p.pubsub.rpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.tensorlink.p2p.util.MalformedInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Protobuf encoding of the pubsub RPC (libp2p/specs {@code pubsub/README.md} and gossipsub v1.0–v1.2
 * control messages), written by hand so that decoding keeps each message's wire bytes and never
 * throws anything but {@link MalformedInputException}. Unknown fields are skipped, as protobuf
 * requires. The length prefix on the stream is the framer's job ({@code RpcFrameDecoder}).
 */
public final class RpcCodec {
  // RPC
  private static final int RPC_SUBSCRIPTIONS = 1;
  private static final int RPC_PUBLISH = 2;
  private static final int RPC_CONTROL = 3;
  // SubOpts
  private static final int SUB_SUBSCRIBE = 1;
  private static final int SUB_TOPIC = 2;
  // Message
  private static final int MSG_FROM = 1;
  private static final int MSG_DATA = 2;
  private static final int MSG_SEQNO = 3;
  private static final int MSG_TOPIC = 4;
  private static final int MSG_SIGNATURE = 5;
  private static final int MSG_KEY = 6;
  // ControlMessage
  private static final int CTRL_IHAVE = 1;
  private static final int CTRL_IWANT = 2;
  private static final int CTRL_GRAFT = 3;
  private static final int CTRL_PRUNE = 4;
  private static final int CTRL_IDONTWANT = 5;
  // ControlIHave / ControlGraft / ControlPrune share topicID = 1
  private static final int TOPIC_ID = 1;
  private static final int IHAVE_IDS = 2;
  private static final int IWANT_IDS = 1;
  private static final int PRUNE_PEERS = 2;
  private static final int PRUNE_BACKOFF = 3;
  private static final int PEERINFO_PEER_ID = 1;
  private static final int PEERINFO_RECORD = 2;

  private RpcCodec() {}

  // ---------------------------------------------------------------------------------- encoding

  public static byte[] encode(final Rpc rpc) {
    final byte[] out = new byte[encodedSize(rpc)];
    final CodedOutputStream o = CodedOutputStream.newInstance(out);
    try {
      for (final SubOpts s : rpc.subscriptions()) {
        o.writeTag(RPC_SUBSCRIPTIONS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        o.writeUInt32NoTag(subOptsSize(s));
        o.writeBool(SUB_SUBSCRIBE, s.subscribe());
        o.writeString(SUB_TOPIC, s.topic());
      }
      for (final PubsubMessage m : rpc.messages()) {
        o.writeBytes(RPC_PUBLISH, m.raw());
      }
      if (!rpc.control().isEmpty()) {
        o.writeTag(RPC_CONTROL, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        o.writeUInt32NoTag(controlSize(rpc.control()));
        writeControl(o, rpc.control());
      }
      o.checkNoSpaceLeft();
    } catch (final IOException e) {
      throw new UncheckedIOException("sizing bug in RpcCodec", e);
    }
    return out;
  }

  /** Exact size of {@link #encode(Rpc)}'s output. */
  public static int encodedSize(final Rpc rpc) {
    int size = 0;
    for (final SubOpts s : rpc.subscriptions()) {
      size += delimited(RPC_SUBSCRIPTIONS, subOptsSize(s));
    }
    for (final PubsubMessage m : rpc.messages()) {
      size += CodedOutputStream.computeBytesSize(RPC_PUBLISH, m.raw());
    }
    if (!rpc.control().isEmpty()) {
      size += delimited(RPC_CONTROL, controlSize(rpc.control()));
    }
    return size;
  }

  static ByteString encodeMessage(
      final ByteString from,
      final ByteString data,
      final ByteString seqno,
      final String topic,
      final ByteString signature,
      final ByteString key) {
    final ByteString.Output out = ByteString.newOutput();
    final CodedOutputStream o = CodedOutputStream.newInstance(out);
    try {
      writeIfPresent(o, MSG_FROM, from);
      o.writeBytes(MSG_DATA, data);
      writeIfPresent(o, MSG_SEQNO, seqno);
      o.writeString(MSG_TOPIC, topic);
      writeIfPresent(o, MSG_SIGNATURE, signature);
      writeIfPresent(o, MSG_KEY, key);
      o.flush();
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteString();
  }

  private static void writeIfPresent(final CodedOutputStream o, final int field, final ByteString value)
      throws IOException {
    if (!value.isEmpty()) {
      o.writeBytes(field, value);
    }
  }

  private static int subOptsSize(final SubOpts s) {
    return CodedOutputStream.computeBoolSize(SUB_SUBSCRIBE, s.subscribe())
        + CodedOutputStream.computeStringSize(SUB_TOPIC, s.topic());
  }

  private static int idsSize(final int field, final List<ByteString> ids) {
    int size = 0;
    for (final ByteString id : ids) {
      size += CodedOutputStream.computeBytesSize(field, id);
    }
    return size;
  }

  private static int ihaveSize(final ControlIHave h) {
    return CodedOutputStream.computeStringSize(TOPIC_ID, h.topic()) + idsSize(IHAVE_IDS, h.messageIds());
  }

  private static int peerInfoSize(final PeerInfo peer) {
    return CodedOutputStream.computeBytesSize(PEERINFO_PEER_ID, peer.peerId())
        + peer.signedPeerRecord().map(r -> CodedOutputStream.computeBytesSize(PEERINFO_RECORD, r)).orElse(0);
  }

  private static int pruneSize(final ControlPrune p) {
    int size = CodedOutputStream.computeStringSize(TOPIC_ID, p.topic());
    for (final PeerInfo peer : p.peers()) {
      size += delimited(PRUNE_PEERS, peerInfoSize(peer));
    }
    if (p.backoffSeconds().isPresent()) {
      size += CodedOutputStream.computeUInt64Size(PRUNE_BACKOFF, p.backoffSeconds().getAsLong());
    }
    return size;
  }

  private static int controlSize(final ControlMessage c) {
    int size = 0;
    for (final ControlIHave h : c.ihave()) {
      size += delimited(CTRL_IHAVE, ihaveSize(h));
    }
    for (final ControlIWant w : c.iwant()) {
      size += delimited(CTRL_IWANT, idsSize(IWANT_IDS, w.messageIds()));
    }
    for (final ControlGraft g : c.graft()) {
      size += delimited(CTRL_GRAFT, CodedOutputStream.computeStringSize(TOPIC_ID, g.topic()));
    }
    for (final ControlPrune p : c.prune()) {
      size += delimited(CTRL_PRUNE, pruneSize(p));
    }
    for (final ControlIDontWant d : c.idontwant()) {
      size += delimited(CTRL_IDONTWANT, idsSize(IWANT_IDS, d.messageIds()));
    }
    return size;
  }

  private static int delimited(final int field, final int length) {
    return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(length) + length;
  }

  private static void writeControl(final CodedOutputStream o, final ControlMessage c) throws IOException {
    for (final ControlIHave h : c.ihave()) {
      header(o, CTRL_IHAVE, ihaveSize(h));
      o.writeString(TOPIC_ID, h.topic());
      writeIds(o, IHAVE_IDS, h.messageIds());
    }
    for (final ControlIWant w : c.iwant()) {
      header(o, CTRL_IWANT, idsSize(IWANT_IDS, w.messageIds()));
      writeIds(o, IWANT_IDS, w.messageIds());
    }
    for (final ControlGraft g : c.graft()) {
      header(o, CTRL_GRAFT, CodedOutputStream.computeStringSize(TOPIC_ID, g.topic()));
      o.writeString(TOPIC_ID, g.topic());
    }
    for (final ControlPrune p : c.prune()) {
      header(o, CTRL_PRUNE, pruneSize(p));
      o.writeString(TOPIC_ID, p.topic());
      for (final PeerInfo peer : p.peers()) {
        header(o, PRUNE_PEERS, peerInfoSize(peer));
        o.writeBytes(PEERINFO_PEER_ID, peer.peerId());
        if (peer.signedPeerRecord().isPresent()) {
          o.writeBytes(PEERINFO_RECORD, peer.signedPeerRecord().get());
        }
      }
      if (p.backoffSeconds().isPresent()) {
        o.writeUInt64(PRUNE_BACKOFF, p.backoffSeconds().getAsLong());
      }
    }
    for (final ControlIDontWant d : c.idontwant()) {
      header(o, CTRL_IDONTWANT, idsSize(IWANT_IDS, d.messageIds()));
      writeIds(o, IWANT_IDS, d.messageIds());
    }
  }

  private static void header(final CodedOutputStream o, final int field, final int length) throws IOException {
    o.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    o.writeUInt32NoTag(length);
  }

  private static void writeIds(final CodedOutputStream o, final int field, final List<ByteString> ids)
      throws IOException {
    for (final ByteString id : ids) {
      o.writeBytes(field, id);
    }
  }

  // ---------------------------------------------------------------------------------- decoding

  /** Decodes one RPC (without its length prefix); throws {@link MalformedInputException} naming the defect. */
  public static Rpc decode(final byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  public static Rpc decode(final byte[] bytes, final int offset, final int length) {
    try {
      final CodedInputStream in = CodedInputStream.newInstance(bytes, offset, length);
      in.enableAliasing(true);
      final List<SubOpts> subscriptions = new ArrayList<>();
      final List<PubsubMessage> messages = new ArrayList<>();
      ControlMessage control = ControlMessage.EMPTY;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case RPC_SUBSCRIPTIONS -> subscriptions.add(decodeSubOpts(lengthDelimited(in, tag, "RPC.subscriptions")));
          case RPC_PUBLISH -> messages.add(decodeMessage(lengthDelimited(in, tag, "RPC.publish")));
          case RPC_CONTROL -> control = merge(control, decodeControl(lengthDelimited(in, tag, "RPC.control")));
          default -> in.skipField(tag);
        }
      }
      return new Rpc(subscriptions, messages, control);
    } catch (final InvalidProtocolBufferException e) {
      throw new MalformedInputException("malformed pubsub RPC: " + e.getMessage(), e);
    } catch (final IOException e) {
      throw new MalformedInputException("unreadable pubsub RPC: " + e.getMessage(), e);
    }
  }

  static PubsubMessage decodeMessage(final ByteString raw) {
    ByteString from = ByteString.EMPTY;
    ByteString data = ByteString.EMPTY;
    ByteString seqno = ByteString.EMPTY;
    String topic = "";
    ByteString signature = ByteString.EMPTY;
    ByteString key = ByteString.EMPTY;
    try {
      final CodedInputStream in = raw.newCodedInput();
      in.enableAliasing(true);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case MSG_FROM -> from = lengthDelimited(in, tag, "Message.from");
          case MSG_DATA -> data = lengthDelimited(in, tag, "Message.data");
          case MSG_SEQNO -> seqno = lengthDelimited(in, tag, "Message.seqno");
          case MSG_TOPIC -> topic = utf8(lengthDelimited(in, tag, "Message.topic"), "Message.topic");
          case MSG_SIGNATURE -> signature = lengthDelimited(in, tag, "Message.signature");
          case MSG_KEY -> key = lengthDelimited(in, tag, "Message.key");
          default -> in.skipField(tag);
        }
      }
    } catch (final IOException e) {
      throw new MalformedInputException("malformed pubsub Message: " + e.getMessage(), e);
    }
    return new PubsubMessage(from, data, seqno, topic, signature, key, raw);
  }

  /** Re-emits every field of an encoded Message except 5 (signature) and 6 (key), in wire order. */
  static ByteString stripSignatureAndKey(final ByteString raw) {
    try {
      final CodedInputStream in = raw.newCodedInput();
      final ByteString.Output out = ByteString.newOutput(raw.size());
      final CodedOutputStream o = CodedOutputStream.newInstance(out);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        final int field = WireFormat.getTagFieldNumber(tag);
        if (field == MSG_SIGNATURE || field == MSG_KEY) {
          in.skipField(tag);
        } else {
          in.skipField(tag, o);
        }
      }
      o.flush();
      return out.toByteString();
    } catch (final IOException e) {
      throw new MalformedInputException("malformed pubsub Message: " + e.getMessage(), e);
    }
  }

  private static SubOpts decodeSubOpts(final ByteString bytes) throws IOException {
    final CodedInputStream in = bytes.newCodedInput();
    boolean subscribe = false;
    String topic = "";
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case SUB_SUBSCRIBE -> subscribe = varint(in, tag, "SubOpts.subscribe") != 0;
        case SUB_TOPIC -> topic = utf8(lengthDelimited(in, tag, "SubOpts.topicid"), "SubOpts.topicid");
        default -> in.skipField(tag);
      }
    }
    return new SubOpts(subscribe, topic);
  }

  private static ControlMessage decodeControl(final ByteString bytes) throws IOException {
    final CodedInputStream in = bytes.newCodedInput();
    in.enableAliasing(true);
    final List<ControlIHave> ihave = new ArrayList<>();
    final List<ControlIWant> iwant = new ArrayList<>();
    final List<ControlGraft> graft = new ArrayList<>();
    final List<ControlPrune> prune = new ArrayList<>();
    final List<ControlIDontWant> idontwant = new ArrayList<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case CTRL_IHAVE -> ihave.add(decodeIHave(lengthDelimited(in, tag, "ControlMessage.ihave")));
        case CTRL_IWANT -> iwant.add(new ControlIWant(decodeIds(lengthDelimited(in, tag, "ControlMessage.iwant"))));
        case CTRL_GRAFT -> graft.add(new ControlGraft(decodeTopicOnly(lengthDelimited(in, tag, "ControlMessage.graft"))));
        case CTRL_PRUNE -> prune.add(decodePrune(lengthDelimited(in, tag, "ControlMessage.prune")));
        case CTRL_IDONTWANT ->
            idontwant.add(new ControlIDontWant(decodeIds(lengthDelimited(in, tag, "ControlMessage.idontwant"))));
        default -> in.skipField(tag);
      }
    }
    return new ControlMessage(ihave, iwant, graft, prune, idontwant);
  }

  private static ControlIHave decodeIHave(final ByteString bytes) throws IOException {
    final CodedInputStream in = bytes.newCodedInput();
    in.enableAliasing(true);
    String topic = "";
    final List<ByteString> ids = new ArrayList<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case TOPIC_ID -> topic = utf8(lengthDelimited(in, tag, "ControlIHave.topicID"), "ControlIHave.topicID");
        case IHAVE_IDS -> ids.add(lengthDelimited(in, tag, "ControlIHave.messageIDs"));
        default -> in.skipField(tag);
      }
    }
    return new ControlIHave(topic, ids);
  }

  private static List<ByteString> decodeIds(final ByteString bytes) throws IOException {
    final CodedInputStream in = bytes.newCodedInput();
    in.enableAliasing(true);
    final List<ByteString> ids = new ArrayList<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == IWANT_IDS) {
        ids.add(lengthDelimited(in, tag, "messageIDs"));
      } else {
        in.skipField(tag);
      }
    }
    return ids;
  }

  private static String decodeTopicOnly(final ByteString bytes) throws IOException {
    final CodedInputStream in = bytes.newCodedInput();
    String topic = "";
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == TOPIC_ID) {
        topic = utf8(lengthDelimited(in, tag, "ControlGraft.topicID"), "ControlGraft.topicID");
      } else {
        in.skipField(tag);
      }
    }
    return topic;
  }

  private static ControlPrune decodePrune(final ByteString bytes) throws IOException {
    final CodedInputStream in = bytes.newCodedInput();
    in.enableAliasing(true);
    String topic = "";
    final List<PeerInfo> peers = new ArrayList<>();
    OptionalLong backoff = OptionalLong.empty();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case TOPIC_ID -> topic = utf8(lengthDelimited(in, tag, "ControlPrune.topicID"), "ControlPrune.topicID");
        case PRUNE_PEERS -> decodePeerInfo(lengthDelimited(in, tag, "ControlPrune.peers")).ifPresent(peers::add);
        case PRUNE_BACKOFF -> backoff = OptionalLong.of(varint(in, tag, "ControlPrune.backoff"));
        default -> in.skipField(tag);
      }
    }
    return new ControlPrune(topic, peers, backoff);
  }

  /** A PeerInfo without a peer id is useless to us and dropped (not an error: the field is optional). */
  private static Optional<PeerInfo> decodePeerInfo(final ByteString bytes) throws IOException {
    final CodedInputStream in = bytes.newCodedInput();
    in.enableAliasing(true);
    ByteString peer = null;
    Optional<ByteString> record = Optional.empty();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case PEERINFO_PEER_ID -> peer = lengthDelimited(in, tag, "PeerInfo.peerID");
        case PEERINFO_RECORD -> record = Optional.of(lengthDelimited(in, tag, "PeerInfo.signedPeerRecord"));
        default -> in.skipField(tag);
      }
    }
    return peer == null ? Optional.empty() : Optional.of(new PeerInfo(peer, record));
  }

  private static ControlMessage merge(final ControlMessage a, final ControlMessage b) {
    if (a.isEmpty()) {
      return b;
    }
    return new ControlMessage(
        concat(a.ihave(), b.ihave()),
        concat(a.iwant(), b.iwant()),
        concat(a.graft(), b.graft()),
        concat(a.prune(), b.prune()),
        concat(a.idontwant(), b.idontwant()));
  }

  private static <T> List<T> concat(final List<T> a, final List<T> b) {
    final List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static ByteString lengthDelimited(final CodedInputStream in, final int tag, final String field)
      throws IOException {
    if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
      throw new MalformedInputException(field + ": expected a length-delimited field, got wire type "
          + WireFormat.getTagWireType(tag));
    }
    return in.readBytes();
  }

  private static long varint(final CodedInputStream in, final int tag, final String field) throws IOException {
    if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_VARINT) {
      throw new MalformedInputException(field + ": expected a varint, got wire type " + WireFormat.getTagWireType(tag));
    }
    return in.readUInt64();
  }

  private static String utf8(final ByteString bytes, final String field) {
    if (!bytes.isValidUtf8()) {
      throw new MalformedInputException(field + " is not valid UTF-8");
    }
    return bytes.toStringUtf8();
  }
}
