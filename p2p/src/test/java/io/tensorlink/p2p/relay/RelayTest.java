package io.tensorlink.p2p.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tensorlink.p2p.host.Conditions;
import io.tensorlink.p2p.host.DelimitedReader;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.host.StreamCloseReason;
import io.tensorlink.p2p.host.StreamListener;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.relay.CircuitMessage.Peer;
import io.tensorlink.p2p.relay.CircuitMessage.Reservation;
import io.tensorlink.p2p.relay.CircuitMessage.Stop;
import io.tensorlink.p2p.transport.Hosts;
import io.tensorlink.p2p.transport.LogCapture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Circuit relay v2 over real TCP on loopback: a relay R, a target A with a reservation, an initiator B. */
class RelayTest {
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

  private static RelayConfig config(final int maxReservations, final int perPeer, final Duration duration, final long data) {
    return new RelayConfig(Duration.ofHours(1), maxReservations, 256, perPeer, duration, data, Duration.ofSeconds(5));
  }

  /** A target that echoes every circuit it accepts. */
  private static void echo(final RelayClient target, final LinkedBlockingQueue<RelayedStream> accepted) {
    target.onCircuit(circuit -> {
      accepted.add(circuit);
      circuit.setListener(new StreamListener() {
        @Override
        public void onData(final Stream s, final ByteBuf data) {
          s.writeAndFlush(data.retain());
        }

        @Override
        public void onRemoteClosed(final Stream s) {
          s.closeWrite();
        }
      });
    });
  }

  private static CompletableFuture<String> collect(final RelayedStream circuit) {
    final CompletableFuture<String> text = new CompletableFuture<>();
    final StringBuilder got = new StringBuilder();
    circuit.setListener(new StreamListener() {
      @Override
      public void onData(final Stream s, final ByteBuf data) {
        got.append(data.toString(StandardCharsets.UTF_8));
      }

      @Override
      public void onRemoteClosed(final Stream s) {
        text.complete(got.toString());
      }

      @Override
      public void onClosed(final Stream s, final StreamCloseReason reason) {
        text.completeExceptionally(new IllegalStateException("closed: " + reason));
      }
    });
    return text;
  }

