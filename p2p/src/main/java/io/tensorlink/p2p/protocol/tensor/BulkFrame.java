package io.tensorlink.p2p.protocol.tensor;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Wire format of the TensorLink bulk protocols. Each frame is
 *
 * <pre>
 *   type u8 | reserved u8 (0) | reserved u16 (0) | length u32 BE | payload[length] | crc32c u32 BE
 * </pre>
 *
 * where the CRC32C covers the 8-byte header and the payload. A message is {@code START(metadata)},
 * any number of {@code CHUNK(data)}, then {@code END(u64 total bytes, u32 chunk count)}; {@code
 * ABORT(utf-8 reason)} ends a message early. Several messages may follow each other on one stream.
 */
public final class BulkFrame {
  public static final int TYPE_START = 1;
  public static final int TYPE_CHUNK = 2;
  public static final int TYPE_END = 3;
  public static final int TYPE_ABORT = 4;

  public static final int HEADER_SIZE = 8;
  public static final int TRAILER_SIZE = 4;
  public static final int END_PAYLOAD_SIZE = 12;
  public static final int MAX_ABORT_REASON = 1024;

  private BulkFrame() {}

  static void writeHeader(final ByteBuf out, final int type, final int length) {
    out.writeByte(type);
    out.writeByte(0);
    out.writeShort(0);
    out.writeInt(length);
  }

  /** CRC32C of the header and payload; the JDK's CRC32C is intrinsic and runs at memory speed. */
  static int checksum(final ByteBuf header, final ByteBuf payload) {
    final CRC32C crc = new CRC32C();
    update(crc, header);
    update(crc, payload);
    return (int) crc.getValue();
  }

  private static void update(final CRC32C crc, final ByteBuf buf) {
    if (buf.nioBufferCount() == 1) {
      crc.update(buf.nioBuffer());
      return;
    }
    for (final ByteBuffer part : buf.nioBuffers()) {
      crc.update(part);
    }
  }
}
