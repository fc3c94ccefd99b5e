package io.tensorlink.cli.node;

import static io.tensorlink.cli.node.NodeProcesses.freePort;
import static io.tensorlink.cli.node.NodeProcesses.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensorlink.chain.devnet.DevnetState;
import io.tensorlink.cli.Launcher;
import io.tensorlink.contracts.devnet.AnvilBinary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery and reachability between separate {@code bin/tl-cli node start} processes on loopback,
 * each with its own data dir and free ports, on a real anvil devnet with the deployed suite: five
 * nodes given only the first node's address find each other through the DHT and AutoNAT finds them
 * public, while a sixth with {@code --dht off} stays with its bootstrap peer; a node that is not reachable reserves a slot on a relay, advertises its circuit address,
 * and a node given only that address reaches it through the relay.
 */
class NodeDiscoveryIT {
  static final ObjectMapper JSON = new ObjectMapper();
  /** Small heaps and C1 only: up to six node JVMs share a loaded two-core machine. */
  static final Map<String, String> ENV = Map.of("TL_JAVA_OPTS", "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
  static final Duration WAIT = Duration.ofSeconds(180);

  @TempDir Path root;
  Path deployments;
  String chainRpc;
  Launcher devnet;
  final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void devnet() throws Exception {
    Assumptions.assumeTrue(AnvilBinary.find(Path.of("")).isPresent() || AnvilBinary.find(Path.of("..")).isPresent(),
        "anvil is not installed (run ./tl setup): skipping the node discovery test");
    final Path dir = Files.createDirectories(root.resolve("devnet"));
    deployments = Files.createDirectories(root.resolve("deployments"));
    devnet = new Launcher(dir);
    ok(devnet.run(Map.of(), "devnet", "up", "--port", Integer.toString(freePort())));
    ok(devnet.run(Map.of(), "contracts", "deploy", "--deployments", deployments.toString()));
    chainRpc = DevnetState.read(dir).orElseThrow().rpcUrl();
  }

  @AfterEach
  void stop() throws Exception {
    for (final Process p : processes) {
      p.destroy();
    }
    for (final Process p : processes) {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    if (devnet != null) {
      devnet.run(Map.of(), "devnet", "down");
    }
  }

  @Test
  void fiveNodesGivenOneAddressFindEachOtherAndAutoNatFindsThemPublic() throws Exception {
    final List<Node> nodes = new ArrayList<>();
    nodes.add(start(1, List.of()));
    final String first = nodes.get(0).address();
    for (int i = 2; i <= 5; i++) {
      nodes.add(start(i, List.of("--bootstrap", first)));
    }
    // Only node 1 was named to anyone: the others meet through DHT lookups and random walks.
    for (final Node n : nodes) {
      final Set<String> others = new HashSet<>();
      nodes.stream().filter(o -> o != n).forEach(o -> others.add(o.peerId()));
      waitFor(() -> n.peerIds().containsAll(others), n, "node " + n.index + " to be connected to the other four");
    }
    for (final Node n : nodes) {
      waitFor(() -> n.status().path("reachability").asText().equals("public"), n,
          "AutoNAT to find node " + n.index + " public");
      assertThat(n.status().path("addresses").toString()).doesNotContain("p2p-circuit");
    }

    // The control: without the DHT a node stays with its bootstrap list while the walks go on around it.
    final Node alone = start(6, List.of("--bootstrap", first, "--dht", "off"));
    waitFor(() -> alone.peerIds().contains(nodes.get(0).peerId()), alone, "node 6 to reach its bootstrap peer");
    Thread.sleep(10_000);
    assertThat(alone.peerIds()).containsExactly(nodes.get(0).peerId());
  }

  @Test
  void aNodeThatIsNotReachableIsReachedThroughItsRelayCircuitAddress() throws Exception {
    final Node relay = start(1, List.of("--relay-service"));
    final Node hidden = start(2, List.of("--bootstrap", relay.address(), "--reachability", "private", "--dht", "off"));
    waitFor(() -> hidden.status().path("addresses").toString().contains("/p2p-circuit/"), hidden,
        "the hidden node to advertise a circuit address");
    final JsonNode status = hidden.status();
    assertThat(status.path("reachability").asText()).isEqualTo("private");
    final String circuit = status.path("addresses").get(0).asText();
    assertThat(circuit).startsWith(relay.address().substring(0, relay.address().indexOf("/p2p/")))
        .contains("/p2p/" + relay.peerId() + "/p2p-circuit/p2p/" + hidden.peerId());

    final Node caller = start(3, List.of("--bootstrap", circuit, "--dht", "off"));
    waitFor(() -> caller.connectionsTo(hidden.peerId()).stream().anyMatch(a -> a.contains("/p2p-circuit")), caller,
        "the caller to reach the hidden node through the relay");
    assertThat(caller.connectionsTo(hidden.peerId())).allMatch(a -> a.contains("/p2p-circuit"));
    waitFor(() -> hidden.connectionsTo(caller.peerId()).stream().anyMatch(a -> a.contains("/p2p-circuit")), hidden,
        "the hidden node to see the caller's relayed connection");
    // The relayed connection carries protocols like a direct one: the caller's binding arrives over gossip.
    waitFor(() -> hidden.peerRecords().anyMatch(
        p -> p.path("peerId").asText().equals(caller.peerId()) && !p.path("account").isNull()), hidden,
        "the caller's binding over the relayed connection");
  }

  private Node start(final int index, final List<String> extra) throws Exception {
    final Path dir = Files.createDirectories(root.resolve("node" + index));
    final Launcher l = new Launcher(dir);
    final List<String> args = new ArrayList<>(List.of("--rpc-url", chainRpc, "node", "start", "--roles", "client",
        "--genesis-account", Integer.toString(index), "--deployments", deployments.toString(), "--p2p-port", "0",
        "--rpc-port", "0", "--dht-walk", "2", "--peers-target", "10"));
    args.addAll(extra);
    final Process p = l.start(ENV, args.toArray(String[]::new));
    processes.add(p);
    final Path runFile = dir.resolve("node").resolve("node.json");
    waitFor(() -> Files.exists(runFile), index, p, "node " + index + "'s run file");
    final JsonNode run = JSON.readTree(runFile.toFile());
    return new Node(index, l, p, run.path("peerId").asText(), run.path("p2pAddresses").get(0).asText());
  }

  /** A running node: its CLI on its data dir, its process, and its peer ID and first listen address from the run file. */
  private record Node(int index, Launcher cli, Process process, String peerId, String address) {

    JsonNode status() throws Exception {
      return JSON.readTree(ok(cli.run(Map.of(), "node", "status", "--json")).out());
    }

    Stream<JsonNode> peerRecords() throws Exception {
      final List<JsonNode> out = new ArrayList<>();
      JSON.readTree(ok(cli.run(Map.of(), "node", "peers", "--json")).out()).forEach(out::add);
      return out.stream();
    }

    Set<String> peerIds() throws Exception {
      final Set<String> ids = new HashSet<>();
      peerRecords().forEach(p -> ids.add(p.path("peerId").asText()));
      return ids;
    }

    /** The remote addresses of this node's connections to {@code peer}. */
    List<String> connectionsTo(final String peer) throws Exception {
      final List<String> out = new ArrayList<>();
      peerRecords().filter(p -> p.path("peerId").asText().equals(peer))
          .forEach(p -> p.path("connections").forEach(a -> out.add(a.asText())));
      return out;
    }
  }

  private static void waitFor(final NodeProcesses.Check check, final Node owner, final String what) throws Exception {
    waitFor(check, owner.index(), owner.process(), what);
  }

  private static void waitFor(final NodeProcesses.Check check, final int index, final Process owner, final String what)
      throws Exception {
    NodeProcesses.waitFor(check, "node " + index, owner, WAIT, Duration.ofSeconds(1), what);
  }
}
