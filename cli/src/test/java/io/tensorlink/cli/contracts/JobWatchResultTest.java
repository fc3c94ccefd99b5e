package io.tensorlink.cli.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensorlink.cli.CliRun;
import io.tensorlink.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code job watch} and {@code job result} against a real anvil with the suite deployed: unknown job
 * ids exit 1 naming the id, a fresh job is watched from chain facts alone (no node running), a job
 * with no anchored block has no result to fetch, and bad option values are usage errors.
 */
class JobWatchResultTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static AnvilChain chain;
  private static Path deployments;
  private static Path dataDir;

  @TempDir Path out;

  @BeforeAll
  static void deployAndCreateAJob() throws Exception {
    chain = AnvilChain.start();
    deployments = Files.createTempDirectory("deployments");
    dataDir = Files.createTempDirectory("tl-data");
    final CliRun deployed = CliRun.run(dataDir, "contracts", "deploy", "--rpc-url", chain.rpcUrl(), "--deployments",
        deployments.toString());
    assertThat(deployed.exitCode()).as(deployed.err()).isZero();
    final CliRun created = cli("job", "create", "--model", "mlp", "--dataset", "synthetic:256", "--steps", "20",
        "--batch", "8", "--price-per-step", "1", "--budget", "100", "--deadline", "2h", "--genesis-account", "3",
        "--yes");
    assertThat(created.exitCode()).as(created.err()).isZero();
  }

  @AfterAll
  static void stop() {
    if (chain != null) {
      chain.close();
    }
  }

  @Test
  void unknownJobIdsExitOneNamingTheId() {
    final CliRun watch = cli("job", "watch", "99", "--once");
    assertThat(watch.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(watch.err()).contains("there is no job 99");
    final CliRun result = cli("job", "result", "99", "--out", out.resolve("m.safetensors").toString());
    assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(result.err()).contains("there is no job 99");
    assertThat(out.resolve("m.safetensors")).doesNotExist();
  }

  @Test
  void watchPrintsChainFactsWithoutANode() throws Exception {
    final CliRun json = cli("job", "watch", "1", "--once", "--json");
    assertThat(json.exitCode()).as(json.err()).isZero();
    final List<String> lines = json.out().lines().toList();
    assertThat(lines).hasSize(1);
    final JsonNode u = JSON.readTree(lines.get(0));
    assertThat(u.path("jobId").asInt()).isEqualTo(1);
    assertThat(u.path("status").asText()).isEqualTo("Open");
    assertThat(u.path("blocksAnchored").asLong()).isZero();
    assertThat(u.path("step").asLong()).isZero();
    assertThat(u.path("recordsVerified").asLong()).isZero();
    assertThat(u.path("paid").asText()).isEqualTo("0");
    assertThat(u.path("node").asText()).isEqualTo("none");
    assertThat(u.path("loss").isNull()).isTrue();

    final CliRun text = cli("job", "watch", "1", "--once");
    assertThat(text.exitCode()).as(text.err()).isZero();
    // off a terminal: plain lines on stderr (no carriage return), the last state on stdout
    assertThat(text.err()).contains("job 1 Open  step 0  loss ?  verified 0  blocks 0  paid 0 TL").doesNotContain("\r");
    assertThat(text.out()).contains("job 1 Open  step 0");
  }

  @Test
  void onATerminalTheLineIsRedrawnInPlace() {
    final CliRun tty = CliRun.run(dataDir, java.util.Map.of("TL_STDERR_TTY", "1"), "job", "watch", "1", "--once",
        "--rpc-url", chain.rpcUrl(), "--deployments", deployments.toString());
    assertThat(tty.exitCode()).as(tty.err()).isZero();
    assertThat(tty.err()).startsWith("\rjob 1 Open  step 0").contains("\u001b[K");
  }

  @Test
  void watchEndsByItselfWhenTheJobIsOver() throws Exception {
    final CliRun created = cli("job", "create", "--model", "mlp", "--dataset", "synthetic:256", "--steps", "20",
        "--batch", "8", "--price-per-step", "1", "--budget", "50", "--deadline", "2h", "--genesis-account", "3",
        "--yes", "--json");
    assertThat(created.exitCode()).as(created.err()).isZero();
    final List<String> printed = created.out().lines().toList();
    final String id = JSON.readTree(printed.get(printed.size() - 1)).path("jobId").asText();
    final CliRun cancelled = cli("job", "cancel", id, "--genesis-account", "3", "--yes");
    assertThat(cancelled.exitCode()).as(cancelled.err()).isZero();
    // no --once: the loop itself stops on a final status
    final CliRun watch = cli("job", "watch", id, "--interval", "1");
    assertThat(watch.exitCode()).as(watch.err()).isZero();
    assertThat(watch.out()).contains("job " + id + " is Cancelled: 0 blocks anchored, 0 TL paid");
  }

  @Test
  void aJobWithNoAnchoredBlockHasNoResultYet() {
    final CliRun result = cli("job", "result", "1", "--out", out.resolve("m.safetensors").toString());
    assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(result.err()).contains("job 1 has no anchored block yet");
  }

  @Test
  void badOptionValuesAreUsageErrors() {
    final CliRun interval = cli("job", "watch", "1", "--interval", "0");
    assertThat(interval.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(interval.err()).contains("--interval must be 1..3600 seconds, got 0");
    final CliRun missing = cli("job", "result", "1");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("--out");
    final CliRun timeout = cli("job", "result", "1", "--out", "m.safetensors", "--fetch-timeout", "0");
    assertThat(timeout.exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  private static CliRun cli(final String... args) {
    final List<String> argv = new ArrayList<>(List.of(args));
    argv.addAll(List.of("--rpc-url", chain.rpcUrl(), "--deployments", deployments.toString()));
    return CliRun.run(dataDir, argv.toArray(String[]::new));
  }
}
