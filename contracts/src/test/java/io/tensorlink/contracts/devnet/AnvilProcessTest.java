package io.tensorlink.contracts.devnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnvilProcessTest {
  private static Path anvil;
  private static DevnetGenesis genesis;
  @TempDir Path dir;

  @BeforeAll
  static void findAnvil() {
    final Optional<Path> found = AnvilBinary.find(Path.of(""));
    Assumptions.assumeTrue(found.isPresent(), "anvil is not installed (run ./tl setup): skipping anvil tests");
    anvil = found.get();
    genesis = DevnetGenesis.load(DevnetGenesis.locate(Path.of("")));
  }

  @Test
  void startsOnAFreePortWithTheGenesisChainIdAndStopsOnClose() {
    final AnvilProcess chain;
    try (AnvilProcess running = AnvilProcess.start(anvil, genesis, 0, dir.resolve("anvil.log"))) {
      chain = running;
      assertThat(running.isAlive()).isTrue();
      assertThat(running.port()).isPositive();
      assertThat(AnvilProcess.queryChainId(HttpClient.newHttpClient(), running.rpcUrl())).isEqualTo(7701L);
    }
    assertThat(chain.isAlive()).isFalse();
    assertThat(AnvilProcess.queryChainId(HttpClient.newHttpClient(), chain.rpcUrl())).isNull();
  }

  @Test
  void aTakenPortIsRefusedBeforeStarting() {
    try (AnvilProcess first = AnvilProcess.start(anvil, genesis, 0, dir.resolve("a.log"))) {
      assertThatThrownBy(() -> AnvilProcess.start(anvil, genesis, first.port(), dir.resolve("b.log")))
          .isInstanceOf(AnvilException.class)
          .hasMessageContaining("port " + first.port() + " on 127.0.0.1 is already in use");
    }
  }

  @Test
  void theCommandLineCarriesTheGenesis() {
    assertThat(AnvilProcess.command(anvil, genesis, 1234))
        .containsSequence("--chain-id", "7701")
        .containsSequence("--port", "1234")
        .containsSequence("--accounts", Integer.toString(genesis.accounts()));
  }

  @Test
  void anExplicitBinaryThatIsNotExecutableIsRejected() throws Exception {
    final Path notExecutable = Files.writeString(dir.resolve("anvil"), "");
    assertThatThrownBy(() -> AnvilBinary.locate(dir, Map.of(AnvilBinary.ENV_OVERRIDE, notExecutable.toString())))
        .hasMessageContaining("TL_ANVIL=" + notExecutable + " is not an executable file");
  }

  @Test
  void aMissingInstallSaysHowToGetIt() {
    assertThatThrownBy(() -> AnvilBinary.locate(dir, Map.of())).hasMessageContaining("run ./tl setup");
  }
}
