package io.tensorlink.p2p.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.kad.KadCodec;
import io.tensorlink.p2p.kad.KadMessage;
import io.tensorlink.p2p.kad.KadPeer;
import io.tensorlink.p2p.kad.KadRecord;
import io.tensorlink.p2p.kad.PublicKeyValidator;
import io.tensorlink.p2p.record.SignedPeerRecord;
import io.tensorlink.p2p.protocol.autonat.AutoNatCodec;
import io.tensorlink.p2p.protocol.autonat.AutoNatMessage;
import io.tensorlink.p2p.relay.CircuitCodec;
import io.tensorlink.p2p.relay.CircuitMessage;
import io.tensorlink.p2p.relay.Voucher;
import io.tensorlink.p2p.protocol.dcutr.HolePunch;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.multistream.MultistreamNegotiator;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.protocol.identify.IdentifyCodec;
import io.tensorlink.p2p.protocol.tensor.BulkFrameDecoder;
import io.tensorlink.p2p.protocol.tensor.BulkLimits;
import io.tensorlink.p2p.util.MalformedInputException;
import io.tensorlink.p2p.yamux.YamuxFrameDecoder;
import io.tensorlink.p2p.yamux.YamuxHeader;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random and truncated bytes into every decoder: each either succeeds, waits for more input, or
 * throws {@link MalformedInputException} (which the pipeline turns into a logged close). Anything
 * else (an NPE, an index error, an OOM from a bogus length) fails the property.
 */
class DecoderFuzzTest {
  private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

  @FunctionalInterface
  interface Decode {
    void run() throws Exception;
  }

  static void onlyMalformed(final Decode decode) throws Exception {
    try {
      decode.run();
    } catch (final MalformedInputException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<byte[]> noise() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
  }

  @Property(tries = 500)
  void multiaddrBinary(@ForAll("noise") final byte[] bytes) throws Exception {
    onlyMalformed(() -> assertThat(Multiaddr.fromBytes(bytes).bytes()).isEqualTo(bytes));
  }

  @Property(tries = 500)
  void multiaddrText(@ForAll @Size(max = 80) final String text) throws Exception {
    onlyMalformed(() -> Multiaddr.parse(text));
    onlyMalformed(() -> Multiaddr.parse("/" + text));
    onlyMalformed(() -> Multiaddr.parse("/ip4/" + text + "/tcp/1"));
  }

  @Property(tries = 300)
  void keysAndPeerIds(@ForAll("noise") final byte[] bytes) throws Exception {
    onlyMalformed(() -> Keys.unmarshalPublic(bytes));
    onlyMalformed(() -> Keys.unmarshalPrivate(bytes));
    onlyMalformed(() -> PeerId.fromBytes(bytes));
  }

  @Property(tries = 500)
  void multistreamBothRoles(@ForAll("noise") final byte[] bytes, @ForAll final boolean withHeader) throws Exception {
    for (final MultistreamNegotiator n :
        List.of(MultistreamNegotiator.responder(p -> p.equals("/noise")), MultistreamNegotiator.initiator(List.of("/noise")))) {
      final ByteBuf in = Unpooled.buffer();
      if (withHeader) {
        MultistreamNegotiator.writeMessage(in, MultistreamNegotiator.HEADER);
      }
      in.writeBytes(bytes);
      final ByteBuf out = Unpooled.buffer();
      onlyMalformed(() -> n.onData(in, out));
      in.release();
      out.release();
    }
  }

  @Property(tries = 500)
  void identify(@ForAll("noise") final byte[] bytes) throws Exception {
    onlyMalformed(() -> IdentifyCodec.decode(bytes));
  }

  /** Random yamux frames: version 0 and plausible types so the checks past the header get exercised. */
  @Provide
  Arbitrary<byte[]> yamuxish() {
    return Arbitraries.integers()
        .between(0, 6)
        .list()
        .ofMaxSize(8)
        .flatMap(
            types ->
                Arbitraries.bytes()
                    .array(byte[].class)
                    .ofMaxSize(64)
                    .map(
                        tail -> {
                          final ByteBuf b = Unpooled.buffer();
                          for (final int t : types) {
                            YamuxHeader.write(b, t, t * 3 & 0xf, t % 3, t == 0 ? tail.length % 17 : t * 1000L);
                          }
                          b.writeBytes(tail);
                          final byte[] out = new byte[b.readableBytes()];
                          b.readBytes(out);
                          b.release();
                          return out;
                        }));
  }

  @Property(tries = 500)
  void yamuxFrames(@ForAll("yamuxish") final byte[] bytes, @ForAll("noise") final byte[] random) throws Exception {
    for (final byte[] input : List.of(bytes, random)) {
      final YamuxFrameDecoder decoder = new YamuxFrameDecoder();
      final long[] delivered = {0};
      final ByteBuf in = Unpooled.wrappedBuffer(input);
      onlyMalformed(
          () ->
              decoder.decode(
                  in,
                  new YamuxFrameDecoder.Sink() {
                    @Override
                    public void onFrame(final YamuxHeader header) {}

                    @Override
                    public void onData(final YamuxHeader header, final ByteBuf chunk) {
                      delivered[0] += chunk.readableBytes();
                      chunk.release();
                    }

                    @Override
                    public void onFrameEnd(final YamuxHeader header) {}
                  }));
      assertThat(delivered[0]).isLessThanOrEqualTo(input.length);
      in.release();
    }
  }

  @Property(tries = 500)
  void bulkFrames(@ForAll("noise") final byte[] bytes, @ForAll final int split) throws Exception {
    final BulkFrameDecoder decoder = new BulkFrameDecoder(BulkLimits.DEFAULT, ALLOC);
    final ByteBuf in = Unpooled.wrappedBuffer(bytes);
    final int cut = bytes.length == 0 ? 0 : Math.floorMod(split, bytes.length);
    onlyMalformed(
        () -> {
          decoder.decode(in.readSlice(cut), (type, payload) -> payload.release());
          decoder.decode(in, (type, payload) -> payload.release());
        });
    decoder.release();
    in.release();
  }

  /** A valid kad message with every field set, whose bytes the property below corrupts. */
  private static final byte[] KAD_SAMPLE =
      KadCodec.encode(
          new KadMessage(
              KadMessage.Type.GET_VALUE,
              "/pk/k".getBytes(java.nio.charset.StandardCharsets.UTF_8),
              Optional.of(new KadRecord(new byte[] {1, 2}, new byte[] {3, 4, 5}, "t")),
              List.of(
                  new KadPeer(
                      PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey()),
                      List.of(Multiaddr.parse("/ip4/1.2.3.4/tcp/5")),
                      KadPeer.ConnectionType.CONNECTED)),
              List.of()));

