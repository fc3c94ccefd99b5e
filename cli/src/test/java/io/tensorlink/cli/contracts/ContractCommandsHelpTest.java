package io.tensorlink.cli.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.cli.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every contract command answers --help with its usage, without a chain or a wallet. */
class ContractCommandsHelpTest {
  @TempDir Path dataDir;

  @ParameterizedTest
  @CsvSource({
    "contracts deploy, --force",
    "wallet new, --password-file",
    "wallet import, --private-key-env",
    "wallet show, --offline",
    "stake add, <amount>",
    "stake unstake, <amount>",
    "stake withdraw, --password-env",
    "stake status, --address",
    "validator register, --genesis-account",
    "validator status, --address",
    "job create, --price-per-step",
    "job status, <job-id>",
    "job cancel, <job-id>",
    "job refund, <job-id>",
    "job withdraw, --keystore",
  })
  void helpShowsTheUsage(final String command, final String mentions) {
    final String[] words = command.split(" ");
    final CliRun run = CliRun.run(dataDir, words[0], words[1], "--help");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("Usage: tl-cli " + command).contains(mentions);
  }
}
