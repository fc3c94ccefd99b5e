package io.tensorlink.p2p.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.host.StreamHandler;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.multistream.MultistreamNegotiator;
import io.tensorlink.p2p.peer.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of plausible yamux frames (SYNs, data with multistream text or noise, FIN, RST,
 * window updates, pings, GoAway, bad versions) into a real session on an EmbeddedChannel: nothing
 * may escape the pipeline, and every buffer must be released (paranoid leak detection is on).
 */
class YamuxSessionFuzzTest {
  record FrameSpec(int kind, int streamId, int flags, int length, byte[] payload) {}

  @Provide
  Arbitrary<List<FrameSpec>> frames() {
    final Arbitrary<FrameSpec> frame =
        Combinators.combine(
                Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(0, 15),
                Arbitraries.integers().between(0, 400_000),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(64))
            .as(FrameSpec::new);
    return frame.list().ofMaxSize(40);
  }

  private static ByteBuf encode(final FrameSpec f) {
    final ByteBuf b = Unpooled.buffer();
    switch (f.kind()) {
      case 0 -> { // data carrying a multistream proposal (sometimes of a protocol we handle)
        final ByteBuf text = Unpooled.buffer();
        MultistreamNegotiator.writeMessage(text, MultistreamNegotiator.HEADER);
        MultistreamNegotiator.writeMessage(text, f.length() % 2 == 0 ? "/echo/1" : "/other/1");
        YamuxHeader.write(b, YamuxHeader.TYPE_DATA, f.flags(), f.streamId(), text.readableBytes());
        b.writeBytes(text);
        text.release();
      }
      case 1 -> { // data with random payload and honest length
        YamuxHeader.write(b, YamuxHeader.TYPE_DATA, f.flags(), f.streamId(), f.payload().length);
        b.writeBytes(f.payload());
      }
      case 2 -> { // data whose declared length may exceed what follows or the window
        YamuxHeader.write(b, YamuxHeader.TYPE_DATA, f.flags(), f.streamId(), f.length());
        b.writeBytes(f.payload());
      }
      case 3 -> YamuxHeader.write(b, YamuxHeader.TYPE_WINDOW_UPDATE, f.flags(), f.streamId(), f.length());
      case 4 -> YamuxHeader.write(b, YamuxHeader.TYPE_PING, f.flags(), 0, f.length());
      case 5 -> YamuxHeader.write(b, YamuxHeader.TYPE_GO_AWAY, 0, 0, f.flags() % 3);
      case 6 -> { // bad version or type
        YamuxHeader.write(b, f.flags() % 6, 0, f.streamId(), 0);
        b.setByte(0, f.flags() & 1);
      }
      default -> b.writeBytes(f.payload()); // raw noise
    }
    return b;
  }

  @Property(tries = 150)
  void nothingEscapesAndNothingLeaks(@ForAll("frames") final List<FrameSpec> frames) {
    final HostConfig config =
        HostConfig.loopback().toBuilder().keepAliveInterval(Duration.ZERO).streamNegotiationTimeout(Duration.ofSeconds(1)).build();
    final StreamHandler echo = s -> s.setListener((st, data) -> st.writeAndFlush(data.retain()));
    final PeerId remote = PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
    final Multiaddr addr = Multiaddr.parse("/ip4/127.0.0.1/tcp/1");
    final boolean[] closedHook = {false};
    final YamuxSession session =
        new YamuxSession(
            config,
            false,
            remote,
            addr,
            addr,
            new YamuxSession.Hooks() {
              @Override
              public Optional<StreamHandler> handler(final String protocol) {
                return protocol.equals("/echo/1") ? Optional.of(echo) : Optional.empty();
              }

              @Override
              public void onClosed(final YamuxSession s) {
                closedHook[0] = true;
              }
            });
    final EmbeddedChannel channel = new EmbeddedChannel(session);
    for (final FrameSpec f : frames) {
      if (!channel.isActive()) {
        break;
      }
      channel.writeInbound(encode(f));
      channel.runPendingTasks();
      channel.checkException(); // throws if anything escaped the session
      for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
        ReferenceCountUtil.release(out);
      }
    }
    channel.finishAndReleaseAll();
    assertThat(closedHook[0]).as("channel closed, so the host hook ran").isTrue();
    assertThat(session.streamCount()).isZero();
  }
}
