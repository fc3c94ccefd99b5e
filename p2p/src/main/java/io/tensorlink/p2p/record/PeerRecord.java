package io.tensorlink.p2p.record;

import com.google.protobuf.CodedInputStream;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.util.MalformedInputException;
import io.tensorlink.p2p.util.Protobufs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A routing record (libp2p RFC 0003): {@code PeerRecord{peer_id=1, seq=2, addresses=3}} with {@code
 * AddressInfo{multiaddr=1}}. {@code seq} orders records of one peer (a higher one supersedes).
 * Addresses we cannot parse (QUIC, WebRTC …) are dropped; at most {@link #MAX_ADDRESSES} are kept.
 */
public record PeerRecord(PeerId peerId, long seq, List<Multiaddr> addresses) {
  public static final int MAX_ADDRESSES = 32;

  public PeerRecord {
    addresses = List.copyOf(addresses);
    if (addresses.size() > MAX_ADDRESSES) {
      throw new IllegalArgumentException("a peer record holds at most " + MAX_ADDRESSES + " addresses");
    }
  }

  public byte[] encode() {
    return Protobufs.encode(out -> {
      out.writeByteArray(1, peerId.bytes());
      out.writeUInt64(2, seq);
      for (final Multiaddr a : addresses) {
        out.writeByteArray(3, Protobufs.encode(info -> info.writeByteArray(1, a.bytes())));
      }
    });
  }

  public static PeerRecord decode(final byte[] bytes) {
    byte[] id = null;
    long seq = 0;
    final List<Multiaddr> addresses = new ArrayList<>();
    try {
      final CodedInputStream in = CodedInputStream.newInstance(bytes);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          case 10 -> id = in.readByteArray();
          case 16 -> seq = in.readUInt64();
          case 26 -> {
            final byte[] info = in.readByteArray();
            if (addresses.size() < MAX_ADDRESSES) {
              address(info, addresses);
            }
          }
          default -> skip(in, tag);
        }
      }
    } catch (final IOException e) {
      throw new MalformedInputException("peer record is malformed: " + e.getMessage(), e);
    }
    if (id == null) {
      throw new MalformedInputException("peer record has no peer id");
    }
    return new PeerRecord(PeerId.fromBytes(id), seq, addresses);
  }

  private static void address(final byte[] info, final List<Multiaddr> out) throws IOException {
    final CodedInputStream in = CodedInputStream.newInstance(info);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == 10) {
        final byte[] raw = in.readByteArray();
        try {
          out.add(Multiaddr.fromBytes(raw));
        } catch (final MalformedInputException e) {
          // a transport we do not speak; the rest of the record stays usable
        }
      } else {
        skip(in, tag);
      }
    }
  }

  private static void skip(final CodedInputStream in, final int tag) throws IOException {
    Protobufs.skip(in, tag, "peer record");
  }
}
