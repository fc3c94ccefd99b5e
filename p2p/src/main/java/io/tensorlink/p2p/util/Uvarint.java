package io.tensorlink.p2p.util;

import io.netty.buffer.ByteBuf;

/**
 * Unsigned LEB128 varints as used by multiformats (multiaddr, multistream, multihash) and length
 * prefixes. Multiformats caps varints at 9 bytes (63 bits); longer encodings are malformed.
 */
public final class Uvarint {
  /** Returned by {@link #read(ByteBuf)} when the buffer does not yet hold a complete varint. */
  public static final long INCOMPLETE = -1;

  /** The longest varint accepted (9 bytes: 63 bits, enough for every length and id here). */
  public static final int MAX_BYTES = 9;

  private Uvarint() {}

  /**
   * Reads a varint, advancing the reader index only when a complete value was read.
   *
   * @return the value, or {@link #INCOMPLETE} (reader index untouched)
   * @throws MalformedInputException when the varint is longer than 9 bytes or not minimal
   */
  public static long read(final ByteBuf in) {
    long value = 0;
    final int start = in.readerIndex();
    final int available = in.readableBytes();
    for (int i = 0; i < MAX_BYTES; i++) {
      if (i >= available) {
        return INCOMPLETE;
      }
      final int b = in.getByte(start + i) & 0xff;
      value |= (long) (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new MalformedInputException("varint is not minimally encoded");
        }
        in.readerIndex(start + i + 1);
        return value;
      }
    }
    throw new MalformedInputException("varint longer than " + MAX_BYTES + " bytes");
  }

  /** Reads a varint from a byte array at {@code pos[0]}, advancing it; throws when truncated. */
  public static long read(final byte[] in, final int[] pos) {
    long value = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      final int at = pos[0] + i;
      if (at >= in.length) {
        throw new MalformedInputException("truncated varint at offset " + pos[0]);
      }
      final int b = in[at] & 0xff;
      value |= (long) (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new MalformedInputException("varint is not minimally encoded");
        }
        pos[0] = at + 1;
        return value;
      }
    }
    throw new MalformedInputException("varint longer than " + MAX_BYTES + " bytes");
  }

  public static void write(final ByteBuf out, final long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.writeByte((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  public static byte[] encode(final long value) {
    final byte[] tmp = new byte[10];
    long v = value;
    int n = 0;
    while ((v & ~0x7FL) != 0) {
      tmp[n++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    tmp[n++] = (byte) v;
    return java.util.Arrays.copyOf(tmp, n);
  }

  public static int size(final long value) {
    int n = 1;
    long v = value;
    while ((v & ~0x7FL) != 0) {
      n++;
      v >>>= 7;
    }
    return n;
  }
}
