package io.tensorlink.p2p.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tensorlink.p2p.host.Connection;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.host.IdentifyInfo;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.relay.CircuitMessage.Reservation;
import io.tensorlink.p2p.relay.RelayClient;
import io.tensorlink.p2p.relay.RelayConfig;
import io.tensorlink.p2p.relay.RelayService;
import io.tensorlink.p2p.relay.Voucher;
import io.tensorlink.p2p.transport.Hosts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Circuit relay v2 between Java and js-libp2p ({@code @libp2p/circuit-relay-v2} 4.2.13): a js target
 * reachable through a Java relay, for a Java and for a js initiator, and Java peers meeting through a
 * js relay (its reservation voucher checked by Java).
 */
class JsRelayInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final List<Host> hosts = new ArrayList<>();
  private final List<JsPeer> peers = new ArrayList<>();

  @BeforeEach
  void check() {
    final Optional<String> missing = JsPeer.unavailable();
    if (missing.isPresent()) {
      System.out.println("SKIPPED JsRelayInteropTest: " + missing.get());
    }
    Assumptions.assumeTrue(missing.isEmpty(), missing.orElse(""));
  }

  @AfterEach
  void stop() {
    peers.forEach(JsPeer::close);
    hosts.forEach(Host::close);
  }

  private Host host() {
    final Host h = Hosts.create(HostConfig.loopback().toBuilder().eventLoopThreads(1).build());
    h.start().orTimeout(10, TimeUnit.SECONDS).join();
    hosts.add(h);
    return h;
  }

  private JsPeer js(final String... args) {
    final JsPeer p = JsPeer.start(args);
    peers.add(p);
    return p;
  }

  private static Multiaddr address(final Host h) {
    return h.listenAddresses().get(0).withPeerId(h.peerId());
  }

  @Test
  void aJsPeerIsReachedThroughAJavaRelayByJavaAndByJs() {
    final Host relay = host();
    RelayService.serve(relay, RelayConfig.defaults());
    final JsPeer target = js("--listen-circuit=" + address(relay));
    final String circuit = address(relay) + "/p2p-circuit/p2p/" + target.peerId();
    target.await("addresses", e -> e.path("addrs").toString().contains("/p2p-circuit"), WAIT);

    final Host javaInitiator = host();
    javaInitiator.dial(address(relay)).orTimeout(10, TimeUnit.SECONDS).join();
    final Connection viaRelay = RelayClient.attach(javaInitiator, WAIT).dial(relay.peerId(), target.peerId()).orTimeout(30, TimeUnit.SECONDS).join();
    assertThat(viaRelay.remoteAddress().toString()).isEqualTo(circuit);
    final IdentifyInfo info = poll(() -> javaInitiator.identifyInfo(target.peerId()));
    assertThat(info.agentVersion()).isEqualTo("tensorlink-interop-js/0.1.0");

    final Host javaTarget = host();
    final RelayClient accepting = RelayClient.attach(javaTarget, WAIT);
    accepting.acceptConnections();
    javaTarget.dial(address(relay)).orTimeout(10, TimeUnit.SECONDS).join();
    accepting.reserve(relay.peerId()).orTimeout(10, TimeUnit.SECONDS).join();
    final JsPeer jsInitiator = js("--relay-client");
    jsInitiator.send(Map.of("cmd", "dial", "addr", address(relay) + "/p2p-circuit/p2p/" + javaTarget.peerId()));
    final JsonNode dialed = jsInitiator.await("dialed", e -> true, WAIT);
    assertThat(dialed.path("peerId").asText()).isEqualTo(javaTarget.peerId().toBase58());
    assertThat(dialed.path("remoteAddr").asText()).contains("/p2p-circuit");
    poll(() -> javaTarget.connection(jsInitiator.peerId()).filter(c -> c.remoteAddress().isRelayed()));
  }

  @Test
  void javaPeersMeetThroughAJsRelay() {
    final JsPeer relay = js("--relay-server");
    final Host target = host();
    final Host initiator = host();
    final RelayClient accepting = RelayClient.attach(target, WAIT);
    accepting.acceptConnections();
    target.dial(relay.address()).orTimeout(10, TimeUnit.SECONDS).join();
    poll(() -> target.identifyInfo(relay.peerId()).filter(i -> i.supports(RelayService.HOP)));
    final Reservation reservation = accepting.reserve(relay.peerId()).orTimeout(30, TimeUnit.SECONDS).join();
    assertThat(Voucher.open(reservation.voucher().orElseThrow()).relay()).isEqualTo(relay.peerId());

    initiator.dial(relay.address()).orTimeout(10, TimeUnit.SECONDS).join();
    final Connection viaRelay = RelayClient.attach(initiator, WAIT).dial(relay.peerId(), target.peerId()).orTimeout(30, TimeUnit.SECONDS).join();
    assertThat(viaRelay.remoteAddress().isRelayed()).isTrue();
    assertThat(initiator.ping(target.peerId()).orTimeout(10, TimeUnit.SECONDS).join()).isPositive();
  }

  private static <T> T poll(final java.util.function.Supplier<Optional<T>> probe) {
    final long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      final Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within " + WAIT);
      }
      try {
        Thread.sleep(50);
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
