package io.tensorlink.besu;

import static io.tensorlink.besu.Fixtures.ANCHOR;
import static io.tensorlink.besu.Fixtures.KEYS;
import static io.tensorlink.besu.Fixtures.STAKE;
import static io.tensorlink.besu.Fixtures.STAKE_MANAGER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tensorlink.besu.anchor.ChainLog;
import io.tensorlink.besu.anchor.Head;
import io.tensorlink.chain.pol.PoLHeader;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import io.tensorlink.chain.node.NodeConfig;
import io.tensorlink.chain.node.NodeIdentity;
import io.tensorlink.chain.node.Role;
import io.tensorlink.chain.node.StandaloneNode;
import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarFile;
import org.hyperledger.besu.datatypes.Transaction;
import org.hyperledger.besu.plugin.BesuPlugin;
import org.hyperledger.besu.plugin.data.TransactionSelectionResult;
import org.hyperledger.besu.plugin.services.RpcEndpointService;
import org.hyperledger.besu.plugin.services.exception.PluginRpcEndpointException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * Loads the BUILT plugin jar the way Besu does (ServiceLoader, a fresh class loader whose parent
 * holds only the plugin API and what Besu ships to plugins) and drives it through its lifecycle
 * with STAND-INS for Besu's services ({@link StandInBesu}); no real Besu runs on this machine.
 */
class PluginJarIT {
  private static Path jar;
  private final List<URLClassLoader> loaders = new ArrayList<>();
  @TempDir Path tmp;

  @BeforeAll
  static void builtJar() {
    jar = ApiOnlyClassLoader.builtJar();
    assumeTrue(jar != null, "SKIPPED: the plugin jar is not built (run through `./mvnw -pl besu-plugin -am verify`)");
  }

  @AfterEach
  void closeLoaders() throws IOException {
    for (URLClassLoader l : loaders) {
      l.close();
    }
  }

