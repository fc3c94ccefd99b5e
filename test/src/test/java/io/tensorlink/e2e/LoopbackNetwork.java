package io.tensorlink.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.deploy.DeploymentStore;
import io.tensorlink.contracts.deploy.MnemonicAccounts;
import io.tensorlink.contracts.devnet.AnvilBinary;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * A real network on loopback for the end-to-end tests: a real anvil started by {@code tl-cli devnet
 * up} (one block a second, a 60 s challenge window: the escrow's minimum), the suite deployed, and
 * {@code bin/tl-cli node start} processes, each with its own data dir and free ports (port 0: the node
 * picks them and writes them to its {@code node.json}). Nodes can be killed with SIGKILL (what
 * {@code kill -9} sends) and restarted on the same data dir. {@link #close} stops every node and
 * the devnet, whatever happened.
 */
final class LoopbackNetwork implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final BigDecimal VALIDATOR_STAKE = new BigDecimal("39900");
  static final BigDecimal WORKER_STAKE = new BigDecimal("1000");
  private static final Duration START_WAIT = Duration.ofMinutes(3);

  /** One node process: its name (and data dir), genesis account, roles and extra options. */
  static final class Node {
    final String name;
    final String account;
    final List<String> args;
    Process process;
    JsonNode info;

    private Node(final String name, final String account, final List<String> args) {
      this.name = name;
      this.account = account;
      this.args = args;
    }

    String metricsUrl() {
      return info.path("metricsUrl").asText();
    }

    String firstAddress() {
      return info.path("p2pAddresses").get(0).asText();
    }
  }

  private final Path dir;
  private final Path root = Repo.root();
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private String rpcUrl;

  private LoopbackNetwork(final Path dir) {
    this.dir = dir;
  }

  /** Skips the calling test (saying why) when anvil or the CLI jar is missing. */
  static void assumeRunnable() {
    Assumptions.assumeTrue(AnvilBinary.find(Repo.root()).isPresent(), "anvil is not installed (run ./tl setup): skipping");
    Assumptions.assumeTrue(Files.exists(Repo.root().resolve("cli/target/tl-cli.jar")),
        "cli/target/tl-cli.jar is not built: skipping (build with ./mvnw -pl test -am verify)");
  }

  /**
   * Anvil up, the suite deployed, genesis accounts 1 and 2 staked and registered as validators,
   * {@code workers} staked as workers, and an hour passed (stakes are active).
   */
  static LoopbackNetwork start(final Path dir, final List<String> workers) throws Exception {
    return start(dir, List.of("1", "2"), workers, 60);
  }

  /**
   * Anvil up (one-second blocks, the given challenge window), the suite deployed, {@code validators}
   * staked ({@link #VALIDATOR_STAKE} TL each) and registered, {@code workers} staked ({@link
   * #WORKER_STAKE} TL each), and an hour passed (stakes are active).
   */
  static LoopbackNetwork start(final Path dir, final List<String> validators, final List<String> workers,
      final int challengeWindowSeconds) throws Exception {
    final LoopbackNetwork net = new LoopbackNetwork(dir);
    try {
      final Path genesis = net.fastGenesis(challengeWindowSeconds);
      ok(net.cli("chain", "devnet", "up", "--port", Integer.toString(freePort()), "--genesis", genesis.toString()));
      net.rpcUrl = JSON.readTree(ok(net.cli("chain", "devnet", "status", "--json"))).path("rpcUrl").asText();
      ok(net.cli("chain", "contracts", "deploy", "--genesis-account", "0", "--genesis", genesis.toString(),
          "--deployments", net.deployments()));
      for (final String v : validators) {
        ok(net.cli("chain", "stake", "add", VALIDATOR_STAKE.toPlainString(), "--genesis-account", v, "--deployments",
            net.deployments(), "--yes"));
        ok(net.cli("chain", "validator", "register", "--genesis-account", v, "--deployments", net.deployments()));
      }
      for (final String w : workers) {
        ok(net.cli("chain", "stake", "add", WORKER_STAKE.toPlainString(), "--genesis-account", w, "--deployments",
            net.deployments(), "--yes"));
      }
      ok(net.cli("chain", "devnet", "advance", "3600"));
      return net;
    } catch (Exception | AssertionError e) {
      try {
        net.close();
      } catch (Exception | AssertionError c) {
        e.addSuppressed(c);
      }
      throw e;
    }
  }

  private Path fastGenesis(final int challengeWindowSeconds) throws IOException {
    final ObjectNode g = (ObjectNode) JSON.readTree(root.resolve("genesis/devnet.json").toFile());
    g.put("blockTimeSeconds", 1);
    ((ObjectNode) g.path("escrow")).put("challengeWindowSeconds", challengeWindowSeconds);
    final Path file = dir.resolve("genesis.json");
    JSON.writeValue(file.toFile(), g);
    return file;
  }

  String deployments() {
    return dir.resolve("deployments").toString();
  }

  Path dataDir(final String name) {
    return dir.resolve(name);
  }

  /** A read-only view of the deployed suite (from an unfunded key: it only calls). */
  ContractSuite suite() throws IOException {
    final Web3j web3j = Web3j.build(new HttpService(rpcUrl));
    final long chainId = web3j.ethChainId().send().getChainId().longValueExact();
    return ContractSuite.connect(web3j, Credentials.create("0x01"),
        new DeploymentStore(Path.of(deployments())).require(chainId));
  }

  /** Genesis account {@code index} of the devnet's public test mnemonic. */
  Credentials account(final int index) throws IOException {
    final String mnemonic = JSON.readTree(root.resolve("genesis/devnet.json").toFile()).path("mnemonic").asText();
    return new MnemonicAccounts(mnemonic).account(index);
  }

  Web3j web3j() {
    return Web3j.build(new HttpService(rpcUrl));
  }

  /** Starts a node on data dir {@code name} with genesis account {@code account}, and waits until it is up. */
  Node start(final String name, final String account, final String roles, final String... extra) throws Exception {
    final List<String> args = new ArrayList<>(List.of("node", "start", "--roles", roles, "--genesis-account", account,
        "--deployments", deployments(), "--p2p-port", "0", "--rpc-port", "0", "--metrics-port", "0"));
    args.addAll(List.of(extra));
    final Node node = new Node(name, account, List.copyOf(args));
    nodes.put(name, node);
    launch(node);
    return node;
  }

  private void launch(final Node node) throws Exception {
    final Path run = dir.resolve(node.name).resolve("node").resolve("node.json");
    Files.deleteIfExists(run); // a killed node leaves its run file behind
    final Path log = dir.resolve(node.name + ".out");
    final Process p = command(node.name, node.args)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectErrorStream(true).start();
    node.process = p;
    waitFor(() -> {
      if (!p.isAlive()) {
        throw new IllegalStateException("node " + node.name + " exited " + p.exitValue() + ": " + read(log));
      }
      return Files.exists(run);
    }, START_WAIT, "node " + node.name + " to start");
    node.info = JSON.readTree(run.toFile());
  }

  /** SIGKILL, as {@code kill -9}: no shutdown hook runs, nothing is flushed or said to the peers. */
  void kill(final Node node) throws InterruptedException {
    node.process.destroyForcibly();
    assertThat(node.process.waitFor(30, TimeUnit.SECONDS)).as("node " + node.name + " killed").isTrue();
  }

  /** Starts a stopped or killed node again, on the same data dir with the same options (new ports). */
  void restart(final Node node) throws Exception {
    launch(node);
  }

  private ProcessBuilder command(final String dataDir, final List<String> args) {
    final List<String> cmd = new ArrayList<>(List.of(root.resolve("bin/tl-cli").toString(), "--data-dir",
        dir.resolve(dataDir).toString()));
    if (rpcUrl != null && !dataDir.equals("chain")) {
      cmd.addAll(List.of("--rpc-url", rpcUrl));
    }
    cmd.addAll(args);
    final ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile());
    // as the demo: a worker keeps four blocks of a 1-stage MLP's inputs for re-execution (~8 MB a step)
    pb.environment().put("TL_JAVA_OPTS", "-Xmx768m -XX:+UseSerialGC");
    return pb;
  }

  record Result(int exit, String out) {}

  Result cli(final String dataDir, final String... args) throws Exception {
    final Process p = command(dataDir, List.of(args)).redirectErrorStream(true).start();
    final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("tl-cli " + String.join(" ", args) + " did not finish");
    }
    return new Result(p.exitValue(), out);
  }

  /** The JSON object a {@code --json} command printed last (logs and prompts may come first), once it exited 0. */
  static String ok(final Result r) {
    assertThat(r.exit()).as(r.out()).isZero();
    final int brace = r.out().lastIndexOf("\n{");
    return brace >= 0 ? r.out().substring(brace + 1) : r.out();
  }

  /** The JSON a {@code --json} command printed, once it exited 0. */
  JsonNode json(final String dataDir, final String... args) throws Exception {
    return JSON.readTree(ok(cli(dataDir, args)));
  }

  JsonNode jobStatus(final String jobId) {
    try {
      return JSON.readTree(ok(cli("client", "job", "status", jobId, "--deployments", deployments(), "--json")));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A metric's value summed over its label sets; 0 when the node does not answer. */
  double metric(final Node node, final String name) {
    try {
      final String body = http.send(HttpRequest.newBuilder(URI.create(node.metricsUrl())).timeout(Duration.ofSeconds(10))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
      return body.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** The node's log so far, every level (its standard output has warnings and errors only). */
  String log(final Node node) {
    return log(node.name);
  }

  /** The log so far of the node on data dir {@code name}. */
  String log(final String name) {
    return read(dir.resolve(name).resolve("logs").resolve("tl-cli.log"));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String read(final Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(no output)";
    }
  }

  static void waitFor(final BooleanSupplier condition, final Duration timeout, final String what)
      throws InterruptedException {
    final long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      Thread.sleep(2_000);
    }
  }

  /** Every node gets SIGTERM, then SIGKILL after 30 s; the devnet goes down last. */
  @Override
  public void close() throws Exception {
    final List<Process> live = nodes.values().stream().map(n -> n.process).filter(p -> p != null && p.isAlive()).toList();
    live.forEach(Process::destroy);
    for (final Process p : live) {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    cli("chain", "devnet", "down");
  }
}
