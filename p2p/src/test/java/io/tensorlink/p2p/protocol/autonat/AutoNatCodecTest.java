package io.tensorlink.p2p.protocol.autonat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.protocol.autonat.AutoNatMessage.DialResponse;
import io.tensorlink.p2p.protocol.autonat.AutoNatMessage.Status;
import io.tensorlink.p2p.util.MalformedInputException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AutoNatCodecTest {
  private static final PeerId PEER = PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void requestsAndResponsesRoundTrip() {
    final AutoNatMessage dial = new AutoNatMessage.Dial(PEER, List.of(Multiaddr.parse("/ip4/1.2.3.4/tcp/5")));
    assertThat(AutoNatCodec.decode(AutoNatCodec.encode(dial))).isEqualTo(dial);
    for (final DialResponse r :
        List.of(DialResponse.ok(Multiaddr.parse("/ip4/1.2.3.4/tcp/5")), DialResponse.failed(Status.E_DIAL_REFUSED, "rate limited"))) {
      assertThat(AutoNatCodec.decode(AutoNatCodec.encode(r))).isEqualTo(r);
    }
  }

  @Test
  void theWireFormIsTheSpecsProtobuf() {
    // Message{type=DIAL_RESPONSE(1), dialResponse{status=E_DIAL_ERROR(100), statusText="x"}}
    assertThat(HEX.formatHex(AutoNatCodec.encode(DialResponse.failed(Status.E_DIAL_ERROR, "x")))).isEqualTo("08011a05086412017" + "8");
  }

  @Test
  void everyStructuralDefectIsNamed() {
    assertThatThrownBy(() -> AutoNatCodec.decode(new byte[AutoNatCodec.MAX_MESSAGE + 1])).hasMessageContaining("exceeds 4096");
    assertThatThrownBy(() -> AutoNatCodec.decode(HEX.parseHex("1200"))).hasMessageContaining("has no type");
    assertThatThrownBy(() -> AutoNatCodec.decode(HEX.parseHex("0807"))).hasMessageContaining("type 7 is unknown");
    assertThatThrownBy(() -> AutoNatCodec.decode(HEX.parseHex("0800"))).hasMessageContaining("DIAL without its dial part");
    assertThatThrownBy(() -> AutoNatCodec.decode(HEX.parseHex("08001200"))).hasMessageContaining("DIAL without a peer");
    assertThatThrownBy(() -> AutoNatCodec.decode(HEX.parseHex("080012020a00"))).hasMessageContaining("DIAL peer without an id");
    assertThatThrownBy(() -> AutoNatCodec.decode(HEX.parseHex("080012050a030a0155"))).hasMessageContaining("DIAL peer id is invalid");
    assertThatThrownBy(() -> AutoNatCodec.decode(HEX.parseHex("0801"))).hasMessageContaining("DIAL_RESPONSE without its dialResponse part");
    assertThatThrownBy(() -> AutoNatCodec.decode(HEX.parseHex("08011a00"))).hasMessageContaining("without a status");
    assertThatThrownBy(() -> AutoNatCodec.decode(HEX.parseHex("08011a020807"))).hasMessageContaining("status 7 is unknown");
    assertThatThrownBy(() -> AutoNatCodec.decode(HEX.parseHex("08011a020800"))).hasMessageContaining("OK response without the address");
    final byte[] longText = AutoNatCodec.encode(new DialResponse(Status.E_DIAL_ERROR, "y".repeat(300), Optional.empty()));
    assertThatThrownBy(() -> AutoNatCodec.decode(longText)).hasMessageContaining("statusText of 300 bytes exceeds 256");
    assertThatThrownBy(() -> AutoNatCodec.decode(HEX.parseHex("08011a05")))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("autonat message is malformed");
  }

  @Test
  void theLimiterCountsPerPeerAndInTotalWithinTheWindow() {
    final AtomicLong now = new AtomicLong();
    final DialBackLimiter limiter =
        new DialBackLimiter(new AutoNatConfig(2, 3, Duration.ofSeconds(60), 4, Duration.ofSeconds(1), Duration.ofSeconds(1)), now::get);
    final PeerId a = PEER;
    final PeerId b = PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
    assertThat(limiter.tryAcquire(a)).isTrue();
    assertThat(limiter.tryAcquire(a)).isTrue();
    assertThat(limiter.tryAcquire(a)).as("per peer").isFalse();
    assertThat(limiter.tryAcquire(b)).isTrue();
    assertThat(limiter.tryAcquire(b)).as("global").isFalse();
    now.addAndGet(Duration.ofSeconds(60).toNanos());
    assertThat(limiter.tryAcquire(a)).as("window passed").isTrue();
  }
}
