package io.tensorlink.p2p.kad;

import com.google.protobuf.CodedInputStream;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.util.MalformedInputException;
import io.tensorlink.p2p.util.Protobufs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The kad-dht protobuf ({@code Message{type=1, key=2, record=3, closerPeers=8, providerPeers=9,
 * clusterLevelRaw=10}}, {@code Peer{id=1, addrs=2, connection=3}}, {@code Record{key=1, value=2,
 * timeReceived=5}}), decoded strictly: every length is checked against an explicit limit, unknown
 * enum values and malformed peer IDs are errors, and an address we cannot parse (QUIC, WebRTC …) is
 * dropped rather than failing the message. Unknown fields are skipped as protobuf requires.
 */
public final class KadCodec {
  /** Largest message body accepted or sent. */
  public static final int MAX_MESSAGE = 64 * 1024;
  /** Largest key (record keys are namespaced paths, provider keys multihashes). */
  public static final int MAX_KEY = 512;
  /** Largest record value. */
  public static final int MAX_VALUE = 16 * 1024;
  /** Most peers in closerPeers or providerPeers. */
  public static final int MAX_PEERS = 40;
  /** Most addresses kept per peer (further ones are dropped). */
  public static final int MAX_ADDRESSES = 16;
  /** Longest timeReceived string. */
  public static final int MAX_TIME = 64;

  private KadCodec() {}

  public static byte[] encode(final KadMessage message) {
    final byte[] bytes = Protobufs.encode(out -> {
      out.writeEnum(1, message.type().ordinal());
      final byte[] key = message.key();
      if (key.length > 0) {
        out.writeByteArray(2, key);
      }
      if (message.record().isPresent()) {
        out.writeByteArray(3, encodeRecord(message.record().get()));
      }
      for (final KadPeer p : message.closerPeers()) {
        out.writeByteArray(8, encodePeer(p));
      }
      for (final KadPeer p : message.providerPeers()) {
        out.writeByteArray(9, encodePeer(p));
      }
    });
    if (bytes.length > MAX_MESSAGE) {
      throw new IllegalArgumentException("kad message of " + bytes.length + " bytes exceeds " + MAX_MESSAGE);
    }
    return bytes;
  }

  private static byte[] encodeRecord(final KadRecord record) {
    return Protobufs.encode(out -> {
      out.writeByteArray(1, record.key());
      out.writeByteArray(2, record.value());
      if (!record.timeReceived().isEmpty()) {
        out.writeString(5, record.timeReceived());
      }
    });
  }

  private static byte[] encodePeer(final KadPeer peer) {
    return Protobufs.encode(out -> {
      out.writeByteArray(1, peer.id().bytes());
      for (final Multiaddr a : peer.addresses()) {
        out.writeByteArray(2, a.bytes());
      }
      if (peer.connection() != KadPeer.ConnectionType.NOT_CONNECTED) {
        out.writeEnum(3, peer.connection().ordinal());
      }
    });
  }

  public static KadMessage decode(final byte[] bytes) {
    if (bytes.length > MAX_MESSAGE) {
      throw new MalformedInputException("kad message of " + bytes.length + " bytes exceeds " + MAX_MESSAGE);
    }
    KadMessage.Type type = KadMessage.Type.PUT_VALUE; // proto3 default: 0 is not written
    byte[] key = new byte[0];
    Optional<KadRecord> record = Optional.empty();
    final List<KadPeer> closer = new ArrayList<>();
    final List<KadPeer> providers = new ArrayList<>();
    try {
      final CodedInputStream in = CodedInputStream.newInstance(bytes);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          case 8 -> type = enumValue(KadMessage.Type.values(), in.readEnum(), "message type");
          case 18 -> key = bounded(in.readByteArray(), MAX_KEY, "key");
          case 26 -> record = Optional.of(decodeRecord(in.readByteArray()));
          case 66 -> addPeer(closer, in.readByteArray(), "closerPeers");
          case 74 -> addPeer(providers, in.readByteArray(), "providerPeers");
          default -> skip(in, tag);
        }
      }
    } catch (final IOException e) {
      throw new MalformedInputException("kad message is malformed: " + e.getMessage(), e);
    }
    return new KadMessage(type, key, record, closer, providers);
  }

  private static KadRecord decodeRecord(final byte[] bytes) throws IOException {
    byte[] key = new byte[0];
    byte[] value = new byte[0];
    String time = "";
    final CodedInputStream in = CodedInputStream.newInstance(bytes);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 10 -> key = bounded(in.readByteArray(), MAX_KEY, "record key");
        case 18 -> value = bounded(in.readByteArray(), MAX_VALUE, "record value");
        case 42 -> time = new String(bounded(in.readByteArray(), MAX_TIME, "record timeReceived"), java.nio.charset.StandardCharsets.UTF_8);
        default -> skip(in, tag);
      }
    }
    return new KadRecord(key, value, time);
  }

  private static void addPeer(final List<KadPeer> peers, final byte[] bytes, final String field) throws IOException {
    if (peers.size() == MAX_PEERS) {
      throw new MalformedInputException("kad message carries more than " + MAX_PEERS + " " + field);
    }
    byte[] id = null;
    final List<Multiaddr> addresses = new ArrayList<>();
    KadPeer.ConnectionType connection = KadPeer.ConnectionType.NOT_CONNECTED;
    final CodedInputStream in = CodedInputStream.newInstance(bytes);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 10 -> id = in.readByteArray();
        case 18 -> {
          final byte[] address = in.readByteArray();
          if (addresses.size() < MAX_ADDRESSES) {
            parseAddress(address).ifPresent(addresses::add);
          }
        }
        case 24 -> connection = enumValue(KadPeer.ConnectionType.values(), in.readEnum(), "connection type");
        default -> skip(in, tag);
      }
    }
    if (id == null) {
      throw new MalformedInputException("kad " + field + " entry has no peer id");
    }
    final PeerId peer;
    try {
      peer = PeerId.fromBytes(id);
    } catch (final MalformedInputException e) {
      throw new MalformedInputException("kad " + field + " entry has an invalid peer id: " + e.getMessage(), e);
    }
    peers.add(new KadPeer(peer, addresses, connection));
  }

  private static Optional<Multiaddr> parseAddress(final byte[] bytes) {
    try {
      return Optional.of(Multiaddr.fromBytes(bytes));
    } catch (final MalformedInputException e) {
      return Optional.empty();
    }
  }

  private static byte[] bounded(final byte[] value, final int max, final String what) {
    if (value.length > max) {
      throw new MalformedInputException("kad " + what + " of " + value.length + " bytes exceeds " + max);
    }
    return value;
  }

  private static <E extends Enum<E>> E enumValue(final E[] values, final int raw, final String what) {
    if (raw < 0 || raw >= values.length) {
      throw new MalformedInputException("kad " + what + " " + raw + " is unknown");
    }
    return values[raw];
  }

  private static void skip(final CodedInputStream in, final int tag) throws IOException {
    Protobufs.skip(in, tag, "kad message");
  }
}
