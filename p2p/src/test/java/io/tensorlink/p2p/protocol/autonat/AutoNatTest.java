package io.tensorlink.p2p.protocol.autonat;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.host.Conditions;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.host.StreamCloseReason;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.protocol.autonat.AutoNatMessage.DialResponse;
import io.tensorlink.p2p.protocol.autonat.AutoNatMessage.Status;
import io.tensorlink.p2p.transport.Hosts;
import io.tensorlink.p2p.transport.LogCapture;
import io.tensorlink.p2p.util.Uvarint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** AutoNAT v1 over real TCP on loopback: servers dial clients back at the addresses they claim. */
class AutoNatTest {
  private static final AutoNatConfig CONFIG =
      new AutoNatConfig(2, 30, Duration.ofMinutes(1), 4, Duration.ofSeconds(5), Duration.ofSeconds(20));

  private final List<Host> hosts = new ArrayList<>();
  private Host server;
  private Host client;
  private AutoNatClient autonat;

  @BeforeEach
  void start() {
    server = host();
    client = host();
    server.setStreamHandler(AutoNatServer.PROTOCOL, new AutoNatServer(server, CONFIG));
    connect(client, server);
    autonat = new AutoNatClient(client, CONFIG);
  }

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

  private DialResponse ask(final List<Multiaddr> addresses) {
    return autonat.ask(server.peerId(), addresses).orTimeout(30, TimeUnit.SECONDS).join();
  }

  private static Multiaddr closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return Multiaddr.parse("/ip4/127.0.0.1/tcp/" + s.getLocalPort());
    }
  }

  @Test
  void aNodeReachableAtItsAddressIsToldPublic() {
    final Reachability r =
        autonat.probe(List.of(server.peerId()), client.listenAddresses(), 1).orTimeout(30, TimeUnit.SECONDS).join();
    assertThat(r.status()).isEqualTo(Reachability.Status.PUBLIC);
    assertThat(r.publicAddress()).contains(client.listenAddresses().get(0));
    assertThat(r.dialedBack()).isEqualTo(1);
  }

  @Test
  void aNodeWhoseAdvertisedAddressIsUnreachableIsToldPrivate() throws IOException {
    final Multiaddr unreachable = closedPort();
    final Reachability r = autonat.probe(List.of(server.peerId()), List.of(unreachable), 1).orTimeout(30, TimeUnit.SECONDS).join();
    assertThat(r.status()).isEqualTo(Reachability.Status.PRIVATE);
    assertThat(r.failedToDial()).isEqualTo(1);
    assertThat(r.publicAddress()).isEmpty();
  }

  @Test
  void reachingAnotherPeerAtTheClaimedAddressIsNoConfirmation() {
    final Host bystander = host();
    final DialResponse r = ask(bystander.listenAddresses());
    assertThat(r.status()).isEqualTo(Status.E_DIAL_ERROR);
    assertThat(r.text()).contains("reached " + bystander.peerId() + " instead");
  }

  @Test
  void addressesOnAnotherIpThanObservedAreNeverDialled() {
    final DialResponse r = ask(List.of(Multiaddr.parse("/ip4/10.9.9.9/tcp/4001"), Multiaddr.parse("/dns4/example.com/tcp/1")));
    assertThat(r.status()).isEqualTo(Status.E_DIAL_REFUSED);
    assertThat(r.text()).contains("no TCP address with the observed IP");
    final Reachability verdict =
        autonat.probe(List.of(server.peerId()), List.of(Multiaddr.parse("/ip4/10.9.9.9/tcp/4001")), 1).orTimeout(30, TimeUnit.SECONDS).join();
    assertThat(verdict.status()).as("a refusal proves nothing").isEqualTo(Reachability.Status.UNKNOWN);
  }

  @Test
  void aPeerIsRateLimited() {
    assertThat(ask(client.listenAddresses()).status()).isEqualTo(Status.OK);
    assertThat(ask(client.listenAddresses()).status()).isEqualTo(Status.OK);
    final DialResponse third = ask(client.listenAddresses());
    assertThat(third.status()).isEqualTo(Status.E_DIAL_REFUSED);
    assertThat(third.text()).isEqualTo("rate limited");
  }

  @Test
  void aRequestNamingAnotherPeerIsABadRequest() {
    final PeerId other = PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
    final Stream s = client.newStream(server.peerId(), AutoNatServer.PROTOCOL).orTimeout(10, TimeUnit.SECONDS).join();
    final java.util.concurrent.CompletableFuture<byte[]> answer = new java.util.concurrent.CompletableFuture<>();
    s.setListener(io.tensorlink.p2p.host.DelimitedReader.of("test", 4096, (st, m) -> answer.complete(m)));
    AutoNatServer.write(s, new AutoNatMessage.Dial(other, client.listenAddresses()));
    final DialResponse r = (DialResponse) AutoNatCodec.decode(answer.orTimeout(10, TimeUnit.SECONDS).join());
    assertThat(r.status()).isEqualTo(Status.E_BAD_REQUEST);
    assertThat(r.text()).contains("names " + other);
  }

  @Test
  void malformedRequestsResetTheStreamWithAReason() throws Exception {
    try (LogCapture log = new LogCapture()) {
      assertReset(Uvarint.encode(AutoNatCodec.MAX_MESSAGE + 1L), log, "autonat message of 4097 bytes exceeds the limit of 4096");
      final byte[] response = AutoNatCodec.encode(DialResponse.failed(Status.E_DIAL_ERROR, "x"));
      final byte[] framed = new byte[response.length + 1];
      framed[0] = (byte) response.length;
      System.arraycopy(response, 0, framed, 1, response.length);
      assertReset(framed, log, "autonat server received a DIAL_RESPONSE");
    }
    assertThat(ask(client.listenAddresses()).status()).as("still serving").isEqualTo(Status.OK);
  }

  private void assertReset(final byte[] bytes, final LogCapture log, final String reason) throws InterruptedException {
    final Stream s = client.newStream(server.peerId(), AutoNatServer.PROTOCOL).orTimeout(10, TimeUnit.SECONDS).join();
    s.setListener((st, d) -> {});
    s.writeAndFlush(Unpooled.wrappedBuffer(bytes));
    assertThat(s.closeFuture().orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(StreamCloseReason.RESET_REMOTE);
    Conditions.waitUntil(() -> log.warnings().stream().anyMatch(w -> w.contains(reason)));
  }

  @Test
  void severalServersMustAgreeBeforeAVerdict() throws IOException {
    final Host second = host();
    second.setStreamHandler(AutoNatServer.PROTOCOL, new AutoNatServer(second, CONFIG));
    connect(client, second);
    final Host silent = host(); // connected but no AutoNAT service: inconclusive
    connect(client, silent);
    final List<PeerId> servers = List.of(server.peerId(), second.peerId(), silent.peerId());
    final Reachability pub = autonat.probe(servers, client.listenAddresses(), 2).orTimeout(30, TimeUnit.SECONDS).join();
    assertThat(pub).extracting(Reachability::status, Reachability::dialedBack, Reachability::inconclusive)
        .containsExactly(Reachability.Status.PUBLIC, 2, 1);
    final Reachability unsure = autonat.probe(servers, List.of(closedPort()), 3).orTimeout(30, TimeUnit.SECONDS).join();
    assertThat(unsure).extracting(Reachability::status, Reachability::failedToDial).containsExactly(Reachability.Status.UNKNOWN, 2);
  }
}