  @Test
  void besuFindsExactlyOnePluginInTheJarAndItsLibrariesAreRelocated() throws Exception {
    final BesuPlugin plugin = load();
    assertThat(plugin.getName()).isEqualTo("TensorLink");
    assertThat(plugin.getVersion()).isEqualTo("0.1.0-SNAPSHOT");
    final ClassLoader own = plugin.getClass().getClassLoader();
    assertThat(own).isSameAs(loaders.get(0));
    assertThat(own.loadClass("io.tensorlink.besu.shaded.web3j.crypto.Credentials")).isNotNull();
    assertThatThrownBy(() -> own.loadClass("org.web3j.crypto.Credentials")).isInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> own.loadClass("com.fasterxml.jackson.databind.ObjectMapper")).isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void theJarHoldsNoBesuApiClassAndNoUnrelocatedLibrary() throws IOException {
    final List<String> classes = new ArrayList<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      file.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).forEach(classes::add);
    }
    assertThat(classes).isNotEmpty().contains("io/tensorlink/besu/TensorLinkPlugin.class");
    assertThat(classes).noneMatch(n -> n.startsWith("org/hyperledger/besu/"));
    // Every class is ours or relocated under our prefix: nothing can shadow or clash with what
    // Besu ships (tuweni, Jackson, BouncyCastle, Netty, Vert.x, picocli, SLF4J, Guava, OkHttp, Kotlin...).
    assertThat(classes).allMatch(n -> n.startsWith("io/tensorlink/"), "class in io/tensorlink/");
    assertThat(classes).anyMatch(n -> n.startsWith("io/tensorlink/besu/shaded/bouncycastle/"));
    try (JarFile file = new JarFile(jar.toFile())) {
      assertThat(new String(file.getInputStream(file.getEntry("META-INF/services/org.hyperledger.besu.plugin.BesuPlugin")).readAllBytes()).trim())
          .isEqualTo("io.tensorlink.besu.TensorLinkPlugin");
    }
  }

  @Test
  void registerStartServeFollowEventsStop() throws Exception {
    final BesuPlugin plugin = load();
    final StandInBesu besu = new StandInBesu();
    plugin.register(besu);
    assertThat(besu.rpc.methods()).containsExactly("tl_nodeInfo", "tl_jobStatus", "tl_polBlock", "tl_peers", "tl_verifyRecord",
        "tl_jobRecords");
    assertThat(rpcError(() -> besu.rpc.call("tl_nodeInfo"))).isEqualTo("-32002 TensorLink plugin is not started");

    final Credentials account = KEYS.get(5);
    besu.cli.parse(options(tmp.resolve("tl"), "--plugin-tensorlink-keystore=" + keystore(account),
        "--plugin-tensorlink-password-file=" + passwordFile()));
    plugin.beforeExternalServices();
    assertThat(besu.rules.registered()).hasSize(1);
    plugin.start();
    assertThat(besu.chain.listeners()).isEqualTo(1);

    @SuppressWarnings("unchecked")
    final Map<String, Object> info = (Map<String, Object>) besu.rpc.call("tl_nodeInfo");
    assertThat(info).containsEntry("host", "besu-plugin").containsEntry("account", account.getAddress())
        .containsEntry("chainId", "0x1e15").containsEntry("roles", List.of("observer"))
        .containsEntry("contracts", Map.of("PoLAnchor", ANCHOR, "StakeManager", STAKE_MANAGER));

    // Chain events: four validators join, then block 0 of job 1 is anchored.
    final PoLHeader first = Fixtures.header(0, Head.ZERO);
    besu.chain.importBlock(KEYS.subList(0, 4).stream().map(k -> Fixtures.joined(k, STAKE, 1)).toList());
    besu.chain.importBlock(List.of(Fixtures.anchored(first, KEYS.subList(0, 3), 2)));
    assertThat(((Map<?, ?>) besu.rpc.call("tl_nodeInfo")).get("headBlock")).isEqualTo("0x2");
    assertThat(besu.rpc.call("tl_jobStatus", "0x1")).isEqualTo(Map.of("jobId", "0x1", "state", "Unknown", "anchoredBlocks", "0x1",
        "nextStep", "0xa", "lastBlockHash", Fixtures.hash(first)));
    assertThat(besu.rpc.call("tl_jobStatus", "2")).isNull();
    final Map<?, ?> block = (Map<?, ?>) besu.rpc.call("tl_polBlock", 1, "0x0");
    assertThat(block.get("blockHash")).isEqualTo(Fixtures.hash(first));
    assertThat(block.get("signers")).isEqualTo(KEYS.subList(0, 3).stream().map(c -> c.getAddress().toLowerCase()).sorted().toList());
    assertThat(block.get("anchoredIn")).isEqualTo("0x2");
    assertThat(besu.rpc.call("tl_polBlock", "0x1", "0x1")).isNull();
    assertThat(besu.rpc.call("tl_peers")).isEqualTo(List.of());
    final Map<?, ?> verdict = (Map<?, ?>) besu.rpc.call("tl_verifyRecord", "0x1", "0x0", "0x0", "0x0");
    assertThat(verdict.get("status")).isEqualTo("unknown");
    assertThat(verdict.get("reason")).isEqualTo("this node does not run the validator role");
    assertThat(rpcError(() -> besu.rpc.call("tl_jobStatus", "one"))).startsWith("-32602 jobId: expected a quantity");
    assertThat(rpcError(() -> besu.rpc.call("tl_polBlock", "0x1"))).startsWith("-32602 tl_polBlock takes 2 parameter(s) [jobId, index], got 1");

    // The rule now sees the anchored head and the validator set; the selector passes what this node does not reject.
    final Transaction next = StandInBesu.tx(ANCHOR, Fixtures.submit(Fixtures.header(1, Fixtures.hash(first)), KEYS.subList(1, 4)));
    assertThat(besu.rules.validate(next)).isEmpty();
    assertThat(besu.selection.preProcess(next)).isSameAs(TransactionSelectionResult.SELECTED);
    assertThat(besu.rules.validate(StandInBesu.tx(ANCHOR, Fixtures.submit(first, KEYS.subList(0, 3)))))
        .hasValueSatisfying(r -> assertThat(r).contains("chain: job 1 expects block index 1, header has 0"));

    plugin.stop();
    assertThat(besu.chain.listeners()).isZero();
    assertThat(rpcError(() -> besu.rpc.call("tl_nodeInfo"))).isEqualTo("-32002 TensorLink plugin is not started");
    // The data directory is free again: a second node can take it.
    final BesuPlugin again = load();
    final StandInBesu besu2 = new StandInBesu();
    again.register(besu2);
    besu2.cli.parse(options(tmp.resolve("tl")));
    again.beforeExternalServices();
    again.start();
    again.stop();
  }

  @Test
  void badOptionsFailBeforeStartNamingTheOption() throws Exception {
    final Path dir = tmp.resolve("tl");
    assertThat(optionError()).startsWith("--plugin-tensorlink-data-dir: required");
    assertThat(optionError("--plugin-tensorlink-data-dir=" + dir)).startsWith("--plugin-tensorlink-deployment-file: required");
    assertThat(optionError(options(dir, "--plugin-tensorlink-p2p-port=70000"))).startsWith("--plugin-tensorlink-p2p-port: must be 0..65535");
    assertThat(optionError(options(dir, "--plugin-tensorlink-roles=miner"))).startsWith("--plugin-tensorlink-roles: unknown role 'miner'");
    assertThat(optionError(options(dir, "--plugin-tensorlink-roles=validator"))).startsWith("--plugin-tensorlink-keystore: required for the validator role");
    assertThat(optionError(options(dir, "--plugin-tensorlink-roles=validator", "--plugin-tensorlink-keystore=" + keystore(KEYS.get(5)),
        "--plugin-tensorlink-password-file=" + passwordFile())))
        .startsWith("--plugin-tensorlink-deployment-file: required for the validator role");
    assertThat(optionError(options(dir, "--plugin-tensorlink-p2p-host=localhost"))).startsWith("--plugin-tensorlink-p2p-host: expected an IPv4 address");
    assertThat(optionError(options(dir, "--plugin-tensorlink-rpc-url=ws://127.0.0.1:8546"))).startsWith("--plugin-tensorlink-rpc-url: expected http(s)://");
    assertThat(optionError(options(dir, "--plugin-tensorlink-models-dir=" + passwordFile()))).startsWith("--plugin-tensorlink-models-dir: ")
        .contains("is not a directory");
    assertThat(optionError(options(dir, "--plugin-tensorlink-bootnodes=localhost:30400")))
        .startsWith("--plugin-tensorlink-bootnodes: 'localhost:30400' is not a");
    assertThat(optionError("--plugin-tensorlink-data-dir=" + dir, "--plugin-tensorlink-pol-anchor=0x1234",
        "--plugin-tensorlink-stake-manager=" + STAKE_MANAGER, "--plugin-tensorlink-chain-id=7701"))
        .startsWith("--plugin-tensorlink-pol-anchor: address: expected 0x and 40 hex digits");
    assertThat(optionError("--plugin-tensorlink-data-dir=" + dir, "--plugin-tensorlink-deployment-file=" + tmp.resolve("missing.json")))
        .startsWith("--plugin-tensorlink-deployment-file: ").contains("is not a readable file");
    assertThat(optionError(options(dir, "--plugin-tensorlink-password-file=" + passwordFile())))
        .startsWith("--plugin-tensorlink-keystore: --plugin-tensorlink-keystore and --plugin-tensorlink-password-file go together");
  }

  @Test
  void aBesuWithoutAServiceTheJarNeedsIsToldWhichOne() throws Exception {
    final BesuPlugin plugin = load();
    assertThatThrownBy(() -> plugin.register(new StandInBesu().without(RpcEndpointService.class)))
        .hasMessage("TensorLink plugin needs Besu's RpcEndpointService, which this Besu does not offer");
  }

  @Test
  void twoPluginInstancesGiveTheSameVerdictsOnTheSameChainAlsoAfterARestart() throws Exception {
    final PoLHeader first = Fixtures.header(0, Head.ZERO);
    final List<List<ChainLog>> history = List.of(
        KEYS.subList(0, 4).stream().map(k -> Fixtures.joined(k, STAKE, 1)).toList(),
        List.of(),
        List.of(Fixtures.anchored(first, KEYS.subList(0, 3), 3)));
    final List<Transaction> txs = candidates(Fixtures.hash(first));
    final List<List<Optional<String>>> verdicts = new ArrayList<>();
    // Node A runs from genesis and sees every block as an event.
    final StandInBesu a = new StandInBesu();
    final BesuPlugin pluginA = started(a, tmp.resolve("a"));
    history.forEach(a.chain::importBlock);
    verdicts.add(txs.stream().map(a.rules::validate).toList());
    // Node B's plugin starts only after the chain already holds those blocks (a restart, or the
    // plugin added later): it reads them through BlockchainService and must agree.
    final StandInBesu b = new StandInBesu();
    history.forEach(b.chain::importBlock);
    final BesuPlugin pluginB = started(b, tmp.resolve("b"));
    verdicts.add(txs.stream().map(b.rules::validate).toList());
    // Both then import the same new block (an empty one) as an event.
    a.chain.importBlock(List.of());
    b.chain.importBlock(List.of());
    assertThat(((Map<?, ?>) a.rpc.call("tl_nodeInfo")).get("headBlock")).isEqualTo("0x4");
    // The same chain view; each node has its own libp2p identity.
    assertThat(withoutPeerId(b.rpc.call("tl_nodeInfo"))).isEqualTo(withoutPeerId(a.rpc.call("tl_nodeInfo")));
    assertThat(peerId(b)).isNotEqualTo(peerId(a));
    assertThat(b.rpc.call("tl_polBlock", "0x1", "0x0")).isEqualTo(a.rpc.call("tl_polBlock", "0x1", "0x0"));
    pluginA.stop();
    pluginB.stop();
    assertThat(verdicts.get(0)).isEqualTo(verdicts.get(1));
    // Valid, below-2/3 (proposer-side only) and the two untouched pass; wrong chain, outsiders, garbage fail.
    assertThat(verdicts.get(0)).filteredOn(Optional::isEmpty).hasSize(4);
    assertThat(verdicts.get(0)).filteredOn(Optional::isPresent).hasSize(3);
  }

  @Test
  void pluginsFindEachOtherOverLoopbackLibp2pAndKeepTheirIdentityAcrossARestart() throws Exception {
    final int portA = freePort();
    final StandInBesu a = new StandInBesu();
    final BesuPlugin pluginA = started(a, tmp.resolve("a"), "--plugin-tensorlink-p2p-port=" + portA);
    final String peerA = peerId(a);
    assertThat(peerA).startsWith("12D3KooW");
    final StandInBesu b = new StandInBesu();
    final BesuPlugin pluginB = started(b, tmp.resolve("b"), "--plugin-tensorlink-bootnodes=/ip4/127.0.0.1/tcp/" + portA + "/p2p/" + peerA);
    final String peerB = peerId(b);
    // B dialled A at start; A sees the inbound connection.
    assertThat(peers(b)).containsExactly(peerA);
    awaitTrue(() -> peers(a).contains(peerB), "A lists B among its libp2p peers");
    final Map<?, ?> seen = (Map<?, ?>) ((List<?>) b.rpc.call("tl_peers")).get(0);
    assertThat((List<?>) seen.get("addresses")).singleElement().asString().startsWith("/ip4/127.0.0.1/tcp/" + portA);

    // A stops: its port closes, so B loses it; restarted on the same data dir it is the same peer.
    pluginA.stop();
    awaitTrue(() -> peers(b).isEmpty(), "B notices A has stopped");
    final StandInBesu again = new StandInBesu();
    final BesuPlugin restarted = started(again, tmp.resolve("a"), "--plugin-tensorlink-p2p-port=" + portA);
    assertThat(peerId(again)).isEqualTo(peerA);
    restarted.stop();
    pluginB.stop();
  }

  @Test
  void theJarAndAStandaloneNodeExchangeSignedNodeBindings() throws Exception {
    final Credentials standaloneAccount = KEYS.get(1);
    final Credentials pluginAccount = KEYS.get(5);
    final NodeConfig standalone = new NodeConfig(tmp.resolve("standalone"), EnumSet.noneOf(Role.class), Keys.generate(KeyType.ED25519),
        Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), List.of(), new InetSocketAddress("127.0.0.1", 0), Optional.empty(),
        Optional.of(new NodeIdentity(standaloneAccount, Fixtures.CHAIN_ID, Fixtures.DOMAIN)), Map.of(), java.time.Duration.ofMillis(500));
    try (StandaloneNode node = StandaloneNode.start(standalone)) {
      final StandInBesu besu = new StandInBesu();
      // The jar's libp2p (relocated Netty and protobuf) dials the standalone node's (unrelocated).
      final BesuPlugin plugin = started(besu, tmp.resolve("plugin"), "--plugin-tensorlink-keystore=" + keystore(pluginAccount),
          "--plugin-tensorlink-password-file=" + passwordFile(), "--plugin-tensorlink-bootnodes=" + node.listenAddresses().get(0));
      try {
        awaitTrue(() -> accounts(besu).contains(standaloneAccount.getAddress().toLowerCase()), "the plugin verifies the standalone node's binding");
        awaitTrue(() -> node.peers().stream().anyMatch(p -> pluginAccount.getAddress().equalsIgnoreCase(p.account())),
            "the standalone node verifies the plugin's binding");
        assertThat(node.peers()).singleElement().satisfies(p -> assertThat(p.peerId()).isEqualTo(peerId(besu)));
      } finally {
        plugin.stop();
      }
    }
  }

  private static List<String> accounts(final StandInBesu besu) {
    return ((List<?>) besu.rpc.call("tl_peers")).stream().map(p -> (String) ((Map<?, ?>) p).get("account"))
        .filter(java.util.Objects::nonNull).map(a -> a.toLowerCase()).toList();
  }

  private static Map<?, ?> withoutPeerId(final Object nodeInfo) {
    final Map<Object, Object> copy = new java.util.HashMap<>((Map<?, ?>) nodeInfo);
    copy.remove("peerId");
    return copy;
  }

  private static String peerId(final StandInBesu besu) {
    return (String) ((Map<?, ?>) besu.rpc.call("tl_nodeInfo")).get("peerId");
  }

  private static List<String> peers(final StandInBesu besu) {
    return ((List<?>) besu.rpc.call("tl_peers")).stream().map(p -> (String) ((Map<?, ?>) p).get("peerId")).toList();
  }

  static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static void awaitTrue(final java.util.function.BooleanSupplier condition, final String what) throws InterruptedException {
    final long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after 60 s waiting until " + what);
      }
      Thread.sleep(100);
    }
  }

  private BesuPlugin started(final StandInBesu besu, final Path dataDir, final String... more) throws IOException {
    final BesuPlugin plugin = load();
    plugin.register(besu);
    besu.cli.parse(options(dataDir, more));
    plugin.beforeExternalServices();
    plugin.start();
    return plugin;
  }

  /** Valid, below-2/3, wrong-chain, outsider, garbage and two untouched transactions. */
  private static List<Transaction> candidates(final String parent) {
    final PoLHeader next = Fixtures.header(1, parent);
    final byte[] garbage = Numeric.hexStringToByteArray(Numeric.toHexString(io.tensorlink.besu.anchor.SubmitCall.SELECTOR) + "00".repeat(40));
    return List.of(
        StandInBesu.tx(ANCHOR, Fixtures.submit(next, KEYS.subList(0, 3))),
        StandInBesu.tx(ANCHOR, Fixtures.submit(next, KEYS.subList(0, 2))),
        StandInBesu.tx(ANCHOR, Fixtures.submit(Fixtures.header(1, Head.ZERO), KEYS.subList(0, 3))),
        StandInBesu.tx(ANCHOR, Fixtures.submit(next, KEYS.subList(3, 6))),
        StandInBesu.tx(ANCHOR, garbage),
        StandInBesu.tx(ANCHOR, Numeric.hexStringToByteArray("0x8da5cb5b")),
        StandInBesu.tx(STAKE_MANAGER, garbage)).stream()
        // Sorted by hash so position means nothing.
        .sorted(java.util.Comparator.comparing(t -> String.valueOf(t.getHash())))
        .toList();
  }

  private String optionError(final String... args) throws Exception {
    final BesuPlugin plugin = load();
    final StandInBesu besu = new StandInBesu();
    plugin.register(besu);
    besu.cli.parse(args);
    try {
      plugin.beforeExternalServices();
    } catch (IllegalArgumentException e) {
      assertThat(e.getClass().getName()).isEqualTo("io.tensorlink.besu.PluginOptionException");
      return e.getMessage();
    }
    throw new AssertionError("options were accepted: " + List.of(args));
  }

  private static String[] options(final Path dataDir, final String... more) {
    final List<String> args = new ArrayList<>(List.of("--plugin-tensorlink-data-dir=" + dataDir,
        "--plugin-tensorlink-pol-anchor=" + ANCHOR, "--plugin-tensorlink-stake-manager=" + STAKE_MANAGER, "--plugin-tensorlink-chain-id=7701"));
    // libp2p on loopback and any free port, unless the test says otherwise: several plugins run at once.
    for (String option : List.of("--plugin-tensorlink-p2p-host=127.0.0.1", "--plugin-tensorlink-p2p-port=0")) {
      if (Arrays.stream(more).noneMatch(m -> m.startsWith(option.substring(0, option.indexOf('=') + 1)))) {
        args.add(option);
      }
    }
    Collections.addAll(args, more);
    return args.toArray(String[]::new);
  }

  private Path keystore(final Credentials account) {
    return Fixtures.keystore(tmp, account);
  }

  private Path passwordFile() throws IOException {
    return Fixtures.passwordFile(tmp);
  }

  private BesuPlugin load() throws IOException {
    final URLClassLoader loader = ApiOnlyClassLoader.forPlugin(jar);
    loaders.add(loader);
    return ApiOnlyClassLoader.loadPlugin(loader);
  }

  private static String rpcError(final Runnable call) {
    try {
      call.run();
    } catch (PluginRpcEndpointException e) {
      return e.getRpcMethodError().getCode() + " " + e.getRpcMethodError().getMessage();
    }
    throw new AssertionError("no JSON-RPC error");
  }

}
