package io.tensorlink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad numbers, wrong endpoints and damaged files: one line, the flag named, the same exit code everywhere. */
class UsageErrorsTest {
  private static final String ADDRESS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  @TempDir Path dataDir;

  @Test
  void outOfRangeNumbersAreUsageErrorsNamingTheParameter() {
    assertUsage(CliRun.run(dataDir, "stake", "add", "1e80"), "<amount>", "does not fit in 256 bits");
    assertUsage(CliRun.run(dataDir, "stake", "add", "0"), "<amount>", "must be a positive TL amount");
    assertUsage(CliRun.run(dataDir, "job", "status", "-1"), "<job-id>", "is negative");
    assertUsage(CliRun.run(dataDir, "job", "status", "1".repeat(80)), "<job-id>", "does not fit in 256 bits");
    assertUsage(CliRun.run(dataDir, "job", "create", "--spec-hash", "0x00", "--budget", "1e90", "--price-per-step", "1", "--deadline", "1h"),
        "--budget", "does not fit in 256 bits");
    assertUsage(CliRun.run(dataDir, "train", "--model", "mlp", "--batch", "99999999999"), "--batch", "99999999999");
    assertUsage(CliRun.run(dataDir, "stake", "add", "1", "--nonce", "-1"), "--nonce", "is negative");
    assertUsage(CliRun.run(dataDir, "stake", "add", "1", "--gas-price", "1e9"), "--gas-price", "must be between 0 and 1000000 gwei");
    assertUsage(CliRun.run(dataDir, "devnet", "mine", "-5"), "<n>", "must be 1..100000");
    assertUsage(CliRun.run(dataDir, "pol", "block", "1", "99999999999999999999999"), "<index>", "is not a block index");
    assertUsage(CliRun.run(dataDir, "devnet", "up", "--port", "70000"), "--port", "'70000' is not a TCP port (0 to 65535)");
    assertUsage(CliRun.run(dataDir, "p2p", "id", "--port", "-1"), "--port", "'-1' is not a TCP port (0 to 65535)");
  }

  @Test
  void nodeStartRefusesBadNetworkOptionsBeforeAnyChainIsContacted() {
    assertUsage(CliRun.run(dataDir, "node", "start", "--roles", "client", "--dht", "full"), "--dht",
        "must be server, client or off, got full");
    assertUsage(CliRun.run(dataDir, "node", "start", "--roles", "client", "--reachability", "nat"), "--reachability",
        "must be auto, public or private, got nat");
    assertUsage(CliRun.run(dataDir, "node", "start", "--roles", "client", "--peers-target", "-1"), "--peers-target",
        "must be 0..1000, got -1");
    assertUsage(CliRun.run(dataDir, "node", "start", "--roles", "client", "--dht-walk", "0"), "--dht-walk",
        "must be >= 1 second, got 0");
  }

  @Test
  void nodeStartRefusesBadXmrOptionsBeforeAnyChainIsContacted() {
    assertUsage(CliRun.run(dataDir, "node", "start", "--roles", "worker", "--xmr-daemon", "127.0.0.1:18081"),
        "--xmr-daemon", "apply with --xmr only");
    // No devnet monero in this data dir, and no --xmr-daemon: says what to give.
    final CliRun noDaemon = CliRun.run(dataDir, "node", "start", "--roles", "worker", "--xmr");
    assertThat(noDaemon.exitCode()).as(noDaemon.err()).isIn(ExitCodes.NOT_RUNNING, ExitCodes.CONFIG);
    assertThat(noDaemon.err()).containsAnyOf("give --xmr-daemon <host:port>", "--xmr needs monero-wallet-rpc");
    final CliRun noPayoutAddress = CliRun.run(dataDir, "node", "start", "--roles", "worker", "--xmr", "--xmr-daemon",
        "127.0.0.1:18081");
    assertThat(noPayoutAddress.exitCode()).as(noPayoutAddress.err()).isEqualTo(ExitCodes.CONFIG);
    assertThat(noPayoutAddress.err()).containsAnyOf("tl-cli config set xmr.payout-address", "--xmr needs monero-wallet-rpc");
  }

  @Test
  void aMalformedAddressIsAUsageErrorBeforeAnyChainIsContacted() {
    // No chain runs here: the address is refused while parsing, not after "no chain to talk to".
    assertUsage(CliRun.run(dataDir, "transfer", "0xzz", "1"), "<to>", "'0xzz' is not an address (0x and 40 hex digits)");
    assertUsage(CliRun.run(dataDir, "balance", "nothex"), "<address>", "'nothex' is not an address");
    assertUsage(CliRun.run(dataDir, "devnet", "fund", "0x1234"), "<address>", "'0x1234' is not an address");
    assertUsage(CliRun.run(dataDir, "stake", "status", "--address", "0x12"), "--address", "'0x12' is not an address");
  }

  @Test
  void anEndpointThatAnswersHtmlIsNotAJsonRpcEndpoint() throws IOException {
    final HttpServer web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    web.createContext("/", exchange -> {
      final byte[] page = "<!doctype html><html><body>hello</body></html>".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/html");
      exchange.sendResponseHeaders(200, page.length);
      exchange.getResponseBody().write(page);
      exchange.close();
    });
    web.start();
    try {
      final String url = "http://127.0.0.1:" + web.getAddress().getPort() + "/";
      final CliRun run = CliRun.run(dataDir, "stake", "status", "--address", ADDRESS, "--rpc-url", url);
      assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
      assertThat(run.err().strip().lines()).singleElement().asString()
          .isEqualTo("error: " + url + " is not a JSON-RPC endpoint (check --rpc-url / rpc.url)");
    } finally {
      web.stop(0);
    }
  }

  @Test
  void aDamagedDevnetStateIsAConfigurationErrorFromEveryCommand() throws IOException {
    Files.writeString(dataDir.resolve("devnet.json"), "{not json");
    for (final String[] args : new String[][] {{"devnet", "status"}, {"devnet", "up"}, {"stake", "status", "--address", ADDRESS}}) {
      final CliRun run = CliRun.run(dataDir, args);
      assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isEqualTo(ExitCodes.CONFIG);
      assertThat(run.err()).contains("unreadable devnet state").doesNotContain("\tat ");
    }
  }

  @Test
  void noChainIsNotRunning() {
    final CliRun run = CliRun.run(dataDir, "stake", "status", "--address", ADDRESS);
    assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_RUNNING);
    assertThat(run.err()).contains("no chain to talk to");
  }

  private static void assertUsage(final CliRun run, final String parameter, final String why) {
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err().strip().lines()).singleElement().asString().startsWith("error: ").contains(parameter, why);
  }
}
