package io.tensorlink.cli.xmr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensorlink.cli.CliRun;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.contracts.devnet.AnvilBinary;
import io.tensorlink.monero.regtest.DevnetMonero;
import io.tensorlink.monero.regtest.MoneroBinaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code devnet up --with-monero}, then {@code xmr wallet create|open|show} and {@code xmr mine} against
 * the devnet's real regtest monerod and wallet-rpc, then {@code devnet down} stops both processes.
 */
class XmrWalletCommandTest {
  private static final String PASSWORD = "correct horse battery staple";

  @TempDir Path dataDir;

  @BeforeEach
  void requireTools() {
    if (MoneroBinaries.find().isEmpty()) {
      System.out.println("SKIPPED XmrWalletCommandTest: " + MoneroBinaries.INSTALL_HINT);
    }
    Assumptions.assumeTrue(MoneroBinaries.find().isPresent(), "monerod not installed");
    Assumptions.assumeTrue(AnvilBinary.find(Path.of("")).isPresent(), "anvil is not installed (run ./tl setup): skipping");
  }

  @AfterEach
  void down() {
    CliRun.run(dataDir, "devnet", "down");
  }

  @Test
  void devnetWithMoneroThenAWalletIsCreatedFundedShownAndEverythingStops() throws IOException {
    final String port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = Integer.toString(free.getLocalPort());
    }
    final CliRun up = CliRun.run(dataDir, "devnet", "up", "--port", port, "--with-monero");
    assertThat(up.exitCode()).as(up.err()).isZero();
    assertThat(up.out()).contains("monero started: monerod 127.0.0.1:").contains("wallet-rpc http://127.0.0.1:");
    final DevnetMonero.State state = new DevnetMonero(DevnetMonero.dirIn(dataDir)).state().orElseThrow();
    assertThat(ProcessHandle.of(state.monerodPid())).isPresent();
    assertThat(CliRun.run(dataDir, "devnet", "up", "--port", port, "--with-monero").out()).contains("monero already running");

    // No password given: a usage error naming both ways to give one, before anything is created.
    final CliRun noPassword = CliRun.run(dataDir, "xmr", "wallet", "create", "alice");
    assertThat(noPassword.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noPassword.err()).contains("--password-file").contains(XmrWalletCommand.ENV_WALLET_PASSWORD);
    assertThat(CliRun.run(dataDir, Map.of(XmrWalletCommand.ENV_WALLET_PASSWORD, PASSWORD), "xmr", "wallet", "create", "../x")
        .exitCode()).isEqualTo(ExitCodes.USAGE);

    final Map<String, String> env = Map.of(XmrWalletCommand.ENV_WALLET_PASSWORD, PASSWORD);
    final CliRun created = CliRun.run(dataDir, env, "xmr", "wallet", "create", "alice", "--json");
    assertThat(created.exitCode()).as(created.err()).isZero();
    final String address = new ObjectMapper().readTree(created.out()).get("address").asText();
    assertThat(address).startsWith("4").hasSize(95);
    final CliRun twice = CliRun.run(dataDir, env, "xmr", "wallet", "create", "alice");
    assertThat(twice.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(twice.err()).contains("wallet alice already exists").contains("xmr wallet open alice");

    // 70 blocks to alice: the first 10 coinbase outputs are past the 60-block maturity.
    final CliRun mined = CliRun.run(dataDir, "xmr", "mine", "70", "--to", address);
    assertThat(mined.exitCode()).as(mined.err()).isZero();
    assertThat(mined.out()).startsWith("monero height: ");

    final Path pwFile = dataDir.resolve("pw.txt");
    Files.writeString(pwFile, PASSWORD + "\n");
    final CliRun shown = CliRun.run(dataDir, "xmr", "wallet", "show", "alice", "--password-file", pwFile.toString(), "--json");
    assertThat(shown.exitCode()).as(shown.err()).isZero();
    final JsonNode s = new ObjectMapper().readTree(shown.out());
    assertThat(s.get("address").asText()).isEqualTo(address);
    assertThat(Long.parseLong(s.get("balance").asText())).isPositive();
    assertThat(Long.parseLong(s.get("unlockedBalance").asText())).isPositive().isLessThan(Long.parseLong(s.get("balance").asText()));
    assertThat(shown.out()).doesNotContain(PASSWORD);
    final CliRun text = CliRun.run(dataDir, "xmr", "wallet", "show");
    assertThat(text.out()).contains("address: " + address).contains(" XMR").contains("blocks to unlock the rest");

    // A wrong password is the wallet-rpc's clear error, and the password shows nowhere, logs included.
    final CliRun wrong = CliRun.run(dataDir, Map.of(XmrWalletCommand.ENV_WALLET_PASSWORD, "nope-" + PASSWORD), "xmr", "wallet",
        "open", "alice");
    assertThat(wrong.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(wrong.err()).contains("open_wallet failed").doesNotContain(PASSWORD);
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (final Path f : files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".log")).toList()) {
        assertThat(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(PASSWORD);
      }
    }

    final CliRun down = CliRun.run(dataDir, "devnet", "down");
    assertThat(down.exitCode()).as(down.err()).isZero();
    assertThat(down.out()).contains("monero stopped: monerod pid " + state.monerodPid());
    assertThat(ProcessHandle.of(state.monerodPid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(ProcessHandle.of(state.walletRpcPid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    final CliRun gone = CliRun.run(dataDir, Map.of(XmrWalletCommand.ENV_WALLET_PASSWORD, PASSWORD), "xmr", "wallet", "show");
    assertThat(gone.exitCode()).isEqualTo(ExitCodes.NOT_RUNNING);
    assertThat(gone.err()).contains("devnet up --with-monero");
  }
}
