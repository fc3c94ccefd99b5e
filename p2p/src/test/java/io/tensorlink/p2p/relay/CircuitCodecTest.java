package io.tensorlink.p2p.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.crypto.PrivKey;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.record.Envelope;
import io.tensorlink.p2p.relay.CircuitMessage.Hop;
import io.tensorlink.p2p.relay.CircuitMessage.Limit;
import io.tensorlink.p2p.relay.CircuitMessage.Peer;
import io.tensorlink.p2p.relay.CircuitMessage.Reservation;
import io.tensorlink.p2p.relay.CircuitMessage.Stop;
import io.tensorlink.p2p.util.MalformedInputException;
import io.tensorlink.p2p.util.Protobufs;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CircuitCodecTest {
  private static final PrivKey KEY = Keys.generate(KeyType.ED25519);
  private static final PeerId PEER = PeerId.fromPublicKey(KEY.publicKey());
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void hopAndStopMessagesRoundTrip() {
    final Hop hop = new Hop(CircuitMessage.HopType.STATUS, Optional.of(new Peer(PEER, List.of(Multiaddr.parse("/ip4/1.2.3.4/tcp/5")))),
        Optional.of(new Reservation(1_800_000_000L, List.of(Multiaddr.parse("/ip4/9.9.9.9/tcp/1")), Optional.of(new byte[] {1, 2}))),
        Optional.of(new Limit(120, 131072)), Optional.of(RelayStatus.OK));
    final Hop back = CircuitCodec.decodeHop(CircuitCodec.encode(hop));
    assertThat(back.type()).isEqualTo(hop.type());
    assertThat(back.peer()).isEqualTo(hop.peer());
    assertThat(back.limit()).isEqualTo(hop.limit());
    assertThat(back.status()).isEqualTo(hop.status());
    assertThat(back.reservation().get().expireUnixSeconds()).isEqualTo(1_800_000_000L);
    assertThat(back.reservation().get().voucher().get()).containsExactly(1, 2);
    final Stop stop = new Stop(CircuitMessage.StopType.CONNECT, Optional.of(new Peer(PEER, List.of())), Optional.of(new Limit(0, 5)), Optional.empty());
    assertThat(CircuitCodec.decodeStop(CircuitCodec.encode(stop))).isEqualTo(stop);
    // HopMessage{type=STATUS, status=NO_RESERVATION(204)}
    assertThat(HEX.formatHex(CircuitCodec.encode(Hop.status(RelayStatus.NO_RESERVATION)))).isEqualTo("080228cc01");
  }

  @Test
  void defectsAreNamed() {
    assertThatThrownBy(() -> CircuitCodec.decodeHop(new byte[CircuitCodec.MAX_MESSAGE + 1])).hasMessageContaining("exceeds 4096");
    assertThatThrownBy(() -> CircuitCodec.decodeStop(HEX.parseHex("0802"))).hasMessageContaining("StopMessage type 2 is unknown");
    assertThatThrownBy(() -> CircuitCodec.decodeHop(HEX.parseHex("08022801"))).hasMessageContaining("relay status 1 is unknown");
    assertThatThrownBy(() -> CircuitCodec.decodeHop(HEX.parseHex("08021a00"))).hasMessageContaining("Reservation without an expiry");
    assertThatThrownBy(() -> CircuitCodec.decodeHop(HEX.parseHex("080112030a0155"))).hasMessageContaining("Peer id is invalid");
    final byte[] bigVoucher = Protobufs.encode(out -> {
      out.writeEnum(1, 2);
      out.writeByteArray(3, Protobufs.encode(r -> {
        r.writeUInt64(1, 1);
        r.writeByteArray(3, new byte[CircuitCodec.MAX_VOUCHER + 1]);
      }));
    });
    assertThatThrownBy(() -> CircuitCodec.decodeHop(bigVoucher)).hasMessageContaining("voucher of 1025 bytes exceeds 1024");
    assertThatThrownBy(() -> CircuitCodec.decodeHop(HEX.parseHex("0802120a")))
        .isInstanceOf(MalformedInputException.class).hasMessageContaining("relay message is malformed");
  }

  @Test
  void vouchersVerifyTheirRelay() {
    final PeerId client = PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
    final Voucher v = new Voucher(PEER, client, 1_800_000_000L);
    assertThat(Voucher.open(v.seal(KEY))).isEqualTo(v);
    final PrivKey other = Keys.generate(KeyType.ED25519);
    assertThatThrownBy(() -> v.seal(other)).hasMessageContaining("signed by its relay");
    final byte[] payload = Protobufs.encode(out -> {
      out.writeByteArray(1, PEER.bytes());
      out.writeByteArray(2, client.bytes());
      out.writeUInt64(3, 1);
    });
    assertThatThrownBy(() -> Voucher.open(Envelope.seal(other, Voucher.DOMAIN, new byte[] {3, 2}, payload).bytes()))
        .hasMessageContaining("is signed by another key");
    assertThatThrownBy(() -> Voucher.open(Envelope.seal(KEY, Voucher.DOMAIN, new byte[] {3, 1}, payload).bytes()))
        .hasMessageContaining("payload type is not 0x0302");
    assertThatThrownBy(() -> Voucher.open(Envelope.seal(KEY, "libp2p-peer-record", new byte[] {3, 2}, payload).bytes()))
        .hasMessageContaining("does not verify for domain libp2p-relay-rsvp");
  }
}
