package io.tensorlink.p2p.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.tensorlink.p2p.transport.Hosts;
import io.tensorlink.p2p.transport.LogCapture;
import io.tensorlink.p2p.util.Uvarint;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * 24 real hosts on loopback TCP running the DHT with a small k (6), so that lookups have to walk
 * several hops instead of asking one node that knows everybody. Every node bootstraps from node 0
 * only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KadNetworkTest {
  private static final int NODES = 24;
  private static final KadConfig CONFIG =
      new KadConfig(KadConfig.DEFAULT_PROTOCOL, 6, 3, Duration.ofSeconds(5), 2, Duration.ZERO, Map.of("tl", new VersionedValidator()));

  private final List<Host> hosts = new ArrayList<>();
  private final List<KadDht> dhts = new ArrayList<>();

  @BeforeAll
  void start() {
    for (int i = 0; i < NODES; i++) {
      final Host host = Hosts.create(HostConfig.loopback().toBuilder().eventLoopThreads(1).build());
      host.start().orTimeout(10, TimeUnit.SECONDS).join();
      hosts.add(host);
      dhts.add(KadDht.attach(host, CONFIG));
    }
    final Multiaddr seed = address(0);
    for (int i = 1; i < NODES; i++) {
      dhts.get(i).bootstrap(List.of(seed)).orTimeout(30, TimeUnit.SECONDS).join();
    }
  }

  @AfterAll
  void stop() {
    dhts.forEach(KadDht::close);
    hosts.forEach(Host::close);
  }

  private Multiaddr address(final int i) {
    return hosts.get(i).listenAddresses().get(0).withPeerId(hosts.get(i).peerId());
  }

  @Test
  void everyNodeFindsPeersItWasNotConnectedTo() {
    int strangers = 0;
    for (int i = 0; i < NODES; i++) {
      for (final int offset : new int[] {7, 13}) {
        final int j = (i + offset) % NODES;
        final PeerId target = hosts.get(j).peerId();
        if (hosts.get(i).connection(target).isEmpty()) {
          strangers++;
        }
        final Optional<List<Multiaddr>> found = dhts.get(i).findPeer(target).orTimeout(30, TimeUnit.SECONDS).join();
        assertThat(found).as("node %d finds node %d", i, j).isPresent();
        assertThat(found.get()).contains(hosts.get(j).listenAddresses().get(0));
      }
    }
    assertThat(strangers).as("lookups that had to route to a peer not connected to the searcher").isPositive();
  }

  @Test
  void aNodeThatNobodyKnowsIsNotFound() {
    final PeerId ghost = PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
    assertThat(dhts.get(5).findPeer(ghost).orTimeout(30, TimeUnit.SECONDS).join()).isEmpty();
  }

  @Test
  void providersAreFoundFromTheOtherSideOfTheNetwork() {
    final byte[] chunk = KadDht.contentKey("dataset chunk 17".getBytes(StandardCharsets.UTF_8));
    assertThat(dhts.get(3).provide(chunk).orTimeout(30, TimeUnit.SECONDS).join()).isPositive();
    assertThat(dhts.get(9).provide(chunk).orTimeout(30, TimeUnit.SECONDS).join()).isPositive();
    for (final int searcher : new int[] {19, 22, 1}) {
      final List<KadPeer> providers = dhts.get(searcher).findProviders(chunk, 2).orTimeout(30, TimeUnit.SECONDS).join();
      assertThat(providers).extracting(KadPeer::id).containsExactlyInAnyOrder(hosts.get(3).peerId(), hosts.get(9).peerId());
      assertThat(providers).allSatisfy(p -> assertThat(p.addresses()).isNotEmpty());
    }
    final byte[] nobody = KadDht.contentKey("never provided".getBytes(StandardCharsets.UTF_8));
    assertThat(dhts.get(4).findProviders(nobody, 1).orTimeout(30, TimeUnit.SECONDS).join()).isEmpty();
  }

  @Test
  void valuesAreStoredValidatedAndTheBestVersionWins() {
    final byte[] key = "/tl/model-spec".getBytes(StandardCharsets.UTF_8);
    assertThat(dhts.get(5).putValue(key, "v1:first".getBytes(StandardCharsets.UTF_8)).orTimeout(30, TimeUnit.SECONDS).join())
        .isPositive();
    assertThat(dhts.get(11).putValue(key, "v2:second".getBytes(StandardCharsets.UTF_8)).orTimeout(30, TimeUnit.SECONDS).join())
        .isPositive();
    for (final int reader : new int[] {20, 2, 16}) {
      final Optional<byte[]> value = dhts.get(reader).getValue(key).orTimeout(30, TimeUnit.SECONDS).join();
      assertThat(value).map(v -> new String(v, StandardCharsets.UTF_8)).contains("v2:second");
    }
    final PeerId peer = hosts.get(7).peerId();
    final byte[] pk = PublicKeyValidator.keyFor(peer);
    dhts.get(7).putValue(pk, peer.publicKey().orElseThrow().marshal()).orTimeout(30, TimeUnit.SECONDS).join();
    assertThat(dhts.get(18).getValue(pk).orTimeout(30, TimeUnit.SECONDS).join()).isPresent();
    assertThatThrownBy(() -> dhts.get(5).putValue(key, "no version".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("not v<version>");
    assertThatThrownBy(() -> dhts.get(5).putValue("/other/x".getBytes(StandardCharsets.UTF_8), new byte[] {1}))
        .hasMessageContaining("no validator for record namespace 'other'");
  }

  @Test
  void malformedAndInvalidRequestsResetTheStreamWithAReasonAndTheNodeKeepsServing() throws Exception {
    final Host attacker = hosts.get(1);
    final PeerId victim = hosts.get(2).peerId();
    attacker.dial(address(2)).orTimeout(10, TimeUnit.SECONDS).join();
    try (LogCapture log = new LogCapture()) {
      assertResetWith(attacker, victim, Uvarint.encode(KadCodec.MAX_MESSAGE + 1L), log, "exceeds the limit of 65536");
      assertResetWith(attacker, victim, framed(new byte[] {8, 9}), log, "message type 9 is unknown");
      final PeerId other = hosts.get(3).peerId();
      final KadMessage forged =
          new KadMessage(
              KadMessage.Type.PUT_VALUE,
              PublicKeyValidator.keyFor(other),
              Optional.of(new KadRecord(PublicKeyValidator.keyFor(other), victim.publicKey().orElseThrow().marshal(), "")),
              List.of(),
              List.of());
      assertResetWith(attacker, victim, framed(KadCodec.encode(forged)), log, "is not the public key of " + other);
      final KadMessage noRecord = KadMessage.request(KadMessage.Type.PUT_VALUE, "/tl/x".getBytes(StandardCharsets.UTF_8));
      assertResetWith(attacker, victim, framed(KadCodec.encode(noRecord)), log, "PUT_VALUE without a record");
      assertResetWith(
          attacker, victim, framed(KadCodec.encode(KadMessage.request(KadMessage.Type.FIND_NODE, new byte[0]))), log, "request without a key");
    }
    final KadMessage answer =
        new KadRpc(attacker, KadConfig.DEFAULT_PROTOCOL, Duration.ofSeconds(5), new AddressBook())
            .ask(victim, KadMessage.request(KadMessage.Type.FIND_NODE, victim.bytes()))
            .orTimeout(10, TimeUnit.SECONDS)
            .join();
    assertThat(answer.closerPeers()).isNotEmpty();
  }

  private static byte[] framed(final byte[] body) {
    final byte[] prefix = Uvarint.encode(body.length);
    final byte[] out = java.util.Arrays.copyOf(prefix, prefix.length + body.length);
    System.arraycopy(body, 0, out, prefix.length, body.length);
    return out;
  }

  private static void assertResetWith(
      final Host from, final PeerId to, final byte[] bytes, final LogCapture log, final String reason) throws InterruptedException {
    final Stream s = from.newStream(to, KadConfig.DEFAULT_PROTOCOL).orTimeout(10, TimeUnit.SECONDS).join();
    s.setListener((st, data) -> {});
    s.writeAndFlush(Unpooled.wrappedBuffer(bytes));
    assertThat(s.closeFuture().orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(StreamCloseReason.RESET_REMOTE);
    Conditions.waitUntil(() -> log.warnings().stream().anyMatch(w -> w.contains(reason)));
  }

  @Test
  void aClientModeNodeLooksUpButNobodyRoutesToIt() throws InterruptedException {
    final Host host = Hosts.create(HostConfig.loopback().toBuilder().eventLoopThreads(1).build());
    host.start().orTimeout(10, TimeUnit.SECONDS).join();
    try (KadDht client = KadDht.attach(host, CONFIG)) {
      client.setMode(KadDht.Mode.CLIENT);
      assertThat(host.protocols()).doesNotContain(KadConfig.DEFAULT_PROTOCOL);
      client.bootstrap(List.of(address(0))).orTimeout(30, TimeUnit.SECONDS).join();
      final Optional<List<Multiaddr>> found = client.findPeer(hosts.get(17).peerId()).orTimeout(30, TimeUnit.SECONDS).join();
      assertThat(found).hasValueSatisfying(a -> assertThat(a).contains(hosts.get(17).listenAddresses().get(0)));
      // Every node the lookups connected to has identified the client (and seen no kad protocol).
      Conditions.waitUntil(() -> host.connections().stream().allMatch(c -> hosts.stream()
          .filter(h -> h.peerId().equals(c.remotePeer()))
          .allMatch(h -> h.identifyInfo(host.peerId()).isPresent())));
      assertThat(host.connections()).hasSizeGreaterThan(1);
      assertThat(dhts).noneMatch(d -> d.routingTable().contains(host.peerId()));
    } finally {
      host.close();
    }
  }
}
