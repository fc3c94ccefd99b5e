package io.tensorlink.p2p.protocol.autonat;

import com.google.protobuf.CodedInputStream;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.util.MalformedInputException;
import io.tensorlink.p2p.util.Protobufs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The AutoNAT v1 protobuf (proto2): {@code Message{type=1 (DIAL 0, DIAL_RESPONSE 1), dial=2,
 * dialResponse=3}}, {@code Dial{peer=1}}, {@code PeerInfo{id=1, addrs=2}}, {@code
 * DialResponse{status=1, statusText=2, addr=3}}. Decoding is strict: the message must hold the part
 * its type names, a DIAL must carry a valid peer id, status codes must be known; at most {@link
 * #MAX_ADDRESSES} addresses are kept and unparseable ones are dropped.
 */
public final class AutoNatCodec {
  /** go's limit for AutoNAT messages. */
  public static final int MAX_MESSAGE = 4096;
  public static final int MAX_ADDRESSES = 16;
  public static final int MAX_TEXT = 256;

  private static final int DIAL = 0;
  private static final int DIAL_RESPONSE = 1;

  private AutoNatCodec() {}

  public static byte[] encode(final AutoNatMessage message) {
    return switch (message) {
        case AutoNatMessage.Dial d -> {
          final byte[] info = write(out -> {
            out.writeByteArray(1, d.peer().bytes());
            for (final Multiaddr a : d.addresses()) {
              out.writeByteArray(2, a.bytes());
            }
          });
          final byte[] dial = write(out -> out.writeByteArray(1, info));
          yield write(out -> {
            out.writeEnum(1, DIAL);
            out.writeByteArray(2, dial);
          });
        }
        case AutoNatMessage.DialResponse r -> {
          final byte[] response = write(out -> {
            out.writeEnum(1, r.status().code());
            if (!r.text().isEmpty()) {
              out.writeString(2, r.text());
            }
            if (r.address().isPresent()) {
              out.writeByteArray(3, r.address().get().bytes());
            }
          });
          yield write(out -> {
            out.writeEnum(1, DIAL_RESPONSE);
            out.writeByteArray(3, response);
          });
        }
    };
  }

  public static AutoNatMessage decode(final byte[] bytes) {
    if (bytes.length > MAX_MESSAGE) {
      throw new MalformedInputException("autonat message of " + bytes.length + " bytes exceeds " + MAX_MESSAGE);
    }
    try {
      Integer type = null;
      byte[] dial = null;
      byte[] response = null;
      final CodedInputStream in = CodedInputStream.newInstance(bytes);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          case 8 -> type = in.readEnum();
          case 18 -> dial = in.readByteArray();
          case 26 -> response = in.readByteArray();
          default -> skip(in, tag);
        }
      }
      if (type == null) {
        throw new MalformedInputException("autonat message has no type");
      }
      return switch (type) {
        case DIAL -> decodeDial(require(dial, "DIAL without its dial part"));
        case DIAL_RESPONSE -> decodeResponse(require(response, "DIAL_RESPONSE without its dialResponse part"));
        default -> throw new MalformedInputException("autonat message type " + type + " is unknown");
      };
    } catch (final IOException e) {
      throw new MalformedInputException("autonat message is malformed: " + e.getMessage(), e);
    }
  }

  private static AutoNatMessage.Dial decodeDial(final byte[] bytes) throws IOException {
    byte[] info = null;
    final CodedInputStream in = CodedInputStream.newInstance(bytes);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == 10) {
        info = in.readByteArray();
      } else {
        skip(in, tag);
      }
    }
    byte[] id = null;
    final List<Multiaddr> addresses = new ArrayList<>();
    final CodedInputStream peer = CodedInputStream.newInstance(require(info, "DIAL without a peer"));
    for (int tag = peer.readTag(); tag != 0; tag = peer.readTag()) {
      switch (tag) {
        case 10 -> id = peer.readByteArray();
        case 18 -> {
          final byte[] raw = peer.readByteArray();
          if (addresses.size() < MAX_ADDRESSES) {
            try {
              addresses.add(Multiaddr.fromBytes(raw));
            } catch (final MalformedInputException e) {
              // a transport we cannot dial back anyway
            }
          }
        }
        default -> skip(peer, tag);
      }
    }
    final PeerId peerId;
    try {
      peerId = PeerId.fromBytes(require(id, "DIAL peer without an id"));
    } catch (final MalformedInputException e) {
      throw new MalformedInputException("autonat DIAL peer id is invalid: " + e.getMessage(), e);
    }
    return new AutoNatMessage.Dial(peerId, addresses);
  }

  private static AutoNatMessage.DialResponse decodeResponse(final byte[] bytes) throws IOException {
    Integer status = null;
    String text = "";
    Optional<Multiaddr> address = Optional.empty();
    final CodedInputStream in = CodedInputStream.newInstance(bytes);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 8 -> status = in.readEnum();
        case 18 -> {
          final byte[] raw = in.readByteArray();
          if (raw.length > MAX_TEXT) {
            throw new MalformedInputException("autonat statusText of " + raw.length + " bytes exceeds " + MAX_TEXT);
          }
          text = new String(raw, StandardCharsets.UTF_8);
        }
        case 26 -> address = Optional.of(Multiaddr.fromBytes(in.readByteArray()));
        default -> skip(in, tag);
      }
    }
    final int code = require(status, "DIAL_RESPONSE without a status");
    final AutoNatMessage.Status parsed =
        AutoNatMessage.Status.of(code).orElseThrow(() -> new MalformedInputException("autonat status " + code + " is unknown"));
    if (parsed == AutoNatMessage.Status.OK && address.isEmpty()) {
      throw new MalformedInputException("autonat OK response without the address dialled");
    }
    return new AutoNatMessage.DialResponse(parsed, text, address);
  }

  private static <T> T require(final T value, final String what) {
    if (value == null) {
      throw new MalformedInputException("autonat " + what);
    }
    return value;
  }

  private static byte[] write(final Protobufs.Body body) {
    return Protobufs.encode(body);
  }

  private static void skip(final CodedInputStream in, final int tag) throws IOException {
    Protobufs.skip(in, tag, "autonat message");
  }
}
