package io.tensorlink.p2p.yamux;

import io.netty.buffer.ByteBuf;
import io.tensorlink.p2p.util.MalformedInputException;

/**
 * The 12-byte yamux header: {@code version(0) type flags(u16) streamId(u32) length(u32)}, all big
 * endian. For data frames {@code length} is the payload size; for window updates a delta; for
 * pings an opaque value; for GoAway an error code.
 */
public record YamuxHeader(int type, int flags, int streamId, long length) {
  public static final int SIZE = 12;

  public static final int TYPE_DATA = 0;
  public static final int TYPE_WINDOW_UPDATE = 1;
  public static final int TYPE_PING = 2;
  public static final int TYPE_GO_AWAY = 3;

  public static final int FLAG_SYN = 1;
  public static final int FLAG_ACK = 2;
  public static final int FLAG_FIN = 4;
  public static final int FLAG_RST = 8;

  public static final int GO_AWAY_NORMAL = 0;
  public static final int GO_AWAY_PROTOCOL_ERROR = 1;
  public static final int GO_AWAY_INTERNAL_ERROR = 2;

  public boolean has(final int flag) {
    return (flags & flag) != 0;
  }

  /** Reads a header at the reader index, checking version and type. */
  public static YamuxHeader read(final ByteBuf in) {
    final int version = in.readUnsignedByte();
    final int type = in.readUnsignedByte();
    final int flags = in.readUnsignedShort();
    final int streamId = in.readInt();
    final long length = in.readUnsignedInt();
    if (version != 0) {
      throw new MalformedInputException("yamux: unsupported version " + version);
    }
    if (type > TYPE_GO_AWAY) {
      throw new MalformedInputException("yamux: unknown frame type " + type);
    }
    return new YamuxHeader(type, flags, streamId, length);
  }

  public static void write(
      final ByteBuf out, final int type, final int flags, final int streamId, final long length) {
    out.writeByte(0);
    out.writeByte(type);
    out.writeShort(flags);
    out.writeInt(streamId);
    out.writeInt((int) length);
  }

  public void write(final ByteBuf out) {
    write(out, type, flags, streamId, length);
  }
}
