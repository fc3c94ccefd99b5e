package io.tensorlink.p2p.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tensorlink.p2p.util.MalformedInputException;

/**
 * Streaming yamux frame decoder. Data payloads are not buffered: each chunk of a data frame is
 * handed on as soon as it arrives, as a retained slice of the input, so a 16 MiB window costs no
 * copies. Only a header split across reads is staged (12 bytes). Not thread-safe.
 *
 * <p>States: {@link State#HEADER}, {@link State#PAYLOAD} (a data frame's bytes still due) and the
 * terminal {@link State#FAILED}: once a header is rejected (by {@link YamuxHeader#read} or the
 * sink), every later call throws again with that reason.
 */
public final class YamuxFrameDecoder {
  /** Receives decoded frames; {@link #onFrameEnd} follows every {@link #onFrame}. */
  public interface Sink {
    /** A header arrived; throw {@code MalformedInputException} to reject it. */
    void onFrame(YamuxHeader header);

    /** A chunk of a data frame's payload; the sink owns (and must release) {@code chunk}. */
    void onData(YamuxHeader header, ByteBuf chunk);

    /** The frame, including any payload, is complete: apply its FIN/RST flags now. */
    void onFrameEnd(YamuxHeader header);
  }

  public enum State { HEADER, PAYLOAD, FAILED }

  private final ByteBuf partialHeader = Unpooled.buffer(YamuxHeader.SIZE, YamuxHeader.SIZE);
  private State state = State.HEADER;
  private YamuxHeader current;
  private long remaining;
  private String failure;

  /**
   * Decodes everything readable in {@code in}; does not release it.
   *
   * @throws MalformedInputException on a rejected header, and on every call after one
   */
  public void decode(final ByteBuf in, final Sink sink) {
    if (state == State.FAILED) {
      throw new MalformedInputException("yamux decoder failed earlier: " + failure);
    }
    try {
      decodeFrames(in, sink);
    } catch (final MalformedInputException e) {
      failure = e.getMessage();
      state = State.FAILED;
      throw e;
    }
  }

  public State state() {
    return state;
  }

  private void decodeFrames(final ByteBuf in, final Sink sink) {
    while (in.isReadable()) {
      if (state == State.HEADER) {
        final YamuxHeader header;
        if (!partialHeader.isReadable() && in.readableBytes() >= YamuxHeader.SIZE) {
          header = YamuxHeader.read(in);
        } else {
          in.readBytes(partialHeader, Math.min(partialHeader.writableBytes(), in.readableBytes()));
          if (partialHeader.isWritable()) {
            return;
          }
          header = YamuxHeader.read(partialHeader);
          partialHeader.clear();
        }
        sink.onFrame(header);
        if (header.type() == YamuxHeader.TYPE_DATA && header.length() > 0) {
          current = header;
          remaining = header.length();
          state = State.PAYLOAD;
        } else {
          sink.onFrameEnd(header);
        }
      } else {
        final int n = (int) Math.min(remaining, in.readableBytes());
        final YamuxHeader header = current;
        remaining -= n;
        if (remaining == 0) {
          current = null;
          state = State.HEADER;
        }
        sink.onData(header, in.readRetainedSlice(n));
        if (remaining == 0) {
          sink.onFrameEnd(header);
        }
      }
    }
  }
}
