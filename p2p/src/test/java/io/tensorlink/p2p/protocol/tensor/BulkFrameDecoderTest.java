package io.tensorlink.p2p.protocol.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.tensorlink.p2p.util.MalformedInputException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decoder's states: header, body, and the terminal failed state after a defect. */
class BulkFrameDecoderTest {
  private final List<String> frames = new ArrayList<>();
  private final BulkFrameDecoder.Sink sink = (type, payload) -> {
    frames.add(type + ":" + payload.readableBytes());
    payload.release();
  };

  private static ByteBuf frame(final int type, final byte[] payload, final boolean goodCrc) {
    final ByteBuf header = Unpooled.buffer();
    BulkFrame.writeHeader(header, type, payload.length);
    final ByteBuf out = Unpooled.buffer();
    out.writeBytes(header, 0, header.readableBytes());
    out.writeBytes(payload);
    out.writeInt(goodCrc ? BulkFrame.checksum(header, Unpooled.wrappedBuffer(payload)) : 0xdeadbeef);
    header.release();
    return out;
  }

  @Test
  void framesSplitAcrossReadsPassThroughHeaderAndBodyStates() {
    final BulkFrameDecoder decoder = new BulkFrameDecoder(BulkLimits.DEFAULT, ByteBufAllocator.DEFAULT);
    final ByteBuf in = frame(BulkFrame.TYPE_START, new byte[] {1, 2, 3}, true);
    decoder.decode(in.readRetainedSlice(5), sink);
    assertThat(decoder.state()).isEqualTo(BulkFrameDecoder.State.HEADER);
    decoder.decode(in.readRetainedSlice(5), sink);
    assertThat(decoder.state()).isEqualTo(BulkFrameDecoder.State.BODY);
    decoder.decode(in, sink);
    assertThat(decoder.state()).isEqualTo(BulkFrameDecoder.State.HEADER);
    assertThat(frames).containsExactly(BulkFrame.TYPE_START + ":3");
    in.release();
    decoder.release();
  }

  @Test
  void aBadCrcFailsTheDecoderForGood() {
    final BulkFrameDecoder decoder = new BulkFrameDecoder(BulkLimits.DEFAULT, ByteBufAllocator.DEFAULT);
    final ByteBuf bad = frame(BulkFrame.TYPE_START, new byte[] {'a'}, false);
    assertThatThrownBy(() -> decoder.decode(bad, sink))
        .isInstanceOf(MalformedInputException.class).hasMessageContaining("CRC32C");
    assertThat(decoder.state()).isEqualTo(BulkFrameDecoder.State.FAILED);

    final ByteBuf good = frame(BulkFrame.TYPE_START, new byte[] {'b'}, true);
    assertThatThrownBy(() -> decoder.decode(good, sink)).hasMessageContaining("failed earlier").hasMessageContaining("CRC32C");
    assertThat(frames).isEmpty();
    bad.release();
    good.release();
    decoder.release();
  }
}
