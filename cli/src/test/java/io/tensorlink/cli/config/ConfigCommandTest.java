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

  @Test
  void setGetUnsetAndPathEditTheFileAndKeepItsOtherLines() throws Exception {
    final Path file = dataDir.resolve("config.properties");
    Files.writeString(file, "# my settings\nlog.level=debug\n");
    final CliRun path = CliRun.run(dataDir, "config", "path");
    assertThat(path.out().strip()).isEqualTo(file.toString());

    assertThat(CliRun.run(dataDir, "config", "set", "compute.threads", "3").exitCode()).isZero();
    assertThat(CliRun.run(dataDir, "config", "get", "compute.threads").out().strip()).isEqualTo("3");
    assertThat(CliRun.run(dataDir, Map.of("TL_COMPUTE_THREADS", "5"), "config", "get", "compute.threads").out().strip())
        .as("get prints the effective value").isEqualTo("5");
    assertThat(CliRun.run(dataDir, "config", "set", "compute.threads", "6").exitCode()).isZero();
    assertThat(Files.readString(file)).isEqualTo("# my settings\nlog.level=debug\ncompute.threads=6\n");

    final CliRun bad = CliRun.run(dataDir, "config", "set", "compute.threads", "1.5");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(bad.err()).contains("compute.threads: bad value '1.5': not an integer");
    final CliRun unknown = CliRun.run(dataDir, "config", "set", "compute.thread", "2");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(unknown.err()).contains("unknown setting 'compute.thread'");

    assertThat(CliRun.run(dataDir, "config", "unset", "compute.threads").out()).startsWith("removed compute.threads");
    assertThat(Files.readString(file)).isEqualTo("# my settings\nlog.level=debug\n");
    final CliRun unset = CliRun.run(dataDir, "config", "get", "rpc.url");
    assertThat(unset.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(unset.err()).contains("rpc.url is not set");
  }

  @Test
  void setAndUnsetRepairAFileThatNoLongerParses() throws Exception {
    Files.writeString(dataDir.resolve("config.properties"), "p2p.port=nope\n");
    assertThat(CliRun.run(dataDir, "config", "show").exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(CliRun.run(dataDir, "config", "set", "p2p.port", "4001").exitCode()).isZero();
    assertThat(CliRun.run(dataDir, "config", "show").out()).contains("p2p.port=4001  # file");
  }
}
