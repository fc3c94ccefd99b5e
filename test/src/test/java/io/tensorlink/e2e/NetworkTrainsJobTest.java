package io.tensorlink.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tensorlink.contracts.devnet.AnvilBinary;
import java.io.IOException;
import java.math.BigInteger;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real network on loopback, every node its own {@code bin/tl-cli node start} process with its own
 * data dir, on a real anvil started by {@code tl-cli devnet up} (one block a second, a 30 s
 * challenge window): two validators, two workers, a client. The client funds a 2-stage MLP job on
 * generated data with {@code tl-cli job create}; its node announces it, the workers bid and are
 * assigned, train across processes, the validators verify and anchor every block, and each worker
 * claims its share of every block's pool once the challenge window has passed. Whatever happens,
 * every process is stopped in {@code finally}. Slow by nature (minutes on a loaded 2-core machine):
 * the timeouts are generous, and it runs only with {@code TL_E2E_NETWORK=1}.
 */
class NetworkTrainsJobTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START_WAIT = Duration.ofMinutes(3);
  private static final Duration JOB_WAIT = Duration.ofMinutes(12);
  private static final int STEPS = 20;
  private static final int BLOCK_STEPS = 10;

  @TempDir Path dir;
  private final Path root = Repo.root();
  private final List<Process> nodes = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private String rpcUrl;

  @Test
  void twoWorkersTrainAJobTheValidatorsAnchorItAndTheWorkersArePaid() throws Exception {
    Assumptions.assumeTrue("1".equals(System.getenv("TL_E2E_NETWORK")), "the six-process network test takes 10+"
        + " minutes on a 2-core machine: set TL_E2E_NETWORK=1 to run it");
    Assumptions.assumeTrue(AnvilBinary.find(root).isPresent(), "anvil is not installed (run ./tl setup): skipping");
    Assumptions.assumeTrue(Files.exists(root.resolve("cli/target/tl-cli.jar")),
        "cli/target/tl-cli.jar is not built: skipping (build with ./mvnw -pl test -am verify)");
    try {
      final Path genesis = fastGenesis();
      ok(cli("chain", "devnet", "up", "--port", Integer.toString(freePort()), "--genesis", genesis.toString()));
      rpcUrl = JSON.readTree(ok(cli("chain", "devnet", "status", "--json"))).path("rpcUrl").asText();
      ok(cli("chain", "contracts", "deploy", "--genesis-account", "0", "--genesis", genesis.toString(), "--deployments",
          deployments()));
      for (final String v : List.of("1", "2")) {
        ok(cli("chain", "stake", "add", "39900", "--genesis-account", v, "--deployments", deployments(), "--yes"));
        ok(cli("chain", "validator", "register", "--genesis-account", v, "--deployments", deployments()));
      }
      for (final String w : List.of("5", "6")) {
        ok(cli("chain", "stake", "add", "1000", "--genesis-account", w, "--deployments", deployments(), "--yes"));
      }
      ok(cli("chain", "devnet", "advance", "3600"));

      final String boot = startNode("v1", "1", "validator").path("p2pAddresses").get(0).asText();
      startNode("v2", "2", "validator", "--bootstrap", boot);
      final JsonNode w1 = startNode("w1", "5", "worker", "--bootstrap", boot);
      final JsonNode w2 = startNode("w2", "6", "worker", "--bootstrap", boot);
      startNode("client", "4", "client", "--bootstrap", boot, "--bid-window", "30", "--samples-per-chunk", "256");

      final JsonNode job = JSON.readTree(ok(cli("client", "job", "create", "--model", "mlp", "--dataset", "synthetic:1024",
          "--steps", Integer.toString(STEPS), "--batch", "32", "--stages", "2", "--replicas", "1", "--verify-rate", "0.5",
          "--block-steps", Integer.toString(BLOCK_STEPS), "--budget", "100", "--price-per-step", "1", "--deadline", "2h",
          "--genesis-account", "4", "--deployments", deployments(), "--yes", "--json")));
      final String jobId = job.path("jobId").asText();

      final long blocks = STEPS / BLOCK_STEPS;
      waitFor(() -> jobStatus(jobId).path("anchoredBlocks").asLong() >= blocks, JOB_WAIT,
          "job " + jobId + "'s " + blocks + " blocks anchored");
      assertThat(jobStatus(jobId).path("nextStep").asLong()).isEqualTo(STEPS);

      // Each block's pool (steps × price minus 5% validator and 1% protocol fees) splits in two equal shares.
      final BigInteger pool = BigInteger.TEN.pow(18).multiply(BigInteger.valueOf(BLOCK_STEPS)).multiply(BigInteger.valueOf(94))
          .divide(BigInteger.valueOf(100));
      final BigInteger share = pool.divide(BigInteger.TWO);
      for (final JsonNode w : List.of(w1, w2)) {
        final String metricsUrl = w.path("metricsUrl").asText();
        waitFor(() -> metric(metricsUrl, "tl_worker_payouts_claimed_total") >= blocks, Duration.ofMinutes(3),
            "worker " + w.path("peerId").asText() + " to claim " + blocks + " payouts");
        assertThat(BigInteger.valueOf((long) metric(metricsUrl, "tl_worker_payout_wei_total")))
            .as("what a worker claimed (a double metric: compared to 1 ppm)")
            .isBetween(share.multiply(BigInteger.valueOf(blocks)).multiply(BigInteger.valueOf(999_999)).divide(BigInteger.valueOf(1_000_000)),
                share.multiply(BigInteger.valueOf(blocks)).multiply(BigInteger.valueOf(1_000_001)).divide(BigInteger.valueOf(1_000_000)));
        assertThat(metric(metricsUrl, "tl_worker_steps")).isEqualTo(STEPS);
      }
    } finally {
      stopAll();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private Path fastGenesis() throws IOException {
    final ObjectNode g = (ObjectNode) JSON.readTree(root.resolve("genesis/devnet.json").toFile());
    g.put("blockTimeSeconds", 1);
    ((ObjectNode) g.path("escrow")).put("challengeWindowSeconds", 30);
    final Path file = dir.resolve("genesis.json");
    JSON.writeValue(file.toFile(), g);
    return file;
  }

  private String deployments() {
    return dir.resolve("deployments").toString();
  }

  private JsonNode startNode(final String name, final String account, final String roles, final String... extra)
      throws Exception {
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

  private record Result(int exit, String out) {}

  private Result cli(final String dataDir, final String... args) throws Exception {
    final Process p = command(dataDir, List.of(args)).redirectErrorStream(true).start();
    final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("tl-cli " + String.join(" ", args) + " did not finish");
    }
    return new Result(p.exitValue(), out);
  }

  private static String ok(final Result r) {
    assertThat(r.exit()).as(r.out()).isZero();
    // --json commands print their object last; logs and prompts may come first.
    final int brace = r.out().lastIndexOf("\n{");
    return brace >= 0 ? r.out().substring(brace + 1) : r.out();
  }

  private JsonNode jobStatus(final String jobId) {
    try {
      return JSON.readTree(ok(cli("client", "job", "status", jobId, "--deployments", deployments(), "--json")));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private double metric(final String url, final String name) {
    try {
      final String body = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
      return body.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static String read(final Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(no output)";
    }
  }

  private static void waitFor(final BooleanSupplier condition, final Duration timeout, final String what)
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
  private void stopAll() throws Exception {
    nodes.forEach(Process::destroy);
    for (final Process p : nodes) {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    cli("chain", "devnet", "down");
  }
}
