package io.tensorlink.cli.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.cli.CliRun;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.Launcher;
import io.tensorlink.contracts.deploy.MnemonicAccounts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * The confirmation prompt of a value-moving command, through bin/tl-cli on a real pseudo-terminal
 * ({@code script} from util-linux gives the command a pty for stdin, stdout and stderr), against a
 * real anvil: "n" sends nothing, "y" sends; with stdin a pipe the command refuses without --yes.
 */
class ConfirmPromptIT {
  private static final String PROMPT = "? [y/N] ";

  private static DeployedDevnet devnet;
  private static AnvilChain chain;
  private static Web3j web3j;
  private static Path deployments;
  private static MnemonicAccounts accounts;

  @TempDir Path dataDir;

  @BeforeAll
  static void deploy() throws Exception {
    Assumptions.assumeTrue(Launcher.ptyAvailable(), "util-linux script (/usr/bin/script) is not installed: no pty to test the prompt on");
    devnet = DeployedDevnet.start();
    chain = devnet.chain();
    web3j = devnet.web3j();
    deployments = devnet.deployments();
    accounts = devnet.accounts();
    final CliRun deployed = devnet.deployed();
    assertThat(deployed.exitCode()).as(deployed.err()).isZero();
  }

  @AfterAll
  static void stop() {
    if (devnet != null) {
      devnet.close();
    }
  }

  @Test
  void answeringNoSendsNothingAndYesSends() throws Exception {
    final BigInteger nonce = nonce(9);
    final String to = Keys.toChecksumAddress(accounts.address(7));

    final Answered no = onATerminal("n", "transfer", to, "25", "--genesis-account", "9");
    assertThat(no.screen()).contains("send 25 TL to " + to + PROMPT).contains("error: cancelled: nothing was sent");
    assertThat(no.exitCode()).as(no.screen()).isEqualTo(ExitCodes.FAILURE);
    assertThat(nonce(9)).as("nothing was sent").isEqualTo(nonce);

    final Answered yes = onATerminal("y", "transfer", to, "25", "--genesis-account", "9");
    assertThat(yes.exitCode()).as(yes.screen()).isZero();
    assertThat(yes.screen()).contains("send 25 TL to " + to + PROMPT).containsPattern("transfer: tx 0x[0-9a-f]{64}")
        .contains("balance: 99,975 TL");
    assertThat(nonce(9)).isEqualTo(nonce.add(BigInteger.ONE));

    // The approve and the stake are confirmed once, after the stake was simulated with the allowance in place.
    final Answered staked = onATerminal("yes", "stake", "add", "1000", "--genesis-account", "9");
    assertThat(staked.exitCode()).as(staked.screen()).isZero();
    assertThat(staked.screen()).containsOnlyOnce(PROMPT).contains("staked: 1,000 TL");
    assertThat(nonce(9)).isEqualTo(nonce.add(BigInteger.valueOf(3)));
  }

  @Test
  void withStdinAPipeTheLauncherRefusesWithoutYes() throws Exception {
    final BigInteger nonce = nonce(8);
    final Launcher.Result r = new Launcher(dataDir).run(Map.of(), "transfer", accounts.address(7), "5", "--genesis-account", "8",
        "--rpc-url", chain.rpcUrl(), "--deployments", deployments.toString());
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("stdin is not a terminal to ask on; add --yes to send 5 TL to");
    assertThat(nonce(8)).isEqualTo(nonce);
  }

  /** What the terminal showed (stdout and stderr, the typed answer echoed) and the exit code. */
  private record Answered(int exitCode, String screen) {}

  /** Runs bin/tl-cli on a pty, types {@code answer} once the prompt shows, and waits for the end. */
  private Answered onATerminal(final String answer, final String... args) throws Exception {
    final List<String> argv = new java.util.ArrayList<>(List.of(args));
    argv.addAll(List.of("--rpc-url", chain.rpcUrl(), "--deployments", deployments.toString()));
    final Process p = new Launcher(dataDir).startOnAPty(argv.toArray(String[]::new));
    final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    final CountDownLatch prompted = new CountDownLatch(1);
    final Thread reader = Thread.ofVirtual().start(() -> {
      try (InputStream in = p.getInputStream()) {
        final byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) > 0; ) {
          synchronized (screen) {
            screen.write(buf, 0, n);
            if (screen.toString(StandardCharsets.UTF_8).contains(PROMPT)) {
              prompted.countDown();
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    try (OutputStream typed = p.getOutputStream()) {
      assertThat(prompted.await(2, TimeUnit.MINUTES)).as("the prompt showed: %s", screen).isTrue();
      typed.write((answer + "\n").getBytes(StandardCharsets.UTF_8));
      typed.flush();
      assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("tl-cli finished").isTrue();
    }
    reader.join();
    return new Answered(p.exitValue(), screen.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
  }

  private static BigInteger nonce(final int account) {
    try {
      return web3j.ethGetTransactionCount(accounts.address(account), DefaultBlockParameterName.LATEST).send().getTransactionCount();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
