package io.tensorlink.p2p.relay;

import com.google.protobuf.CodedInputStream;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.relay.CircuitMessage.Hop;
import io.tensorlink.p2p.relay.CircuitMessage.HopType;
import io.tensorlink.p2p.relay.CircuitMessage.Limit;
import io.tensorlink.p2p.relay.CircuitMessage.Peer;
import io.tensorlink.p2p.relay.CircuitMessage.Reservation;
import io.tensorlink.p2p.relay.CircuitMessage.Stop;
import io.tensorlink.p2p.relay.CircuitMessage.StopType;
import io.tensorlink.p2p.util.MalformedInputException;
import io.tensorlink.p2p.util.Protobufs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The circuit relay v2 protobuf, decoded strictly: the type is required and must be known, a status
 * code must be known, peer ids must be valid, every length is bounded ({@link #MAX_MESSAGE}, {@link
 * #MAX_ADDRESSES} per list, {@link #MAX_VOUCHER}); unparseable addresses are dropped.
 */
public final class CircuitCodec {
  /** go's limit for relay messages. */
  public static final int MAX_MESSAGE = 4096;
  public static final int MAX_ADDRESSES = 16;
  public static final int MAX_VOUCHER = 1024;

  private CircuitCodec() {}

  public static byte[] encode(final CircuitMessage message) {
    return switch (message) {
        case Hop h -> write(out -> {
          out.writeEnum(1, h.type().ordinal());
          if (h.peer().isPresent()) {
            out.writeByteArray(2, peer(h.peer().get()));
          }
          if (h.reservation().isPresent()) {
            out.writeByteArray(3, reservation(h.reservation().get()));
          }
          if (h.limit().isPresent()) {
            out.writeByteArray(4, limit(h.limit().get()));
          }
          if (h.status().isPresent()) {
            out.writeEnum(5, h.status().get().code());
          }
        });
        case Stop s -> write(out -> {
          out.writeEnum(1, s.type().ordinal());
          if (s.peer().isPresent()) {
            out.writeByteArray(2, peer(s.peer().get()));
          }
          if (s.limit().isPresent()) {
            out.writeByteArray(3, limit(s.limit().get()));
          }
          if (s.status().isPresent()) {
            out.writeEnum(4, s.status().get().code());
          }
        });
    };
  }

  private static byte[] peer(final Peer p) {
    return write(out -> {
      out.writeByteArray(1, p.id().bytes());
      for (final Multiaddr a : p.addresses()) {
        out.writeByteArray(2, a.bytes());
      }
    });
  }

  private static byte[] reservation(final Reservation r) {
    return write(out -> {
      out.writeUInt64(1, r.expireUnixSeconds());
      for (final Multiaddr a : r.addresses()) {
        out.writeByteArray(2, a.bytes());
      }
      if (r.voucher().isPresent()) {
        out.writeByteArray(3, r.voucher().get());
      }
    });
  }

  private static byte[] limit(final Limit l) {
    return write(out -> {
      if (l.durationSeconds() > 0) {
        out.writeUInt32(1, (int) l.durationSeconds());
      }
      if (l.dataBytes() > 0) {
        out.writeUInt64(2, l.dataBytes());
      }
    });
  }

  public static Hop decodeHop(final byte[] bytes) {
    checkSize(bytes);
    try {
      Integer type = null;
      Optional<Peer> peer = Optional.empty();
      Optional<Reservation> reservation = Optional.empty();
      Optional<Limit> limit = Optional.empty();
      Optional<RelayStatus> status = Optional.empty();
      final CodedInputStream in = CodedInputStream.newInstance(bytes);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          case 8 -> type = in.readEnum();
          case 18 -> peer = Optional.of(decodePeer(in.readByteArray()));
          case 26 -> reservation = Optional.of(decodeReservation(in.readByteArray()));
          case 34 -> limit = Optional.of(decodeLimit(in.readByteArray()));
          case 40 -> status = Optional.of(status(in.readEnum()));
          default -> skip(in, tag);
        }
      }
      return new Hop(enumValue(HopType.values(), type, "HopMessage"), peer, reservation, limit, status);
    } catch (final IOException e) {
      throw new MalformedInputException("relay message is malformed: " + e.getMessage(), e);
    }
  }

  public static Stop decodeStop(final byte[] bytes) {
    checkSize(bytes);
    try {
      Integer type = null;
      Optional<Peer> peer = Optional.empty();
      Optional<Limit> limit = Optional.empty();
      Optional<RelayStatus> status = Optional.empty();
      final CodedInputStream in = CodedInputStream.newInstance(bytes);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          case 8 -> type = in.readEnum();
          case 18 -> peer = Optional.of(decodePeer(in.readByteArray()));
          case 26 -> limit = Optional.of(decodeLimit(in.readByteArray()));
          case 32 -> status = Optional.of(status(in.readEnum()));
          default -> skip(in, tag);
        }
      }
      return new Stop(enumValue(StopType.values(), type, "StopMessage"), peer, limit, status);
    } catch (final IOException e) {
      throw new MalformedInputException("relay message is malformed: " + e.getMessage(), e);
    }
  }

  private static void checkSize(final byte[] bytes) {
    if (bytes.length > MAX_MESSAGE) {
      throw new MalformedInputException("relay message of " + bytes.length + " bytes exceeds " + MAX_MESSAGE);
    }
  }

  private static Peer decodePeer(final byte[] bytes) throws IOException {
    byte[] id = null;
    final List<Multiaddr> addresses = new ArrayList<>();
    final CodedInputStream in = CodedInputStream.newInstance(bytes);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 10 -> id = in.readByteArray();
        case 18 -> addAddress(addresses, in.readByteArray());
        default -> skip(in, tag);
      }
    }
    if (id == null) {
      throw new MalformedInputException("relay Peer without an id");
    }
    try {
      return new Peer(PeerId.fromBytes(id), addresses);
    } catch (final MalformedInputException e) {
      throw new MalformedInputException("relay Peer id is invalid: " + e.getMessage(), e);
    }
  }

  private static Reservation decodeReservation(final byte[] bytes) throws IOException {
    Long expire = null;
    final List<Multiaddr> addresses = new ArrayList<>();
    Optional<byte[]> voucher = Optional.empty();
    final CodedInputStream in = CodedInputStream.newInstance(bytes);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 8 -> expire = in.readUInt64();
        case 18 -> addAddress(addresses, in.readByteArray());
        case 26 -> {
          final byte[] v = in.readByteArray();
          if (v.length > MAX_VOUCHER) {
            throw new MalformedInputException("relay voucher of " + v.length + " bytes exceeds " + MAX_VOUCHER);
          }
          voucher = Optional.of(v);
        }
        default -> skip(in, tag);
      }
    }
    if (expire == null) {
      throw new MalformedInputException("relay Reservation without an expiry");
    }
    return new Reservation(expire, addresses, voucher);
  }

  private static Limit decodeLimit(final byte[] bytes) throws IOException {
    long duration = 0;
    long data = 0;
    final CodedInputStream in = CodedInputStream.newInstance(bytes);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 8 -> duration = Integer.toUnsignedLong(in.readUInt32());
        case 16 -> data = in.readUInt64();
        default -> skip(in, tag);
      }
    }
    return new Limit(duration, data);
  }

  private static void addAddress(final List<Multiaddr> addresses, final byte[] raw) {
    if (addresses.size() >= MAX_ADDRESSES) {
      return;
    }
    try {
      addresses.add(Multiaddr.fromBytes(raw));
    } catch (final MalformedInputException e) {
      // a transport we do not speak
    }
  }

  private static RelayStatus status(final int code) {
    return RelayStatus.of(code).orElseThrow(() -> new MalformedInputException("relay status " + code + " is unknown"));
  }

  private static <E extends Enum<E>> E enumValue(final E[] values, final Integer raw, final String what) {
    if (raw == null) {
      throw new MalformedInputException("relay " + what + " without a type");
    }
    if (raw < 0 || raw >= values.length) {
      throw new MalformedInputException("relay " + what + " type " + raw + " is unknown");
    }
    return values[raw];
  }

  private static byte[] write(final Protobufs.Body body) {
    return Protobufs.encode(body);
  }

  private static void skip(final CodedInputStream in, final int tag) throws IOException {
    Protobufs.skip(in, tag, "relay message");
  }
}
