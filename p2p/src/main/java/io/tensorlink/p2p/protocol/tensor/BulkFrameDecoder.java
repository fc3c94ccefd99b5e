package io.tensorlink.p2p.protocol.tensor;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.tensorlink.p2p.util.MalformedInputException;

/**
 * Reassembles {@link BulkFrame}s from arbitrary byte chunks without copying (retained slices in a
 * composite buffer), checking type, reserved bits and size limits from the header before any
 * payload is buffered, and the CRC32C once the frame is complete. Not thread-safe; call {@link
 * #release()} when done.
 */
public final class BulkFrameDecoder {
  /** Receives verified frames; owns (and must release) {@code payload}. */
  @FunctionalInterface
  public interface Sink {
    void onFrame(int type, ByteBuf payload);
  }

  private final BulkLimits limits;
  private final ByteBufAllocator alloc;
  private CompositeByteBuf frame;
  private int expected = -1;
  private int type;

  public BulkFrameDecoder(final BulkLimits limits, final ByteBufAllocator alloc) {
    this.limits = limits;
    this.alloc = alloc;
  }

  /** Consumes all readable bytes of {@code in} (does not release it). */
  public void decode(final ByteBuf in, final Sink sink) {
    while (in.isReadable()) {
      if (frame == null) {
        frame = alloc.compositeBuffer(64);
      }
      final int target = expected < 0 ? BulkFrame.HEADER_SIZE : expected;
      final int n = Math.min(target - frame.readableBytes(), in.readableBytes());
      frame.addComponent(true, in.readRetainedSlice(n));
      if (frame.readableBytes() < target) {
        return;
      }
      if (expected < 0) {
        expected = BulkFrame.HEADER_SIZE + checkHeader(frame) + BulkFrame.TRAILER_SIZE;
        continue;
      }
      final int length = expected - BulkFrame.HEADER_SIZE - BulkFrame.TRAILER_SIZE;
      final int crc = BulkFrame.checksum(frame.slice(0, BulkFrame.HEADER_SIZE), frame.slice(BulkFrame.HEADER_SIZE, length));
      if (crc != frame.getInt(BulkFrame.HEADER_SIZE + length)) {
        throw new MalformedInputException("bulk frame of type " + type + " failed its CRC32C check");
      }
      final ByteBuf payload = frame.retainedSlice(BulkFrame.HEADER_SIZE, length);
      frame.release();
      frame = null;
      expected = -1;
      sink.onFrame(type, payload);
    }
  }

  private int checkHeader(final ByteBuf header) {
    type = header.getUnsignedByte(0);
    if (header.getUnsignedByte(1) != 0 || header.getUnsignedShort(2) != 0) {
      throw new MalformedInputException("bulk frame header has non-zero reserved bits");
    }
    final long length = header.getUnsignedInt(4);
    final long max =
        switch (type) {
          case BulkFrame.TYPE_START -> limits.maxMetadata();
          case BulkFrame.TYPE_CHUNK -> limits.maxChunk();
          case BulkFrame.TYPE_END -> BulkFrame.END_PAYLOAD_SIZE;
          case BulkFrame.TYPE_ABORT -> BulkFrame.MAX_ABORT_REASON;
          default -> throw new MalformedInputException("unknown bulk frame type " + type);
        };
    if (length > max || (type == BulkFrame.TYPE_END && length != BulkFrame.END_PAYLOAD_SIZE)) {
      throw new MalformedInputException("bulk frame of type " + type + " has length " + length + " (limit " + max + ")");
    }
    return (int) length;
  }

  public void release() {
    if (frame != null) {
      frame.release();
      frame = null;
    }
  }
}
