package io.tensorlink.p2p.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.tensorlink.p2p.crypto.Ed25519PrivKey;
import io.tensorlink.p2p.pubsub.rpc.ControlGraft;
import io.tensorlink.p2p.pubsub.rpc.ControlIHave;
import io.tensorlink.p2p.pubsub.rpc.ControlMessage;
import io.tensorlink.p2p.pubsub.rpc.ControlPrune;
import io.tensorlink.p2p.pubsub.rpc.Rpc;
import io.tensorlink.p2p.pubsub.rpc.RpcCodec;
import io.tensorlink.p2p.pubsub.rpc.SubOpts;
import io.tensorlink.p2p.util.MalformedInputException;
import io.tensorlink.p2p.util.Uvarint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Random, truncated and mutated bytes never escape the decoders as anything but a named refusal. */
class RpcDecodingPropertyTest {
  private static final StrictSign SIGNER = new StrictSign(Ed25519PrivKey.fromSeed(new byte[32]));

  @Property(tries = 500)
  void randomBytesDecodeOrFailWithMalformedInput(@ForAll @Size(max = 300) final byte[] bytes) {
    try {
      RpcCodec.decode(bytes);
    } catch (final MalformedInputException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Property(tries = 300)
  void validRpcsRoundTripAndTheirMutationsNeverThrowOtherwise(
      @ForAll("rpcs") final Rpc rpc, @ForAll @IntRange(min = 0, max = 10_000) final int cut,
      @ForAll @IntRange(min = 0, max = 255) final int flip) {
    final byte[] bytes = RpcCodec.encode(rpc);
    assertThat(RpcCodec.decode(bytes)).isEqualTo(rpc);
    assertThat(RpcCodec.encode(RpcCodec.decode(bytes))).isEqualTo(bytes);

    final byte[] truncated = Arrays.copyOf(bytes, cut % (bytes.length + 1));
    final byte[] mutated = bytes.clone();
    if (mutated.length > 0) {
      mutated[cut % mutated.length] ^= (byte) flip;
    }
    for (final byte[] bad : List.of(truncated, mutated)) {
      try {
        final Rpc decoded = RpcCodec.decode(bad);
        decoded.messages().forEach(m -> StrictSign.verify(m)); // never throws either
      } catch (final MalformedInputException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
  }

  @Property(tries = 300)
  void frameDecoderNeverThrowsAndReportsWhy(@ForAll @Size(max = 400) final byte[] bytes,
      @ForAll @IntRange(min = 1, max = 50) final int chunk) {
    final List<Rpc> out = new ArrayList<>();
    try (RpcFrameDecoder decoder = new RpcFrameDecoder(ByteBufAllocator.DEFAULT, 256, out::add)) {
      boolean ok = true;
      for (int i = 0; i < bytes.length && ok; i += chunk) {
        final ByteBuf part = Unpooled.wrappedBuffer(bytes, i, Math.min(chunk, bytes.length - i));
        ok = decoder.feed(part);
        part.release();
      }
      if (!ok) {
        assertThat(decoder.failure()).isNotBlank();
      }
    }
  }

  @Property(tries = 200)
  void framedRpcsSplitAnywhereComeOutWhole(@ForAll("rpcs") final Rpc rpc,
      @ForAll @IntRange(min = 1, max = 64) final int chunk) {
    final byte[] body = RpcCodec.encode(rpc);
    final ByteBuf framed = Unpooled.buffer();
    for (int i = 0; i < 3; i++) {
      Uvarint.write(framed, body.length);
      framed.writeBytes(body);
    }
    final List<Rpc> out = new ArrayList<>();
    try (RpcFrameDecoder decoder = new RpcFrameDecoder(ByteBufAllocator.DEFAULT, 1 << 20, out::add)) {
      while (framed.isReadable()) {
        final ByteBuf part = framed.readRetainedSlice(Math.min(chunk, framed.readableBytes()));
        assertThat(decoder.feed(part)).isTrue();
        part.release();
      }
    }
    framed.release();
    assertThat(out).containsExactly(rpc, rpc, rpc);
  }

  @Property(tries = 50)
  void oversizedFrameIsRefusedBeforeBuffering(@ForAll @IntRange(min = 257, max = 1 << 30) final int length) {
    final ByteBuf frame = Unpooled.buffer();
    Uvarint.write(frame, length);
    try (RpcFrameDecoder decoder = new RpcFrameDecoder(ByteBufAllocator.DEFAULT, 256, rpc -> {})) {
      assertThat(decoder.feed(frame)).isFalse();
      assertThat(decoder.failure()).contains("exceeds the limit of 256");
    }
    frame.release();
  }

  @Property(tries = 20)
  void afterMalformedInputTheDecoderStaysFailedAndDiscardsTheRest(@ForAll("rpcs") final Rpc rpc) {
    final byte[] body = RpcCodec.encode(rpc);
    final ByteBuf input = Unpooled.buffer();
    input.writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}); // 4 GiB
    Uvarint.write(input, body.length);
    input.writeBytes(body);
    final List<Rpc> out = new ArrayList<>();
    try (RpcFrameDecoder decoder = new RpcFrameDecoder(ByteBufAllocator.DEFAULT, 1 << 20, out::add)) {
      assertThat(decoder.feed(input)).isFalse();
      assertThat(decoder.state()).isEqualTo(RpcFrameDecoder.State.FAILED);
      final ByteBuf more = Unpooled.buffer();
      Uvarint.write(more, body.length);
      more.writeBytes(body);
      assertThat(decoder.feed(more)).isFalse();
      more.release();
      assertThat(decoder.failure()).contains("exceeds the limit");
    }
    input.release();
    assertThat(out).isEmpty();
  }

  @Provide
  Arbitrary<Rpc> rpcs() {
    final Arbitrary<String> topics = Arbitraries.strings().ofMaxLength(12);
    final Arbitrary<ByteString> ids = Arbitraries.bytes().array(byte[].class).ofMaxSize(20).map(ByteString::copyFrom);
    final Arbitrary<SubOpts> subs = net.jqwik.api.Combinators.combine(Arbitraries.of(true, false), topics).as(SubOpts::new);
    final Arbitrary<io.tensorlink.p2p.pubsub.rpc.PubsubMessage> messages =
        net.jqwik.api.Combinators.combine(topics, Arbitraries.bytes().array(byte[].class).ofMaxSize(40), Arbitraries.longs())
            .as((t, d, s) -> SIGNER.sign(t, ByteString.copyFrom(d), s));
    final Arbitrary<ControlMessage> controls = net.jqwik.api.Combinators.combine(
            net.jqwik.api.Combinators.combine(topics, ids.list().ofMaxSize(3)).as(ControlIHave::new).list().ofMaxSize(2),
            topics.map(ControlGraft::new).list().ofMaxSize(2),
            net.jqwik.api.Combinators.combine(topics, Arbitraries.longs().between(0, 1000))
                .as(ControlPrune::withBackoff).list().ofMaxSize(2))
        .as((ihave, graft, prune) -> new ControlMessage(ihave, List.of(), graft, prune, List.of()));
    return net.jqwik.api.Combinators.combine(subs.list().ofMaxSize(3), messages.list().ofMaxSize(2), controls)
        .as(Rpc::new);
  }
}
