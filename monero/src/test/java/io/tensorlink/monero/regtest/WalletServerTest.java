package io.tensorlink.monero.regtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real wallet-rpc (no daemon needed): one left running on a folder is stopped before another starts there. */
class WalletServerTest {

  @Test
  void aWalletRpcLeftRunningOnTheFolderIsStoppedFirst(@TempDir final Path dir) throws Exception {
    final Optional<MoneroBinaries> bin = MoneroBinaries.find();
    if (bin.isEmpty()) {
      System.out.println("SKIPPED WalletServerTest: " + MoneroBinaries.INSTALL_HINT);
    }
    Assumptions.assumeTrue(bin.isPresent(), MoneroBinaries.INSTALL_HINT);
    // Port 1 on loopback: no daemon; wallet-rpc starts anyway and answers version.
    final WalletServer first = WalletServer.start(bin.get(), "first", dir, "127.0.0.1:1", Optional.empty());
    final long leftover = Long.parseLong(Files.readString(dir.resolve("wallet-rpc.pid")).trim());
    assertThat(ManagedProcess.runs(leftover, bin.get().walletRpc().getFileName().toString())).isTrue();
    // as after a kill -9 of the JVM that started it: nothing stopped it, and a new one starts on its folder
    try (WalletServer second = WalletServer.start(bin.get(), "second", dir, "127.0.0.1:1", Optional.empty())) {
      assertThat(ProcessHandle.of(leftover).filter(ProcessHandle::isAlive)).as("the leftover wallet-rpc").isEmpty();
      assertThat(second.rpc().version()).isPositive();
      assertThat(Long.parseLong(Files.readString(dir.resolve("wallet-rpc.pid")).trim())).isNotEqualTo(leftover);
    } finally {
      first.close();
    }
  }
}