  @Property(tries = 500)
  void kadMessages(@ForAll("noise") final byte[] bytes, @ForAll final int at, @ForAll final byte value) throws Exception {
    onlyMalformed(() -> KadCodec.decode(bytes));
    final byte[] corrupt = KAD_SAMPLE.clone();
    corrupt[Math.floorMod(at, corrupt.length)] = value;
    onlyMalformed(() -> KadCodec.decode(corrupt));
    onlyMalformed(() -> KadCodec.decode(java.util.Arrays.copyOf(KAD_SAMPLE, Math.floorMod(at, KAD_SAMPLE.length))));
    onlyMalformed(() -> new PublicKeyValidator().validate(bytes, corrupt));
  }

  private static final byte[] RECORD_SAMPLE =
      SignedPeerRecord.seal(Keys.generate(KeyType.ED25519), 5, List.of(Multiaddr.parse("/ip4/1.2.3.4/tcp/5"))).bytes();

  @Property(tries = 500)
  void signedPeerRecords(@ForAll("noise") final byte[] bytes, @ForAll final int at, @ForAll final byte value) throws Exception {
    onlyMalformed(() -> SignedPeerRecord.open(bytes));
    final byte[] corrupt = RECORD_SAMPLE.clone();
    final int i = Math.floorMod(at, corrupt.length);
    corrupt[i] = value;
    final boolean changed = value != RECORD_SAMPLE[i];
    try {
      SignedPeerRecord.open(corrupt);
      assertThat(changed).as("a changed byte must not verify").isFalse();
    } catch (final MalformedInputException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
    onlyMalformed(() -> SignedPeerRecord.open(java.util.Arrays.copyOf(RECORD_SAMPLE, i)));
  }

  private static final byte[] AUTONAT_SAMPLE =
      AutoNatCodec.encode(new AutoNatMessage.Dial(
          PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey()), List.of(Multiaddr.parse("/ip4/1.2.3.4/tcp/5"))));

  @Property(tries = 500)
  void autonatMessages(@ForAll("noise") final byte[] bytes, @ForAll final int at, @ForAll final byte value) throws Exception {
    onlyMalformed(() -> AutoNatCodec.decode(bytes));
    final byte[] corrupt = AUTONAT_SAMPLE.clone();
    corrupt[Math.floorMod(at, corrupt.length)] = value;
    onlyMalformed(() -> AutoNatCodec.decode(corrupt));
    onlyMalformed(() -> AutoNatCodec.decode(java.util.Arrays.copyOf(AUTONAT_SAMPLE, Math.floorMod(at, AUTONAT_SAMPLE.length))));
  }

  private static final byte[] HOP_SAMPLE =
      CircuitCodec.encode(new CircuitMessage.Hop(CircuitMessage.HopType.STATUS,
          Optional.of(new CircuitMessage.Peer(PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey()), List.of(Multiaddr.parse("/ip4/1.2.3.4/tcp/5")))),
          Optional.of(new CircuitMessage.Reservation(99, List.of(Multiaddr.parse("/ip4/1.2.3.4/tcp/6")), Optional.of(new byte[] {7}))),
          Optional.of(new CircuitMessage.Limit(60, 4096)), Optional.of(io.tensorlink.p2p.relay.RelayStatus.OK)));

  @Property(tries = 500)
  void relayMessages(@ForAll("noise") final byte[] bytes, @ForAll final int at, @ForAll final byte value) throws Exception {
    onlyMalformed(() -> CircuitCodec.decodeHop(bytes));
    onlyMalformed(() -> CircuitCodec.decodeStop(bytes));
    onlyMalformed(() -> Voucher.open(bytes));
    final byte[] corrupt = HOP_SAMPLE.clone();
    corrupt[Math.floorMod(at, corrupt.length)] = value;
    onlyMalformed(() -> CircuitCodec.decodeHop(corrupt));
    onlyMalformed(() -> CircuitCodec.decodeStop(corrupt));
    onlyMalformed(() -> CircuitCodec.decodeHop(java.util.Arrays.copyOf(HOP_SAMPLE, Math.floorMod(at, HOP_SAMPLE.length))));
  }

  @Property(tries = 300)
  void holePunchMessages(@ForAll("noise") final byte[] bytes) throws Exception {
    onlyMalformed(() -> HolePunch.decode(bytes));
  }
}
