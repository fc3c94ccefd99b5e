package io.tensorlink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlCliTest {
  @TempDir Path dataDir;

  @Test
  void helpListsTheCommandGroupsAndExitCodes() {
    final CliRun run = CliRun.run(null, "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: tl-cli", "devnet", "config", "generate-completion", "Exit codes:");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void versionNamesTheProjectVersionAndJvm() {
    final CliRun run = CliRun.run(null, "--version");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("tl-cli ").contains("JVM " + Runtime.version().feature());
    assertThat(CliRun.run(null, "stake", "add", "-V").out()).isEqualTo(run.out());
  }

  @Test
  void anUnknownOptionIsOneLineWithAPointerToHelp() {
    final CliRun run = CliRun.run(dataDir, "devnet", "up", "--bogus");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err().strip().lines()).singleElement().asString()
        .isEqualTo("error: unknown option '--bogus' (see 'tl-cli devnet up --help')");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    final CliRun run = CliRun.run(dataDir, "frobnicate");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).startsWith("error: unknown command 'frobnicate' (see 'tl-cli --help')");
  }

  @Test
  void noCommandIsAUsageError() {
    final CliRun run = CliRun.run(null);
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("error: a command is required: devnet, config,");
  }

  @Test
  void aRuntimeFailureIsOneLineAndTheTraceOnlyWithVerbose() throws Exception {
    final Path notADir = Files.writeString(dataDir.resolve("file"), "x");
    final CliRun quiet = CliRun.run(notADir, "config", "show");
    assertThat(quiet.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(quiet.err().strip().lines()).singleElement().asString().startsWith("error: cannot create data dir " + notADir);

    final CliRun verbose = CliRun.run(notADir, "config", "show", "--verbose");
    assertThat(verbose.err()).startsWith("error: cannot create data dir").contains("\tat io.tensorlink.cli.");
  }

  @Test
  void completionScriptIsGeneratedForEveryCommand() {
    final CliRun run = CliRun.run(null, "generate-completion");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("complete -F _complete_tl-cli", "devnet", "status", "unstake", "--price-per-step");
  }

  @Test
  void theLogFileLandsInTheDataDir() {
    final CliRun run = CliRun.run(dataDir, "config", "show");
    assertThat(run.exitCode()).isZero();
    assertThat(dataDir.resolve("logs").resolve("tl-cli.log")).exists();
  }
}
