package io.tensorlink.p2p.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.kad.KadConfig;
import io.tensorlink.p2p.kad.KadDht;
import io.tensorlink.p2p.kad.KadPeer;
import io.tensorlink.p2p.kad.VersionedValidator;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.transport.Hosts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A mixed DHT: four Java nodes and two js-libp2p nodes running {@code @libp2p/kad-dht} in server
 * mode on {@code /ipfs/kad/1.0.0}. js A knows only Java node 0, js B only Java node 1; Java nodes
 * bootstrap from node 0. Each side finds the other's peers, provider records and value records.
 */
class JsDhtInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final KadConfig CONFIG =
      KadConfig.defaults().withRefreshInterval(Duration.ZERO).withValidator("tl", new VersionedValidator());

  private final List<Host> hosts = new ArrayList<>();
  private final List<KadDht> dhts = new ArrayList<>();
  private JsPeer jsA;
  private JsPeer jsB;

  @BeforeEach
  void start() {
    final Optional<String> missing = JsPeer.unavailable();
    if (missing.isPresent()) {
      System.out.println("SKIPPED JsDhtInteropTest: " + missing.get());
    }
    Assumptions.assumeTrue(missing.isEmpty(), missing.orElse(""));
    for (int i = 0; i < 4; i++) {
      final Host host = Hosts.create(HostConfig.loopback().toBuilder().eventLoopThreads(1).build());
      host.start().orTimeout(10, TimeUnit.SECONDS).join();
      hosts.add(host);
      dhts.add(KadDht.attach(host, CONFIG));
    }
    for (int i = 1; i < 4; i++) {
      dhts.get(i).bootstrap(List.of(address(0))).orTimeout(30, TimeUnit.SECONDS).join();
    }
    jsA = JsPeer.start("--dht", "--dial=" + address(0));
    jsB = JsPeer.start("--dht", "--dial=" + address(1));
    jsA.await("dialed", e -> true, WAIT);
    jsB.await("dialed", e -> true, WAIT);
    // Java learns that a js peer serves kad from its identify, and puts it in the table.
    waitFor(() -> dhts.get(0).routingTableSize() >= 4 && dhts.get(1).routingTableSize() >= 4);
    // Let the js nodes' self-queries fill their tables from the Java side before asking them anything.
    waitFor(() -> jsTable(jsA) >= 3 && jsTable(jsB) >= 3);
    for (int i = 0; i < 4; i++) {
      dhts.get(i).closestPeers(hosts.get(i).peerId().bytes()).orTimeout(30, TimeUnit.SECONDS).join();
    }
  }

  @AfterEach
  void stop() {
    for (final JsPeer js : new JsPeer[] {jsA, jsB}) {
      if (js != null) {
        js.close();
      }
    }
    dhts.forEach(KadDht::close);
    hosts.forEach(Host::close);
  }

  private Multiaddr address(final int i) {
    return hosts.get(i).listenAddresses().get(0).withPeerId(hosts.get(i).peerId());
  }

  private int jsTableCalls;

  /** The js peer's routing-table size now (the call number tells this answer from earlier ones). */
  private int jsTable(final JsPeer js) {
    final int call = ++jsTableCalls;
    js.send(Map.of("cmd", "dht-table", "call", call));
    return js.await("dht-table", e -> e.path("call").asInt() == call, WAIT).path("size").asInt();
  }

  private static void waitFor(final java.util.function.BooleanSupplier condition) {
    final long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      try {
        Thread.sleep(200);
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void javaFindsAJsPeerAndJsFindsAJavaPeerThroughLookups() {
    // The js nodes' self-queries may have connected them to any Java node; cut those links so the
    // answers have to come from lookups through the others.
    hosts.get(3).connection(jsB.peerId()).ifPresent(c -> c.close().orTimeout(10, TimeUnit.SECONDS).join());
    hosts.get(2).connection(jsA.peerId()).ifPresent(c -> c.close().orTimeout(10, TimeUnit.SECONDS).join());
    final Optional<List<Multiaddr>> found = dhts.get(3).findPeer(jsB.peerId()).orTimeout(60, TimeUnit.SECONDS).join();
    assertThat(found).isPresent();
    assertThat(found.get()).contains(jsB.address().withoutPeerId());

    jsA.send(Map.of("cmd", "dht-find-peer", "peerId", hosts.get(2).peerId().toBase58()));
    final JsonNode peer = jsA.await("dht-peer", e -> true, WAIT);
    assertThat(peer.path("peerId").asText()).isEqualTo(hosts.get(2).peerId().toBase58());
    assertThat(texts(peer.path("addrs"))).contains(hosts.get(2).listenAddresses().get(0).toString());
  }

  @Test
  void providerRecordsCrossBothWays() {
    final byte[] fromJs = KadDht.contentKey("chunk provided by js".getBytes(StandardCharsets.UTF_8));
    jsA.send(Map.of("cmd", "dht-provide", "keyHex", HexFormat.of().formatHex(fromJs)));
    jsA.await("dht-provided", e -> true, WAIT);
    final List<KadPeer> providers = dhts.get(3).findProviders(fromJs, 1).orTimeout(60, TimeUnit.SECONDS).join();
    assertThat(providers).extracting(KadPeer::id).containsExactly(jsA.peerId());
    assertThat(providers.get(0).addresses()).contains(jsA.address().withoutPeerId());

    final byte[] fromJava = KadDht.contentKey("chunk provided by java".getBytes(StandardCharsets.UTF_8));
    assertThat(dhts.get(2).provide(fromJava).orTimeout(60, TimeUnit.SECONDS).join()).isPositive();
    jsB.send(Map.of("cmd", "dht-find-providers", "keyHex", HexFormat.of().formatHex(fromJava), "max", 1));
    final JsonNode found = jsB.await("dht-providers", e -> true, WAIT);
    assertThat(found.path("providers")).hasSize(1);
    assertThat(found.path("providers").get(0).path("peerId").asText()).isEqualTo(hosts.get(2).peerId().toBase58());
  }

  @Test
  void valueRecordsCrossBothWaysAndTheValidatorsAgree() {
    jsA.send(Map.of("cmd", "dht-put", "key", "/tl/from-js", "value", "v1:written by js"));
    jsA.await("dht-put", e -> true, WAIT);
    final Optional<byte[]> value =
        dhts.get(3).getValue("/tl/from-js".getBytes(StandardCharsets.UTF_8)).orTimeout(60, TimeUnit.SECONDS).join();
    assertThat(value).map(v -> new String(v, StandardCharsets.UTF_8)).contains("v1:written by js");

    assertThat(
            dhts.get(2)
                .putValue("/tl/from-java".getBytes(StandardCharsets.UTF_8), "v3:written by java".getBytes(StandardCharsets.UTF_8))
                .orTimeout(60, TimeUnit.SECONDS)
                .join())
        .isPositive();
    jsB.send(Map.of("cmd", "dht-get", "key", "/tl/from-java"));
    assertThat(jsB.await("dht-value", e -> true, WAIT).path("value").asText()).isEqualTo("v3:written by java");
  }

  private static List<String> texts(final JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }
}
