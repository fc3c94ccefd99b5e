package io.tensorlink.chain.devnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.contracts.devnet.AnvilBinary;
import io.tensorlink.contracts.devnet.DevnetGenesis;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives a real anvil through up/status/down, as {@code tl-cli devnet} does. */
class DevnetTest {
  private static Path anvil;
  private static DevnetGenesis genesis;
  @TempDir Path dataDir;
  private Devnet devnet;

  @BeforeAll
  static void findAnvil() {
    final Optional<Path> found = AnvilBinary.find(Path.of(""));
    Assumptions.assumeTrue(found.isPresent(), "anvil is not installed (run ./tl setup): skipping devnet tests");
    anvil = found.get();
    genesis = DevnetGenesis.load(DevnetGenesis.locate(Path.of("")));
  }

  @AfterEach
  void stop() {
    if (devnet != null) {
      devnet.down();
    }
  }

  @Test
  void upStatusDownOnAFreePort() throws IOException {
    devnet = new Devnet(dataDir);
    final int port = freePort();

    final Devnet.UpResult up = devnet.up(anvil, genesis, port);
    assertThat(up.started()).isTrue();
    assertThat(up.state().port()).isEqualTo(port);
    assertThat(Files.exists(dataDir.resolve("devnet.json"))).isTrue();

    final DevnetStatus status = devnet.status();
    assertThat(status.running()).isTrue();
    assertThat(status.chainId()).contains(7701L);
    assertThat(status.blockNumber()).contains(0L);

    final Optional<DevnetState> stopped = devnet.down();
    assertThat(stopped).map(DevnetState::pid).contains(up.state().pid());
    assertThat(ProcessHandle.of(up.state().pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(devnet.status().running()).isFalse();
    assertThat(Files.exists(dataDir.resolve("devnet.json"))).isFalse();
  }

  @Test
  void upIsIdempotentAndDownTwiceIsHarmless() throws IOException {
    devnet = new Devnet(dataDir);
    final int port = freePort();
    final Devnet.UpResult first = devnet.up(anvil, genesis, port);
    final Devnet.UpResult second = devnet.up(anvil, genesis, port);
    assertThat(second.started()).isFalse();
    assertThat(second.state()).isEqualTo(first.state());
    assertThat(devnet.down()).isPresent();
    assertThat(devnet.down()).isEmpty();
  }

  @Test
  void twoUpsAtOnceStartOneAnvil() throws Exception {
    devnet = new Devnet(dataDir);
    final int port = freePort();
    final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      final java.util.concurrent.Future<Devnet.UpResult> a = pool.submit(() -> new Devnet(dataDir).up(anvil, genesis, port));
      final java.util.concurrent.Future<Devnet.UpResult> b = pool.submit(() -> new Devnet(dataDir).up(anvil, genesis, port));
      final Devnet.UpResult ra = a.get();
      final Devnet.UpResult rb = b.get();
      assertThat(ra.started() ^ rb.started()).as("exactly one of the two started anvil").isTrue();
      assertThat(ra.state().pid()).isEqualTo(rb.state().pid());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void upOnAnotherPortWhileRunningSaysWhereItRuns() throws IOException {
    devnet = new Devnet(dataDir);
    final Devnet.UpResult first = devnet.up(anvil, genesis, freePort());
    final int other = freePort();
    assertThatThrownBy(() -> devnet.up(anvil, genesis, other))
        .isInstanceOf(DevnetException.class)
        .hasMessageContaining("already running on port " + first.state().port())
        .hasMessageContaining("not " + other);
    assertThat(devnet.up(anvil, genesis, 0).started()).isFalse();
  }

  @Test
  void downNeverKillsAProcessThatMerelyReusedThePid() throws Exception {
    final Process bystander = new ProcessBuilder("sleep", "30").start();
    try {
      new DevnetState(bystander.pid(), 1, "http://127.0.0.1:1", 7701, "x", "now").write(dataDir);
      devnet = new Devnet(dataDir);
      assertThat(devnet.down()).isEmpty();
      assertThat(bystander.isAlive()).isTrue();
      assertThat(Files.exists(dataDir.resolve("devnet.json"))).isFalse();
    } finally {
      bystander.destroyForcibly();
    }
  }

  @Test
  void aCorruptStateFileIsReportedWithWhatToDo() throws IOException {
    Files.writeString(dataDir.resolve("devnet.json"), "{not json");
    devnet = null;
    assertThatThrownBy(() -> new Devnet(dataDir).status())
        .isInstanceOf(DevnetStateException.class)
        .hasMessageContaining("unreadable devnet state")
        .hasMessageContaining("delete this file");
  }

  @Test
  void aTakenPortFailsWithTheReason() throws IOException {
    try (ServerSocket taken = new ServerSocket(0)) {
      devnet = new Devnet(dataDir);
      assertThatThrownBy(() -> devnet.up(anvil, genesis, taken.getLocalPort()))
          .isInstanceOf(DevnetException.class)
          .hasMessageContaining("already in use");
      assertThat(Files.exists(dataDir.resolve("devnet.json"))).isFalse();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
