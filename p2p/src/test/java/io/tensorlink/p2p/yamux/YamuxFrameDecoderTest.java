package io.tensorlink.p2p.yamux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.tensorlink.p2p.util.MalformedInputException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class YamuxFrameDecoderTest {
  /** Records what the decoder reports, merging data chunks per frame. */
  private static final class Recording implements YamuxFrameDecoder.Sink {
    final List<String> events = new ArrayList<>();
    private final StringBuilder data = new StringBuilder();

    @Override
    public void onFrame(final YamuxHeader h) {
      events.add("frame " + h);
    }

    @Override
    public void onData(final YamuxHeader h, final ByteBuf chunk) {
      data.append(ByteBufUtil.hexDump(chunk));
      chunk.release();
    }

    @Override
    public void onFrameEnd(final YamuxHeader h) {
      events.add("end " + h.streamId() + " data=" + data);
      data.setLength(0);
    }
  }

  private static ByteBuf frames() {
    final ByteBuf b = Unpooled.buffer();
    YamuxHeader.write(b, YamuxHeader.TYPE_WINDOW_UPDATE, YamuxHeader.FLAG_SYN, 1, 1 << 20);
    YamuxHeader.write(b, YamuxHeader.TYPE_DATA, 0, 1, 5);
    b.writeBytes(new byte[] {1, 2, 3, 4, 5});
    YamuxHeader.write(b, YamuxHeader.TYPE_DATA, YamuxHeader.FLAG_FIN, 1, 0);
    YamuxHeader.write(b, YamuxHeader.TYPE_PING, YamuxHeader.FLAG_SYN, 0, 77);
    YamuxHeader.write(b, YamuxHeader.TYPE_DATA, YamuxHeader.FLAG_RST, 3, 2);
    b.writeBytes(new byte[] {(byte) 0xaa, (byte) 0xbb});
    YamuxHeader.write(b, YamuxHeader.TYPE_GO_AWAY, 0, 0, YamuxHeader.GO_AWAY_NORMAL);
    return b;
  }

  @Test
  void shouldDecodeIdenticallyWhateverTheReadBoundaries() {
    final Recording whole = new Recording();
    final ByteBuf all = frames();
    new YamuxFrameDecoder().decode(all, whole);
    assertThat(whole.events)
        .containsExactly(
            "frame YamuxHeader[type=1, flags=1, streamId=1, length=1048576]",
            "end 1 data=",
            "frame YamuxHeader[type=0, flags=0, streamId=1, length=5]",
            "end 1 data=0102030405",
            "frame YamuxHeader[type=0, flags=4, streamId=1, length=0]",
            "end 1 data=",
            "frame YamuxHeader[type=2, flags=1, streamId=0, length=77]",
            "end 0 data=",
            "frame YamuxHeader[type=0, flags=8, streamId=3, length=2]",
            "end 3 data=aabb",
            "frame YamuxHeader[type=3, flags=0, streamId=0, length=0]",
            "end 0 data=");
    final int size = frames().readableBytes();
    for (int step = 1; step <= 13; step++) {
      final Recording split = new Recording();
      final YamuxFrameDecoder decoder = new YamuxFrameDecoder();
      final ByteBuf in = frames();
      for (int off = 0; off < size; off += step) {
        decoder.decode(in.readSlice(Math.min(step, in.readableBytes())), split);
      }
      assertThat(split.events).as("fed %d bytes at a time", step).isEqualTo(whole.events);
    }
  }

  @Test
  void shouldRejectBadVersionAndType() {
    final ByteBuf badVersion = Unpooled.buffer();
    YamuxHeader.write(badVersion, 0, 0, 1, 0);
    badVersion.setByte(0, 1);
    assertThatThrownBy(() -> new YamuxFrameDecoder().decode(badVersion, new Recording()))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("version 1");
    final ByteBuf badType = Unpooled.buffer();
    YamuxHeader.write(badType, 4, 0, 1, 0);
    assertThatThrownBy(() -> new YamuxFrameDecoder().decode(badType, new Recording())).hasMessageContaining("frame type 4");
  }

  @Test
  void aRejectedHeaderLeavesTheDecoderFailedForGood() {
    final YamuxFrameDecoder decoder = new YamuxFrameDecoder();
    final ByteBuf bad = Unpooled.buffer();
    YamuxHeader.write(bad, 4, 0, 1, 0);
    assertThatThrownBy(() -> decoder.decode(bad, new Recording())).hasMessageContaining("frame type 4");
    assertThat(decoder.state()).isEqualTo(YamuxFrameDecoder.State.FAILED);

    final ByteBuf good = Unpooled.buffer();
    YamuxHeader.write(good, YamuxHeader.TYPE_PING, 0, 0, 7);
    final Recording after = new Recording();
    assertThatThrownBy(() -> decoder.decode(good, after))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("failed earlier").hasMessageContaining("frame type 4");
    assertThat(after.events).isEmpty();
  }
}
