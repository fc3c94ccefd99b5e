package io.tensorlink.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A devnet and {@code bin/tl-cli node start} processes on loopback, each node with its own data
 * dir under {@code dir}: the chain's ({@code chain}) runs {@code tl-cli devnet up} with one block a
 * second and a 120 s challenge window (time for a challenge on a loaded machine; the escrow's floor
 * is 60 s). {@link #close} stops every node (SIGTERM, SIGKILL after 30 s) and then the devnet,
 * whatever happened.
 */
final class LoopbackNetwork implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START_WAIT = Duration.ofMinutes(3);

  private final Path dir;
  private final Path root = Repo.root();
  private final List<Process> nodes = new ArrayList<>();
  private String rpcUrl;

  /** One CLI run: its exit code and its stdout and stderr together. */
  record Result(int exit, String out) {}

  LoopbackNetwork(final Path dir) {
    this.dir = dir;
  }

  /** Starts the devnet and deploys the suite (genesis account 0). */
  void up() throws Exception {
    final ObjectNode g = (ObjectNode) JSON.readTree(root.resolve("genesis/devnet.json").toFile());
    g.put("blockTimeSeconds", 1);
    ((ObjectNode) g.path("escrow")).put("challengeWindowSeconds", 120);
    final Path genesis = dir.resolve("genesis.json");
    JSON.writeValue(genesis.toFile(), g);
    ok(cli("chain", "devnet", "up", "--port", Integer.toString(freePort()), "--genesis", genesis.toString()));
    rpcUrl = JSON.readTree(ok(cli("chain", "devnet", "status", "--json"))).path("rpcUrl").asText();
    ok(cli("chain", "contracts", "deploy", "--genesis-account", "0", "--genesis", genesis.toString(), "--deployments",
        deployments()));
  }

  String deployments() {
    return dir.resolve("deployments").toString();
  }

  /** Starts {@code tl-cli node start} for a genesis account and waits for its node.json. */
  JsonNode startNode(final String name, final String account, final String roles, final String... extra) throws Exception {
    final List<String> args = new ArrayList<>(List.of("node", "start", "--roles", roles, "--genesis-account", account,
        "--deployments", deployments(), "--p2p-port", "0", "--rpc-port", "0", "--metrics-port", "0"));
    args.addAll(List.of(extra));
    final Process p = command(name, args).redirectOutput(dir.resolve(name + ".out").toFile())
        .redirectErrorStream(true).start();
    nodes.add(p);
    final Path run = dir.resolve(name).resolve("node").resolve("node.json");
    waitFor(() -> {
      if (!p.isAlive()) {
        throw new IllegalStateException("node " + name + " exited " + p.exitValue() + ": " + read(dir.resolve(name + ".out")));
      }
      return Files.exists(run);
    }, START_WAIT, "node " + name + " to start");
    return JSON.readTree(run.toFile());
  }

  /** A node's log so far. */
  String log(final String name) {
    return read(dir.resolve(name).resolve("logs").resolve("tl-cli.log"));
  }

  Result cli(final String dataDir, final String... args) throws Exception {
    final Process p = command(dataDir, List.of(args)).redirectErrorStream(true).start();
    final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("tl-cli " + String.join(" ", args) + " did not finish");
    }
    return new Result(p.exitValue(), out);
  }

  /** The JSON object a {@code --json} command printed last (logs and prompts may come first). */
  JsonNode json(final String dataDir, final String... args) throws Exception {
    return JSON.readTree(ok(cli(dataDir, args)));
  }

  static String ok(final Result r) {
    assertThat(r.exit()).as(r.out()).isZero();
    final int brace = r.out().lastIndexOf("\n{");
    return brace >= 0 ? r.out().substring(brace + 1) : r.out();
  }

  static void waitFor(final BooleanSupplier condition, final Duration timeout, final String what)
      throws InterruptedException {
    final long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      Thread.sleep(5_000); // each probe may start a JVM: keep them few on a loaded machine
    }
  }

  @Override
  public void close() throws Exception {
    nodes.forEach(Process::destroy);
    for (final Process p : nodes) {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    cli("chain", "devnet", "down");
  }

  private ProcessBuilder command(final String dataDir, final List<String> args) {
    final List<String> cmd = new ArrayList<>(List.of(root.resolve("bin/tl-cli").toString(), "--data-dir",
        dir.resolve(dataDir).toString()));
    if (rpcUrl != null && !dataDir.equals("chain")) {
      cmd.addAll(List.of("--rpc-url", rpcUrl));
    }
    cmd.addAll(args);
    final ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile());
    pb.environment().put("TL_JAVA_OPTS", "-Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
    return pb;
  }

  private static int freePort() throws IOException {
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
}
