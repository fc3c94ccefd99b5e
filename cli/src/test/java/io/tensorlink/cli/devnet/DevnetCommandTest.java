package io.tensorlink.cli.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.cli.CliRun;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.contracts.devnet.AnvilBinary;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tl-cli devnet against a real anvil on a free port, with an isolated data dir. */
class DevnetCommandTest {
  @TempDir Path dataDir;

  @BeforeEach
  void requireAnvil() {
    Assumptions.assumeTrue(AnvilBinary.find(Path.of("")).isPresent(), "anvil is not installed (run ./tl setup): skipping");
  }

  @AfterEach
  void down() {
    CliRun.run(dataDir, "devnet", "down");
  }

  @Test
  void upStatusDown() throws IOException {
    final int port = freePort();
    final CliRun up = CliRun.run(dataDir, "devnet", "up", "--port", Integer.toString(port));
    assertThat(up.exitCode()).as(up.err()).isZero();
    assertThat(up.out()).startsWith("devnet started: chain id 7701, rpc http://127.0.0.1:" + port);

    final CliRun again = CliRun.run(dataDir, "devnet", "up", "--port", Integer.toString(port));
    assertThat(again.out()).startsWith("devnet already running");

    final CliRun status = CliRun.run(dataDir, "devnet", "status");
    assertThat(status.exitCode()).isZero();
    assertThat(status.out()).contains("devnet: running", "rpc: http://127.0.0.1:" + port, "chain id: 7701", "block: 0");
    assertThat(CliRun.run(dataDir, "devnet", "mine", "3").out().strip()).isEqualTo("block: 3");
    final CliRun advanced = CliRun.run(dataDir, "devnet", "advance", "7d");
    assertThat(advanced.exitCode()).as(advanced.err()).isZero();
    assertThat(advanced.out()).startsWith("chain time: ");
    assertThat(CliRun.run(dataDir, "devnet", "advance", "soon").exitCode()).isEqualTo(ExitCodes.USAGE);
    final CliRun funded = CliRun.run(dataDir, "devnet", "fund", "0x000000000000000000000000000000000000dEaD", "--eth", "2");
    assertThat(funded.exitCode()).as(funded.err()).isZero();
    assertThat(funded.out()).contains("funded 0x000000000000000000000000000000000000dEaD with 2 ETH (no suite deployed: no TL sent)");
    assertThat(CliRun.run(dataDir, "balance", "0x000000000000000000000000000000000000dEaD").out()).contains("ETH: 2 ETH");

    final CliRun down = CliRun.run(dataDir, "devnet", "down");
    assertThat(down.exitCode()).isZero();
    assertThat(down.out()).startsWith("devnet stopped: pid ");

    final CliRun after = CliRun.run(dataDir, "devnet", "status");
    assertThat(after.exitCode()).isEqualTo(ExitCodes.NOT_RUNNING);
    assertThat(after.out()).contains("devnet: not running");
  }

  @Test
  void thePortCanComeFromTheEnvironment() throws IOException {
    final int port = freePort();
    final CliRun up = CliRun.run(dataDir, java.util.Map.of("TL_DEVNET_PORT", Integer.toString(port)), "devnet", "up");
    assertThat(up.exitCode()).as(up.err()).isZero();
    assertThat(up.out()).contains("rpc http://127.0.0.1:" + port);
  }

  @Test
  void twoDevnetsInTwoDataDirsKeepTheirOwnDeploymentRecords(@TempDir final Path other) throws IOException {
    try {
      assertThat(CliRun.run(dataDir, "devnet", "up", "--port", Integer.toString(freePort())).exitCode()).isZero();
      assertThat(CliRun.run(other, "devnet", "up", "--port", Integer.toString(freePort())).exitCode()).isZero();
      final CliRun deployA = CliRun.run(dataDir, "contracts", "deploy");
      assertThat(deployA.exitCode()).as(deployA.err()).isZero();
      final Path recordA = dataDir.resolve("deployments").resolve("7701.json");
      assertThat(deployA.out()).contains("recorded " + recordA);
      final String before = Files.readString(recordA);

      final CliRun deployB = CliRun.run(other, "contracts", "deploy");
      assertThat(deployB.exitCode()).as(deployB.err()).isZero();
      assertThat(other.resolve("deployments").resolve("7701.json")).exists();
      assertThat(Files.readString(recordA)).as("B's deploy leaves A's record alone").isEqualTo(before);

      final CliRun stakeA = CliRun.run(dataDir, "stake", "add", "10", "--genesis-account", "1", "--yes");
      assertThat(stakeA.exitCode()).as(stakeA.err()).isZero();
      assertThat(CliRun.run(other, "stake", "status", "--address", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8").out())
          .as("B's chain knows nothing of A's stake").contains("staked: 0 TL");
    } finally {
      CliRun.run(other, "devnet", "down");
    }
  }

  @Test
  void upOnAnotherPortWhileRunningIsRefused() throws IOException {
    final int port = freePort();
    assertThat(CliRun.run(dataDir, "devnet", "up", "--port", Integer.toString(port)).exitCode()).isZero();
    final CliRun moved = CliRun.run(dataDir, "devnet", "up", "--port", Integer.toString(freePort()));
    assertThat(moved.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(moved.err()).contains("already running on port " + port, "'tl-cli devnet down' first");
  }

  @Test
  void downWhenNothingRunsIsHarmless() {
    final CliRun down = CliRun.run(dataDir, "devnet", "down");
    assertThat(down.exitCode()).isZero();
    assertThat(down.out()).contains("devnet not running");
  }

  @Test
  void aTakenPortIsAOneLineFailure() throws IOException {
    try (ServerSocket taken = new ServerSocket(0)) {
      final CliRun up = CliRun.run(dataDir, "devnet", "up", "--port", Integer.toString(taken.getLocalPort()));
      assertThat(up.exitCode()).isEqualTo(ExitCodes.FAILURE);
      assertThat(up.err().strip().lines()).singleElement().asString()
          .startsWith("error: devnet did not start: port " + taken.getLocalPort());
    }
  }

  @Test
  void aMissingGenesisIsAConfigError() {
    final CliRun up = CliRun.run(dataDir, "devnet", "up", "--genesis", dataDir.resolve("nope.json").toString());
    assertThat(up.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(up.err()).startsWith("error: " + dataDir.resolve("nope.json") + ": cannot read genesis");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
