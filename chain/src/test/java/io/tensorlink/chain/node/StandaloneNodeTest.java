package io.tensorlink.chain.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.store.StoreException;
import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/** Two nodes on loopback, each with its own data dir: bindings, tl_* over HTTP, /metrics, locking. */
class StandaloneNodeTest {
  static final PolDomain DOMAIN = PolDomain.of(7701, EthAddress.of("0x5FbDB2315678afecb367f032d93F642f64180aa3"));
  static final Credentials ALICE = Credentials.create("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
  static final Credentials BOB = Credentials.create("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient http = HttpClient.newHttpClient();

  static NodeConfig config(final Path dir, final Set<Role> roles, final Credentials account, final List<Multiaddr> bootstrap) {
    return new NodeConfig(dir, roles, Keys.generate(KeyType.ED25519), Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), bootstrap,
        new InetSocketAddress("127.0.0.1", 0), Optional.of(new InetSocketAddress("127.0.0.1", 0)),
        Optional.ofNullable(account).map(a -> new NodeIdentity(a, 7701, DOMAIN)),
        Map.of("PoLAnchor", DOMAIN.anchor().toString()), Duration.ofMillis(200));
  }

  @Test
  void peersSeeEachOthersCheckedBindingOverJsonRpcAndMetrics(@TempDir final Path a, @TempDir final Path b) throws Exception {
    try (StandaloneNode validator = StandaloneNode.start(config(a, EnumSet.of(Role.VALIDATOR), ALICE, List.of()));
        StandaloneNode worker = StandaloneNode.start(
            config(b, EnumSet.of(Role.WORKER, Role.CLIENT), BOB, validator.listenAddresses()))) {
      waitUntil(() -> rpc(validator, "tl_peers").path("result").size() == 1
          && !rpc(validator, "tl_peers").path("result").get(0).path("account").isNull());
      final JsonNode peer = rpc(validator, "tl_peers").path("result").get(0);
      assertThat(peer.path("peerId").asText()).isEqualTo(worker.host().peerId().toBase58());
      assertThat(peer.path("account").asText()).isEqualToIgnoringCase(BOB.getAddress());
      assertThat(peer.path("roles")).extracting(JsonNode::asText).containsExactly("client", "worker");
      final String listen = worker.listenAddresses().get(0).toString().split("/p2p/")[0];
      assertThat(peer.path("addresses").get(0).asText()).as("its announced listen address").isEqualTo(listen);
      assertThat(peer.path("connections")).as("the connection it opened shows the port it dialed from")
          .singleElement().extracting(JsonNode::asText).isNotEqualTo(listen);

      final JsonNode info = rpc(worker, "tl_nodeInfo").path("result");
      assertThat(info.path("host").asText()).isEqualTo("standalone");
      assertThat(info.path("account").asText()).isEqualToIgnoringCase(BOB.getAddress());
      assertThat(info.path("chainId").asText()).isEqualTo("0x1e15");
      assertThat(info.path("roles")).extracting(JsonNode::asText).containsExactly("client", "worker");

      assertThat(rpc(worker, "tl_jobStatus", "0x1").path("result").isNull()).as("unknown job").isTrue();
      assertThat(rpc(worker, "tl_polBlock", "0x1", "0x0").path("error").path("message").asText()).contains("validator role");

      final String metrics = get("http://127.0.0.1:" + validator.metricsPort().orElseThrow() + "/metrics");
      assertThat(metrics).contains("tl_peers 1.0").containsPattern("tl_gossip_messages_total\\{topic=\"/tl/nodes/1\"} [1-9]");
    }
  }

  @Test
  void aRestartedNodeDialsThePeersItKnewAgainWithoutABootstrapPeer(@TempDir final Path a, @TempDir final Path b)
      throws Exception {
    try (StandaloneNode first = StandaloneNode.start(config(a, EnumSet.of(Role.VALIDATOR), ALICE, List.of()));
        StandaloneNode second = StandaloneNode.start(config(b, EnumSet.of(Role.WORKER), BOB, first.listenAddresses()))) {
      waitUntil(() -> first.peerDirectory().orElseThrow().lookup(second.host().peerId()).isPresent());
      first.close(); // saves the peers it knows in its data dir
      assertThat(a.resolve("known-peers")).content().contains(second.host().peerId().toBase58());
      // everyone's bootstrap peer comes back on a new port, given no bootstrap peer itself
      try (StandaloneNode again = StandaloneNode.start(config(a, EnumSet.of(Role.VALIDATOR), ALICE, List.of()))) {
        waitUntil(() -> again.host().connections().stream().anyMatch(c -> c.remotePeer().equals(second.host().peerId())));
      }
    }
  }

  @Test
  void secondNodeOnALockedDataDirFailsAndReleasesWhatItStarted(@TempDir final Path dir) {
    try (StandaloneNode first = StandaloneNode.start(config(dir, Set.of(), null, List.of()))) {
      assertThatThrownBy(() -> StandaloneNode.start(config(dir, Set.of(), null, List.of())))
          .isInstanceOf(StoreException.class).hasMessageContaining("lock");
      assertThat(first.host().connections()).isEmpty();
    }
    // The directory is usable again once the first node closed.
    try (StandaloneNode again = StandaloneNode.start(config(dir, Set.of(), null, List.of()))) {
      assertThat(again.nodeInfo().account()).isNull();
    }
  }

  @Test
  void signingRolesNeedAnAccount(@TempDir final Path dir) {
    assertThatThrownBy(() -> config(dir, EnumSet.of(Role.VALIDATOR), null, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keystore");
    assertThatThrownBy(() -> Role.parseList("worker,miner")).hasMessageContaining("'miner'");
  }

  private JsonNode rpc(final StandaloneNode node, final String method, final Object... params) {
    try {
      final String body = JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", 1, "method", method, "params", List.of(params)));
      final InetSocketAddress at = node.rpcAddress();
      final HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at.getPort() + "/"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(r.body());
    } catch (Exception e) {
      throw new AssertionError(method + " failed", e);
    }
  }

  private String get(final String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private static void waitUntil(final BooleanSupplier condition) throws InterruptedException {
    final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 20 s");
      }
      Thread.sleep(50);
    }
  }
}
