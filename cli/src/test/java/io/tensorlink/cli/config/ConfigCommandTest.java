package io.tensorlink.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.cli.CliRun;
import io.tensorlink.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCommandTest {
  @TempDir Path dataDir;

  @Test
  void showPrintsEachValueWithItsSource() throws Exception {
    Files.writeString(dataDir.resolve("config.properties"), "compute.threads=4\nlog.level=debug\n");
    final CliRun run = CliRun.run(dataDir, Map.of("TL_P2P_PORT", "4001"), "config", "show", "--log-level=warn");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("log.level=warn  # flag")
        .contains("p2p.port=4001  # environment")
        .contains("compute.threads=4  # file")
        .contains("# rpc.url is not set");
  }

  @Test
  void aBadConfigFileExitsWithTheConfigCodeAndNamesTheKey() throws Exception {
    Files.writeString(dataDir.resolve("config.properties"), "compute.thread=4\n");
    final CliRun run = CliRun.run(dataDir, "config", "show");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(run.err().strip().lines()).singleElement().asString()
        .startsWith("error: ")
        .contains("unknown key 'compute.thread'");
  }

  @Test
  void aBadFlagValueIsAConfigError() {
    final CliRun run = CliRun.run(dataDir, "config", "show", "--rpc-url=not a url");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(run.err()).startsWith("error: rpc.url: bad value 'not a url' from flag");
  }
}
