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
 *
 * <p>States: {@link State#HEADER} (collecting the 8-byte header), {@link State#BODY} (collecting
 * payload and CRC) and the terminal {@link State#FAILED}: after malformed input every later call
 * throws again with the first reason, so nothing is decoded past a defect.
 */
public final class BulkFrameDecoder {
  /** Receives verified frames; owns (and must release) {@code payload}. */
  @FunctionalInterface
  public interface Sink {
    void onFrame(int type, ByteBuf payload);
  }

  public enum State { HEADER, BODY, FAILED }

  private final BulkLimits limits;
  private final ByteBufAllocator alloc;
  private State state = State.HEADER;
  private CompositeByteBuf frame;
  private int expected;
  private int type;
  private String failure;

  public BulkFrameDecoder(final BulkLimits limits, final ByteBufAllocator alloc) {
    this.limits = limits;
    this.alloc = alloc;
  }

  /**
   * Consumes all readable bytes of {@code in} (does not release it).
   *
   * @throws MalformedInputException on a defect, and on every call after one
   */
  public void decode(final ByteBuf in, final Sink sink) {
    if (state == State.FAILED) {
      throw new MalformedInputException("bulk decoder failed earlier: " + failure);
    }
    try {
      decodeFrames(in, sink);
    } catch (final MalformedInputException e) {
      failure = e.getMessage();
      state = State.FAILED;
      release();
      throw e;
    }
  }

  private void decodeFrames(final ByteBuf in, final Sink sink) {
    while (in.isReadable()) {
      if (frame == null) {
        frame = alloc.compositeBuffer(64);
      }
      final int target = state == State.HEADER ? BulkFrame.HEADER_SIZE : expected;
      final int n = Math.min(target - frame.readableBytes(), in.readableBytes());
      frame.addComponent(true, in.readRetainedSlice(n));
      if (frame.readableBytes() < target) {
        return;
      }
      if (state == State.HEADER) {
        expected = BulkFrame.HEADER_SIZE + checkHeader(frame) + BulkFrame.TRAILER_SIZE;
        state = State.BODY;
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
      state = State.HEADER;
      sink.onFrame(type, payload);
    }
  }

  public State state() {
    return state;
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
