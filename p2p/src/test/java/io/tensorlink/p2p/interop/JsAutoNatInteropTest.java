package io.tensorlink.p2p.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.host.DelimitedReader;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.protocol.autonat.AutoNatClient;
import io.tensorlink.p2p.protocol.autonat.AutoNatCodec;
import io.tensorlink.p2p.protocol.autonat.AutoNatConfig;
import io.tensorlink.p2p.protocol.autonat.AutoNatMessage;
import io.tensorlink.p2p.protocol.autonat.AutoNatMessage.DialResponse;
import io.tensorlink.p2p.protocol.autonat.AutoNatMessage.Status;
import io.tensorlink.p2p.protocol.autonat.AutoNatServer;
import io.tensorlink.p2p.transport.Hosts;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The AutoNAT v1 wire against js-libp2p's {@code @libp2p/autonat} 3.0.28 server. js never dials
 * private or same-host addresses back, so on loopback the best answer is E_DIAL_REFUSED: what this
 * checks is that js parses our DIAL and we parse its answers, including its E_BAD_REQUEST. (js's own
 * client skips private addresses too, so the other direction cannot be exercised on loopback.)
 */
class JsAutoNatInteropTest {
  private Host host;
  private JsPeer js;

  @BeforeEach
  void start() {
    final Optional<String> missing = JsPeer.unavailable();
    if (missing.isPresent()) {
      System.out.println("SKIPPED JsAutoNatInteropTest: " + missing.get());
    }
    Assumptions.assumeTrue(missing.isEmpty(), missing.orElse(""));
    host = Hosts.create(HostConfig.loopback());
    host.start().orTimeout(10, TimeUnit.SECONDS).join();
    js = JsPeer.start("--autonat");
    host.dial(js.address()).orTimeout(10, TimeUnit.SECONDS).join();
  }

  @AfterEach
  void stop() {
    if (js != null) {
      js.close();
    }
    if (host != null) {
      host.close();
    }
  }

  @Test
  void jsParsesOurDialAndRefusesLoopbackAddresses() {
    final DialResponse r =
        new AutoNatClient(host, AutoNatConfig.defaults()).ask(js.peerId(), host.listenAddresses()).orTimeout(30, TimeUnit.SECONDS).join();
    assertThat(r.status()).isEqualTo(Status.E_DIAL_REFUSED);
    assertThat(r.text()).isEqualTo("no dialable addresses");
  }

  @Test
  void jsAnswersADialNamingAnotherPeerWithBadRequest() {
    final PeerId other = PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
    final Stream s = host.newStream(js.peerId(), AutoNatServer.PROTOCOL).orTimeout(10, TimeUnit.SECONDS).join();
    final CompletableFuture<byte[]> answer = new CompletableFuture<>();
    s.setListener(DelimitedReader.of("test", AutoNatCodec.MAX_MESSAGE, (st, m) -> answer.complete(m)));
    DelimitedReader.write(s, AutoNatCodec.encode(new AutoNatMessage.Dial(other, host.listenAddresses())));
    final DialResponse r = (DialResponse) AutoNatCodec.decode(answer.orTimeout(30, TimeUnit.SECONDS).join());
    assertThat(r.status()).isEqualTo(Status.E_BAD_REQUEST);
    assertThat(r.text()).isEqualTo("peer id mismatch");
  }
}