  @Test
  void aReservedPeerIsReachedThroughTheRelayBothWays() throws Exception {
    final Host relay = host();
    final Host a = host();
    final Host b = host();
    final RelayService service = RelayService.serve(relay, RelayConfig.defaults());
    final RelayClient target = RelayClient.attach(a, WAIT);
    final LinkedBlockingQueue<RelayedStream> accepted = new LinkedBlockingQueue<>();
    echo(target, accepted);
    connect(a, relay);
    final Reservation r = target.reserve(relay.peerId()).orTimeout(10, TimeUnit.SECONDS).join();
    assertThat(r.addresses()).contains(relay.listenAddresses().get(0).withPeerId(relay.peerId()));
    assertThat(Instant.ofEpochSecond(r.expireUnixSeconds())).isAfter(Instant.now().plus(Duration.ofMinutes(59)));
    final Voucher voucher = Voucher.open(r.voucher().orElseThrow());
    assertThat(voucher).isEqualTo(new Voucher(relay.peerId(), a.peerId(), r.expireUnixSeconds()));

    connect(b, relay);
    final RelayedStream circuit = RelayClient.attach(b, WAIT).connect(relay.peerId(), a.peerId()).orTimeout(10, TimeUnit.SECONDS).join();
    assertThat(circuit.limit()).isEqualTo(RelayConfig.defaults().limit());
    final CompletableFuture<String> echoed = collect(circuit);
    circuit.stream().writeAndFlush(Unpooled.copiedBuffer("through the relay", StandardCharsets.UTF_8));
    circuit.stream().closeWrite();
    assertThat(echoed.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo("through the relay");
    assertThat(accepted.poll(10, TimeUnit.SECONDS).remotePeer()).isEqualTo(b.peerId());
    assertThat(service.reservationCount()).isEqualTo(1);
    Conditions.waitUntil(() -> service.circuitCount() == 0);
  }

  @Test
  void refusalsCarryTheSpecsStatus() {
    final Host relay = host();
    final Host a = host();
    final Host b = host();
    final Host c = host();
    RelayService.serve(relay, config(1, 1, Duration.ofMinutes(2), 1 << 20));
    final RelayClient ra = RelayClient.attach(a, WAIT);
    echo(ra, new LinkedBlockingQueue<>());
    final RelayClient rb = RelayClient.attach(b, WAIT);
    final RelayClient rc = RelayClient.attach(c, WAIT);
    connect(a, relay);
    connect(b, relay);
    connect(c, relay);

    assertStatus(rb.connect(relay.peerId(), a.peerId()), RelayStatus.NO_RESERVATION);
    ra.reserve(relay.peerId()).orTimeout(10, TimeUnit.SECONDS).join();
    assertStatus(rc.reserve(relay.peerId()), RelayStatus.RESERVATION_REFUSED);

    final RelayedStream first = rb.connect(relay.peerId(), a.peerId()).orTimeout(10, TimeUnit.SECONDS).join();
    assertStatus(rc.connect(relay.peerId(), a.peerId()), RelayStatus.RESOURCE_LIMIT_EXCEEDED);
    first.stream().reset();
  }

  private static void assertStatus(final CompletableFuture<?> request, final RelayStatus status) {
    assertThatThrownBy(() -> request.orTimeout(10, TimeUnit.SECONDS).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(RelayException.class)
        .satisfies(e -> assertThat(((RelayException) e).status()).isEqualTo(status));
  }

  @Test
  void aCircuitIsCutAtItsDataLimitAndItsDurationLimit() throws Exception {
    final Host relay = host();
    final Host a = host();
    final Host b = host();
    final RelayService service = RelayService.serve(relay, config(8, 8, Duration.ofSeconds(1), 64 * 1024));
    final RelayClient ra = RelayClient.attach(a, WAIT);
    echo(ra, new LinkedBlockingQueue<>());
    connect(a, relay);
    ra.reserve(relay.peerId()).orTimeout(10, TimeUnit.SECONDS).join();
    connect(b, relay);
    final RelayClient rb = RelayClient.attach(b, WAIT);

    final RelayedStream big = rb.connect(relay.peerId(), a.peerId()).orTimeout(10, TimeUnit.SECONDS).join();
    big.setListener((s, d) -> {});
    big.stream().writeAndFlush(Unpooled.wrappedBuffer(new byte[100 * 1024]));
    assertThat(big.stream().closeFuture().orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(StreamCloseReason.RESET_REMOTE);

    final RelayedStream idle = rb.connect(relay.peerId(), a.peerId()).orTimeout(10, TimeUnit.SECONDS).join();
    idle.setListener((s, d) -> {});
    final long started = System.nanoTime();
    assertThat(idle.stream().closeFuture().orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(StreamCloseReason.RESET_REMOTE);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(500));
    Conditions.waitUntil(() -> service.circuitCount() == 0);
  }

  @Test
  void aPeerRefusesCircuitsFromRelaysItHasNoReservationWith() throws Exception {
    final Host a = host();
    final Host stranger = host();
    RelayClient.attach(a, WAIT);
    connect(stranger, a);
    final Stream s = stranger.newStream(a.peerId(), RelayService.STOP).orTimeout(10, TimeUnit.SECONDS).join();
    final CompletableFuture<Stop> answer = new CompletableFuture<>();
    s.setListener(DelimitedReader.of("test", 4096, (st, m) -> answer.complete(CircuitCodec.decodeStop(m))));
    try (LogCapture log = new LogCapture()) {
      DelimitedReader.write(s, CircuitCodec.encode(new Stop(CircuitMessage.StopType.CONNECT,
          Optional.of(new Peer(stranger.peerId(), List.of())), Optional.empty(), Optional.empty())));
      assertThat(answer.orTimeout(10, TimeUnit.SECONDS).join().status()).contains(RelayStatus.PERMISSION_DENIED);
      Conditions.waitUntil(() -> log.warnings().stream().anyMatch(w -> w.contains("without our reservation")));
    }
  }

  @Test
  void malformedHopMessagesResetTheStreamWithAReason() throws Exception {
    final Host relay = host();
    final Host b = host();
    RelayService.serve(relay, RelayConfig.defaults());
    connect(b, relay);
    try (LogCapture log = new LogCapture()) {
      for (final byte[] body : List.of(new byte[] {0x08, 0x07}, new byte[] {0x08, 0x02, 0x28, 0x64}, new byte[] {0x12, 0x00}, new byte[] {0x28, 0x64})) {
        final Stream s = b.newStream(relay.peerId(), RelayService.HOP).orTimeout(10, TimeUnit.SECONDS).join();
        s.setListener((st, d) -> {});
        DelimitedReader.write(s, body);
        assertThat(s.closeFuture().orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(StreamCloseReason.RESET_REMOTE);
      }
      Conditions.waitUntil(() -> log.warnings().stream().anyMatch(w -> w.contains("HopMessage type 7 is unknown")));
      Conditions.waitUntil(() -> log.warnings().stream().anyMatch(w -> w.contains("a client sent STATUS")));
      Conditions.waitUntil(() -> log.warnings().stream().anyMatch(w -> w.contains("relay Peer without an id")));
      Conditions.waitUntil(() -> log.warnings().stream().anyMatch(w -> w.contains("HopMessage without a type")));
    }
    final PeerId nobody = b.peerId();
    assertStatus(RelayClient.attach(b, WAIT).connect(relay.peerId(), nobody), RelayStatus.NO_RESERVATION);
  }

  @Test
  void aSecuredConnectionRunsOverTheCircuitAndCarriesStreams() throws Exception {
    final Host relay = host();
    final Host a = host();
    final Host b = host();
    RelayService.serve(relay, RelayConfig.defaults());
    final RelayClient ra = RelayClient.attach(a, WAIT);
    ra.acceptConnections();
    connect(a, relay);
    ra.reserve(relay.peerId()).orTimeout(10, TimeUnit.SECONDS).join();
    connect(b, relay);
    a.setStreamHandler("/echo/1.0.0", s -> s.setListener((st, data) -> st.writeAndFlush(data.retain())));

    final io.tensorlink.p2p.host.Connection viaRelay = RelayClient.attach(b, WAIT).dial(relay.peerId(), a.peerId()).orTimeout(10, TimeUnit.SECONDS).join();
    assertThat(viaRelay.remotePeer()).isEqualTo(a.peerId());
    assertThat(viaRelay.remoteAddress().isRelayed()).isTrue();
    assertThat(viaRelay.remoteAddress().toString()).endsWith("/p2p/" + relay.peerId() + "/p2p-circuit/p2p/" + a.peerId());
    assertThat(b.ping(a.peerId()).orTimeout(10, TimeUnit.SECONDS).join()).isPositive();
    final Stream echo = viaRelay.newStream("/echo/1.0.0").orTimeout(10, TimeUnit.SECONDS).join();
    final CompletableFuture<String> back = new CompletableFuture<>();
    echo.setListener((st, data) -> back.complete(data.toString(StandardCharsets.UTF_8)));
    echo.writeAndFlush(Unpooled.copiedBuffer("over noise over a circuit", StandardCharsets.UTF_8));
    assertThat(back.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo("over noise over a circuit");
    Conditions.waitUntil(() -> a.connection(b.peerId()).isPresent() && a.identifyInfo(b.peerId()).isPresent());
    assertThat(a.connection(b.peerId()).get().remoteAddress().isRelayed()).isTrue();
    assertThat(b.dial(viaRelay.remoteAddress()).orTimeout(10, TimeUnit.SECONDS).join().remoteAddress().isRelayed())
        .as("a circuit address of a peer already reached through the relay reuses that connection").isTrue();
  }

  @Test
  void aCircuitAddressIsDialledThroughTheHostOnlyWithARelayClient() throws Exception {
    final Host relay = host();
    final Host a = host();
    RelayService.serve(relay, RelayConfig.defaults());
    final RelayClient ra = RelayClient.attach(a, WAIT);
    ra.acceptConnections();
    connect(a, relay);
    ra.reserve(relay.peerId()).orTimeout(10, TimeUnit.SECONDS).join();
    final Multiaddr circuit = Multiaddr.parse(relay.listenAddresses().get(0).withPeerId(relay.peerId())
        + "/p2p-circuit/p2p/" + a.peerId());

    final Host plain = host();
    assertThatThrownBy(() -> plain.dial(circuit).join()).hasMessageContaining("no relay client is attached");

    final Host b = host();
    RelayClient.attach(b, WAIT);
    final io.tensorlink.p2p.host.Connection c = b.dial(circuit).orTimeout(10, TimeUnit.SECONDS).join();
    assertThat(c.remotePeer()).isEqualTo(a.peerId());
    assertThat(c.remoteAddress().isRelayed()).isTrue();
    assertThat(b.connection(relay.peerId())).as("the relay was dialled from the circuit address").isPresent();
    final PeerId stranger = host().peerId();
    assertThatThrownBy(() -> b.dial(Multiaddr.parse("/p2p-circuit/p2p/" + stranger)).join())
        .hasMessageContaining("is not <relay>/p2p/<relay id>/p2p-circuit/p2p/<target id>");
  }

  @Test
  void aKeptReservationOutlivesItsTerm() throws Exception {
    final Host relay = host();
    final Host a = host();
    final Host b = host();
    final RelayService service = RelayService.serve(relay, new RelayConfig(Duration.ofSeconds(2), 8, 8, 8, Duration.ofMinutes(1), 1 << 20, Duration.ofSeconds(5)));
    try (RelayClient ra = RelayClient.attach(a, WAIT)) {
      echo(ra, new LinkedBlockingQueue<>());
      connect(a, relay);
      final Reservation first = ra.keepReserved(relay.peerId()).orTimeout(10, TimeUnit.SECONDS).join();
      connect(b, relay);
      Conditions.waitUntil(() -> ra.reservation(relay.peerId()).orElseThrow().expireUnixSeconds() > first.expireUnixSeconds());
      while (Instant.now().getEpochSecond() <= first.expireUnixSeconds()) {
        Thread.sleep(100); // past the first term: only a renewal keeps A reachable
      }
      final RelayedStream circuit = RelayClient.attach(b, WAIT).connect(relay.peerId(), a.peerId()).orTimeout(10, TimeUnit.SECONDS).join();
      circuit.stream().reset();
      assertThat(service.reservationCount()).isEqualTo(1);
    }
  }
}
