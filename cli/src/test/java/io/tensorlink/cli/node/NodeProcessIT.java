package io.tensorlink.cli.node;

import static io.tensorlink.cli.node.NodeProcesses.freePort;
import static io.tensorlink.cli.node.NodeProcesses.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensorlink.chain.devnet.DevnetState;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.Launcher;
import io.tensorlink.contracts.devnet.AnvilBinary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes as separate processes started through bin/tl-cli, each with its own data dir, on a
 * real anvil devnet with the deployed suite: they find each other, exchange checked bindings, answer
 * status/peers, and stop cleanly on 'node stop' (SIGTERM).
 */
class NodeProcessIT {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path validatorDir;
  @TempDir Path workerDir;
  @TempDir Path deployments;

  @Test
  void twoNodeProcessesBindFindEachOtherAndStopCleanly() throws Exception {
    Assumptions.assumeTrue(AnvilBinary.find(Path.of("")).isPresent() || AnvilBinary.find(Path.of("..")).isPresent(),
        "anvil is not installed (run ./tl setup): skipping the node process test");
    final Launcher v = new Launcher(validatorDir);
    final Launcher w = new Launcher(workerDir);
    Process validator = null;
    Process worker = null;
    try {
      ok(v.run(Map.of(), "devnet", "up", "--port", Integer.toString(freePort())));
      ok(v.run(Map.of(), "contracts", "deploy", "--deployments", deployments.toString()));
      final String rpcUrl = DevnetState.read(validatorDir).orElseThrow().rpcUrl();

      validator = v.start(Map.of(), "node", "start", "--roles", "validator", "--genesis-account", "1",
          "--deployments", deployments.toString(), "--p2p-port", "0", "--rpc-port", "0", "--metrics-port", "0");
      final Path validatorRun = validatorDir.resolve("node").resolve("node.json");
      waitFor(() -> Files.exists(validatorRun), validator, "the validator's run file");
      final String validatorAddr = JSON.readTree(validatorRun.toFile()).path("p2pAddresses").get(0).asText();

      worker = w.start(Map.of(), "--rpc-url", rpcUrl, "node", "start", "--roles", "worker,client", "--genesis-account", "2",
          "--deployments", deployments.toString(), "--p2p-port", "0", "--rpc-port", "0", "--bootstrap", validatorAddr);
      final Path workerRun = workerDir.resolve("node").resolve("node.json");
      waitFor(() -> Files.exists(workerRun), worker, "the worker's run file");

      waitFor(() -> {
        final JsonNode peers = JSON.readTree(ok(v.run(Map.of(), "node", "peers", "--json")).out());
        return peers.size() == 1 && !peers.get(0).path("account").isNull();
      }, validator, "the validator to accept the worker's binding");
      final JsonNode peer = JSON.readTree(ok(v.run(Map.of(), "node", "peers", "--json")).out()).get(0);
      assertThat(peer.path("roles")).extracting(JsonNode::asText).containsExactly("client", "worker");

      final JsonNode status = JSON.readTree(ok(w.run(Map.of(), "node", "status", "--json")).out());
      assertThat(status.path("roles")).extracting(JsonNode::asText).containsExactly("client", "worker");
      assertThat(status.path("account").asText()).isEqualToIgnoringCase(peer.path("account").asText());
      assertThat(status.path("peers").asInt()).isEqualTo(1);

      assertThat(ok(v.run(Map.of(), "node", "stop")).out()).contains("node stopped");
      assertThat(validator.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.exists(validatorRun)).as("the run file is removed on shutdown").isFalse();
      final Launcher.Result after = v.run(Map.of(), "node", "status");
      assertThat(after.exitCode()).as(after.err()).isEqualTo(ExitCodes.NOT_RUNNING);
      assertThat(after.err()).contains("no node is running");
    } finally {
      for (final Process p : new Process[] {validator, worker}) {
        if (p != null) {
          p.destroy();
          if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        }
      }
      v.run(Map.of(), "devnet", "down");
    }
  }

  private static void waitFor(final NodeProcesses.Check check, final Process owner, final String what) throws Exception {
    NodeProcesses.waitFor(check, "process", owner, Duration.ofSeconds(90), Duration.ofMillis(250), what);
  }
}
