package io.tensorlink.p2p.protocol.dcutr;

import com.google.protobuf.CodedInputStream;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.util.MalformedInputException;
import io.tensorlink.p2p.util.Protobufs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A DCUtR message, {@code HolePunch{type=1 (CONNECT 100, SYNC 300), ObsAddrs=2}}, decoded strictly:
 * a known type is required, at most {@link #MAX_ADDRESSES} addresses are kept (unparseable ones
 * dropped), the message is at most {@link #MAX_MESSAGE} bytes.
 */
public record HolePunch(Type type, List<Multiaddr> addresses) {
  public static final int MAX_MESSAGE = 4096;
  public static final int MAX_ADDRESSES = 16;

  public enum Type {
    CONNECT(100),
    SYNC(300);

    private final int code;

    Type(final int code) {
      this.code = code;
    }
  }

  public HolePunch {
    addresses = List.copyOf(addresses);
  }

  public byte[] encode() {
    return Protobufs.encode(out -> {
      out.writeEnum(1, type.code);
      for (final Multiaddr a : addresses) {
        out.writeByteArray(2, a.bytes());
      }
    });
  }

  public static HolePunch decode(final byte[] bytes) {
    if (bytes.length > MAX_MESSAGE) {
      throw new MalformedInputException("dcutr message of " + bytes.length + " bytes exceeds " + MAX_MESSAGE);
    }
    Integer code = null;
    final List<Multiaddr> addresses = new ArrayList<>();
    try {
      final CodedInputStream in = CodedInputStream.newInstance(bytes);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          case 8 -> code = in.readEnum();
          case 18 -> {
            final byte[] raw = in.readByteArray();
            if (addresses.size() < MAX_ADDRESSES) {
              try {
                addresses.add(Multiaddr.fromBytes(raw));
              } catch (final MalformedInputException e) {
                // a transport we cannot dial
              }
            }
          }
          default -> Protobufs.skip(in, tag, "dcutr message");
        }
      }
    } catch (final IOException e) {
      throw new MalformedInputException("dcutr message is malformed: " + e.getMessage(), e);
    }
    if (code == null) {
      throw new MalformedInputException("dcutr message without a type");
    }
    for (final Type t : Type.values()) {
      if (t.code == code) {
        return new HolePunch(t, addresses);
      }
    }
    throw new MalformedInputException("dcutr message type " + code + " is unknown");
  }
}
