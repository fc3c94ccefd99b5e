package io.tensorlink.cli.xmr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensorlink.cli.CliRun;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.contracts.devnet.AnvilBinary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code job create --pay xmr} on a devnet with the suite deployed: flag checks before sending, then the stored terms. */
class XmrPayOptionsTest {
  @TempDir Path dataDir;

  @AfterEach
  void down() {
    CliRun.run(dataDir, "devnet", "down");
  }

  private CliRun create(final String... extra) {
    final List<String> argv = new ArrayList<>(List.of("job", "create", "--genesis-account", "9", "--spec-hash",
        "0x" + "ab".repeat(32), "--budget", "10", "--price-per-step", "1", "--deadline", "2h", "--yes"));
    argv.addAll(List.of(extra));
    return CliRun.run(dataDir, argv.toArray(String[]::new));
  }

  @Test
  void xmrTermsAreCheckedBeforeSendingAndStoredWithTheJob() throws Exception {
    Assumptions.assumeTrue(AnvilBinary.find(Path.of("")).isPresent(), "anvil is not installed (run ./tl setup): skipping");
    final int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertThat(CliRun.run(dataDir, "devnet", "up", "--port", Integer.toString(port)).exitCode()).isZero();
    final CliRun deployed = CliRun.run(dataDir, "contracts", "deploy");
    assertThat(deployed.exitCode()).as(deployed.err()).isZero();

    final CliRun missing = create("--pay", "xmr", "--xmr-deposit", "10");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("--pay xmr needs --price-per-step-xmr and --xmr-deposit");
    assertThat(create("--pay", "btc").err()).contains("--pay must be tl or xmr, got 'btc'");
    assertThat(create("--xmr-deposit", "10").err()).contains("need --pay xmr");
    assertThat(create("--pay", "xmr", "--price-per-step-xmr", "0.0000000000001", "--xmr-deposit", "10").err())
        .contains("--price-per-step-xmr '0.0000000000001': must be at least 0 with at most 12 decimals");
    assertThat(create("--pay", "xmr", "--price-per-step-xmr", "0.01", "--xmr-deposit", "0.05").err())
        .contains("--xmr-deposit 0.05 XMR does not cover the arbiter fee 0.05 XMR");
    assertThat(CliRun.run(dataDir, "job", "list").out()).as("nothing was sent").doesNotContain("Open");

    final CliRun created = create("--pay", "xmr", "--price-per-step-xmr", "0.01", "--xmr-deposit", "10");
    assertThat(created.exitCode()).as(created.err()).isZero();
    final Path terms = dataDir.resolve("xmr").resolve("jobs").resolve("job-1.json");
    assertThat(created.out()).contains("xmr terms: " + terms).contains("job id: 1");
    final JsonNode t = new ObjectMapper().readTree(terms.toFile());
    assertThat(t.get("jobId").asText()).isEqualTo("1");
    assertThat(t.get("pricePerStep").asText()).isEqualTo("10000000000");
    assertThat(t.get("deposit").asText()).isEqualTo("10000000000000");
    assertThat(t.get("arbiterFee").asText()).isEqualTo("50000000000");

    final CliRun asJson = create("--pay", "xmr", "--price-per-step-xmr", "0.02", "--xmr-deposit", "5", "--json");
    assertThat(asJson.exitCode()).as(asJson.err()).isZero();
    assertThat(new ObjectMapper().readTree(asJson.out()).get("jobId").asText()).isEqualTo("2");
    assertThat(dataDir.resolve("xmr").resolve("jobs").resolve("job-2.json")).exists();
  }
}
