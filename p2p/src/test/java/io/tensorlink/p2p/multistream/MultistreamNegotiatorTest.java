package io.tensorlink.p2p.multistream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.tensorlink.p2p.util.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultistreamNegotiatorTest {
  private static ByteBuf messages(final String... msgs) {
    final ByteBuf b = Unpooled.buffer();
    for (final String m : msgs) {
      MultistreamNegotiator.writeMessage(b, m);
    }
    return b;
  }

  @Test
  void shouldEncodeLikeTheSpec() {
    // "/multistream/1.0.0\n" is 19 bytes: 0x13 then the text; "na\n" is 03 6e 61 0a.
    assertThat(ByteBufUtil.hexDump(messages("na"))).isEqualTo("036e610a");
    final ByteBuf header = messages(MultistreamNegotiator.HEADER);
    assertThat(header.readByte()).isEqualTo((byte) 19);
    assertThat(header.toString(StandardCharsets.UTF_8)).isEqualTo("/multistream/1.0.0\n");
  }

  @Test
  void responderShouldAcceptPipelinedProposalAndLeaveTheRestUnread() {
    final MultistreamNegotiator responder = MultistreamNegotiator.responder("/noise"::equals);
    final ByteBuf in = messages(MultistreamNegotiator.HEADER, "/noise");
    in.writeBytes(new byte[] {0, 32, 1, 2, 3}); // the first Noise message, pipelined by js
    final ByteBuf out = Unpooled.buffer();
    final MultistreamNegotiator.Outcome outcome = responder.onData(in, out);
    assertThat(outcome).isEqualTo(new MultistreamNegotiator.Outcome.Agreed("/noise"));
    assertThat(ByteBufUtil.getBytes(in)).containsExactly(0, 32, 1, 2, 3);
    assertThat(out).isEqualTo(messages("/noise"));
  }

  @Test
  void responderShouldRefuseUnknownThenAcceptAndHandleSplitInput() {
    final MultistreamNegotiator responder = MultistreamNegotiator.responder("/meshsub/1.1.0"::equals);
    final ByteBuf all = messages(MultistreamNegotiator.HEADER, "/meshsub/1.2.0", "/meshsub/1.1.0");
    final ByteBuf in = Unpooled.buffer();
    final ByteBuf out = Unpooled.buffer();
    MultistreamNegotiator.Outcome outcome = null;
    while (all.isReadable()) {
      in.writeByte(all.readByte()); // one byte at a time
      outcome = responder.onData(in, out);
      if (outcome instanceof MultistreamNegotiator.Outcome.Agreed) {
        break;
      }
    }
    assertThat(outcome).isEqualTo(new MultistreamNegotiator.Outcome.Agreed("/meshsub/1.1.0"));
    assertThat(out).isEqualTo(messages("na", "/meshsub/1.1.0"));
  }

  @Test
  void initiatorShouldTryProposalsInOrder() {
    final MultistreamNegotiator initiator = MultistreamNegotiator.initiator(List.of("/a/1", "/b/1"));
    final ByteBuf start = initiator.start(ByteBufAllocator.DEFAULT);
    assertThat(start).isEqualTo(messages(MultistreamNegotiator.HEADER, "/a/1"));
    start.release();
    final ByteBuf out = Unpooled.buffer();
    assertThat(initiator.onData(messages(MultistreamNegotiator.HEADER, "na"), out))
        .isInstanceOf(MultistreamNegotiator.Outcome.Pending.class);
    assertThat(out).isEqualTo(messages("/b/1"));
    assertThat(initiator.onData(messages("na"), Unpooled.buffer()))
        .isEqualTo(new MultistreamNegotiator.Outcome.Refused(List.of("/a/1", "/b/1")));
  }

  @Test
  void shouldRejectProtocolViolations() {
    assertThatThrownBy(() -> MultistreamNegotiator.responder(p -> true).onData(messages("/other/1.0.0"), Unpooled.buffer()))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("expected multistream header");
    final MultistreamNegotiator initiator = MultistreamNegotiator.initiator(List.of("/a/1"));
    assertThatThrownBy(() -> initiator.onData(messages(MultistreamNegotiator.HEADER, "/b/1"), Unpooled.buffer()))
        .hasMessageContaining("expected '/a/1' or 'na'");
    final ByteBuf noNewline = Unpooled.buffer().writeByte(3).writeBytes("abc".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> MultistreamNegotiator.responder(p -> true).onData(noNewline, Unpooled.buffer()))
        .hasMessageContaining("newline");
    final MultistreamNegotiator picky = MultistreamNegotiator.responder(p -> false);
    final ByteBuf many = messages(MultistreamNegotiator.HEADER);
    for (int i = 0; i <= MultistreamNegotiator.MAX_PROPOSALS; i++) {
      MultistreamNegotiator.writeMessage(many, "/p/" + i);
    }
    assertThatThrownBy(() -> picky.onData(many, Unpooled.buffer())).hasMessageContaining("refused proposals");
  }
}
