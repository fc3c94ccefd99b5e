package io.tensorlink.p2p.protocol.dcutr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.p2p.host.Conditions;
import io.tensorlink.p2p.host.Connection;
import io.tensorlink.p2p.host.DelimitedReader;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.host.StreamCloseReason;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.relay.RelayClient;
import io.tensorlink.p2p.relay.RelayConfig;
import io.tensorlink.p2p.relay.RelayService;
import io.tensorlink.p2p.transport.Hosts;
import io.tensorlink.p2p.transport.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DCUtR on loopback: a target A reachable only through relay R as far as B knows, B dials it through
 * the relay, and the hole punch replaces the relayed connection with a direct one. Loopback has no
 * NAT, so this checks the coordination (CONNECT, RTT, SYNC, the dials) and the switch-over, not that
 * a real NAT binding opens.
 */
class DcutrTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final List<Host> hosts = new ArrayList<>();

  @AfterEach
  void stop() {
    hosts.forEach(Host::close);
  }

  private Host host() {
    final Host h = Hosts.create(HostConfig.loopback().toBuilder().eventLoopThreads(1).build());
    h.start().orTimeout(10, TimeUnit.SECONDS).join();
    hosts.add(h);
    return h;
  }

  private static void connect(final Host from, final Host to) {
    from.dial(to.listenAddresses().get(0).withPeerId(to.peerId())).orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Test
  void aRelayedConnectionIsUpgradedToADirectOneByItself() throws Exception {
    final Host relay = host();
    final Host a = host();
    final Host b = host();
    RelayService.serve(relay, RelayConfig.defaults());
    final RelayClient ra = RelayClient.attach(a, WAIT);
    ra.acceptConnections();
    Dcutr.attach(a, WAIT);
    Dcutr.attach(b, WAIT);
    connect(a, relay);
    ra.reserve(relay.peerId()).orTimeout(10, TimeUnit.SECONDS).join();
    connect(b, relay);

    final Connection relayed = RelayClient.attach(b, WAIT).dial(relay.peerId(), a.peerId()).orTimeout(10, TimeUnit.SECONDS).join();
    assertThat(relayed.remoteAddress().isRelayed()).isTrue();
    // A accepted the relayed connection; once identify shows B speaks DCUtR, A starts the punch.
    Conditions.waitUntil(() -> !relayed.isOpen());
    Conditions.waitUntil(() -> b.connection(a.peerId()).isPresent() && a.connection(b.peerId()).isPresent());
    assertThat(b.connection(a.peerId()).get().remoteAddress().isRelayed()).isFalse();
    assertThat(a.connection(b.peerId()).get().remoteAddress().isRelayed()).isFalse();
    assertThat(b.ping(a.peerId()).orTimeout(10, TimeUnit.SECONDS).join()).isPositive();
  }

  @Test
  void theExplicitUpgradeReturnsTheDirectConnection() {
    final Host relay = host();
    final Host a = host();
    final Host b = host();
    RelayService.serve(relay, RelayConfig.defaults());
    final RelayClient ra = RelayClient.attach(a, WAIT);
    ra.acceptConnections();
    Dcutr.serve(a, WAIT); // answers only: no automatic punch racing the explicit one
    final Dcutr punchB = Dcutr.serve(b, WAIT);
    connect(a, relay);
    ra.reserve(relay.peerId()).orTimeout(10, TimeUnit.SECONDS).join();
    connect(b, relay);
    // B starts it this time, over its outbound relayed connection.
    final Connection relayed = RelayClient.attach(b, WAIT).dial(relay.peerId(), a.peerId()).orTimeout(10, TimeUnit.SECONDS).join();
    final Connection direct = punchB.upgrade(relayed).orTimeout(10, TimeUnit.SECONDS).join();
    assertThat(direct.remotePeer()).isEqualTo(a.peerId());
    assertThat(direct.remoteAddress()).isEqualTo(a.listenAddresses().get(0));
    assertThat(relayed.isOpen()).as("the relayed connection is closed once the direct one is up").isFalse();
  }

  @Test
  void aPeerWithNoDirectAddressFailsTheUpgradeCleanly() {
    final Host a = host();
    final Host b = host();
    b.setStreamHandler(Dcutr.PROTOCOL, s -> s.setListener(DelimitedReader.of("test", 4096, (st, m) ->
        DelimitedReader.write(st, new HolePunch(HolePunch.Type.CONNECT, List.of(Multiaddr.parse("/ip4/0.0.0.0/tcp/1"))).encode()))));
    connect(a, b);
    final Dcutr dcutr = Dcutr.serve(a, WAIT);
    final Connection toB = a.connection(b.peerId()).orElseThrow();
    assertThatThrownBy(() -> dcutr.upgrade(toB).orTimeout(10, TimeUnit.SECONDS).join()).hasMessageContaining("no direct address of " + b.peerId());
  }

  @Test
  void outOfOrderOrMalformedMessagesResetTheStream() throws Exception {
    final Host a = host();
    final Host b = host();
    Dcutr.serve(a, WAIT);
    connect(b, a);
    try (LogCapture log = new LogCapture()) {
      for (final byte[] body : List.of(new HolePunch(HolePunch.Type.SYNC, List.of()).encode(), new byte[] {0x08, 0x01}, new byte[] {0x12, 0x00})) {
        final Stream s = b.newStream(a.peerId(), Dcutr.PROTOCOL).orTimeout(10, TimeUnit.SECONDS).join();
        s.setListener((st, d) -> {});
        DelimitedReader.write(s, body);
        assertThat(s.closeFuture().orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(StreamCloseReason.RESET_REMOTE);
      }
      Conditions.waitUntil(() -> log.warnings().stream().anyMatch(w -> w.contains("dcutr expected CONNECT, got SYNC")));
      Conditions.waitUntil(() -> log.warnings().stream().anyMatch(w -> w.contains("dcutr message type 1 is unknown")));
      Conditions.waitUntil(() -> log.warnings().stream().anyMatch(w -> w.contains("dcutr message without a type")));
    }
    assertThatThrownBy(() -> HolePunch.decode(new byte[HolePunch.MAX_MESSAGE + 1])).hasMessageContaining("exceeds 4096");
  }
}
