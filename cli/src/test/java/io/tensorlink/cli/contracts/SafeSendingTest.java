package io.tensorlink.cli.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.tensorlink.cli.CliRun;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.deploy.Deployment;
import io.tensorlink.contracts.deploy.MnemonicAccounts;
import io.tensorlink.contracts.SuiteContract;
import io.tensorlink.contracts.revert.RevertDecoder;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * What guards value before it moves, on a real anvil: the call after an approve is simulated with
 * the allowance already in place (an eth_call state override), so no approve is mined for a call
 * that would revert; a node that rejects state overrides gets a note and the local checks; off a
 * terminal, value moves only with --yes. The prompt on a terminal is {@code ConfirmPromptIT}.
 */
class SafeSendingTest {
  /** StakeManager's {@code _totalBonded} ({@code forge inspect StakeManager storageLayout}). */
  private static final long TOTAL_BONDED_SLOT = 10;
  private static final String MAX_WORD = "0x" + "ff".repeat(32);

  private static DeployedDevnet devnet;
  private static AnvilChain chain;
  private static Web3j web3j;
  private static Path deployments;
  private static Deployment deployment;
  private static MnemonicAccounts accounts;

  @TempDir Path dataDir;
  private String snapshot;

  @BeforeAll
  static void deploy() throws Exception {
    devnet = DeployedDevnet.start();
    chain = devnet.chain();
    web3j = devnet.web3j();
    deployments = devnet.deployments();
    accounts = devnet.accounts();
    final CliRun deployed = devnet.deployed();
    assertThat(deployed.exitCode()).as(deployed.err()).isZero();
    deployment = devnet.deployment();
  }

  @AfterAll
  static void stop() {
    if (devnet != null) {
      devnet.close();
    }
  }

  @BeforeEach
  void mark() {
    snapshot = chain.snapshot();
  }

  @AfterEach
  void rewind() {
    chain.revert(snapshot);
  }

  @Test
  void theOverriddenSlotIsWhereTheDeployedTokenKeepsAllowances() throws Exception {
    final String token = deployment.address(SuiteContract.TOKEN);
    final String spender = deployment.address(SuiteContract.STAKE_MANAGER);
    final ContractSuite seven = ContractSuite.connect(web3j, accounts.account(7), deployment);
    seven.token().approve(spender, BigInteger.valueOf(123_456)).send();

    final String key = AllowanceSimulation.allowanceKey(accounts.address(7), spender);
    final String stored = web3j.ethGetStorageAt(token, Numeric.toBigInt(key), DefaultBlockParameterName.LATEST).send().getData();
    assertThat(Numeric.toBigInt(stored)).as("a real approve wrote its amount at the computed key").isEqualTo(BigInteger.valueOf(123_456));

    // The simulation itself: stake passes once 1,000 TL are allowed, though nothing is approved for account 8.
    final ContractSuite eight = ContractSuite.connect(web3j, accounts.account(8), deployment);
    final BigInteger amount = BigInteger.TEN.pow(21);
    final AllowanceSimulation.Outcome outcome = new AllowanceSimulation(new HttpService(chain.rpcUrl()), RevertDecoder.forSuite())
        .simulate(new AllowanceSimulation.Grant(token, accounts.address(8), spender, amount), spender,
            eight.stakeManager().stake(amount).encodeFunctionCall());
    assertThat(outcome).isInstanceOfSatisfying(AllowanceSimulation.Outcome.Passes.class, p -> assertThat(p.gas()).isPositive());
    assertThat(eight.token().allowance(accounts.address(8), spender).send()).as("a simulation changes nothing").isZero();
  }

  @Test
  void aCallThatWouldRevertOnceApprovedMinesNoApprove() throws Exception {
    // _totalBonded at its maximum: any stake overflows, which no local check (balance, gas money) can see.
    chain.setStorageAt(deployment.address(SuiteContract.STAKE_MANAGER), TOTAL_BONDED_SLOT, MAX_WORD);
    final BigInteger nonce = nonce(8);

    final CliRun refused = cli(chain.rpcUrl(), "stake", "add", "1000", "--genesis-account", "8", "--yes");
    assertThat(refused.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(refused.err().strip()).startsWith("error: stake would revert even once approved: Panic(")
        .contains("arithmetic").endsWith("; nothing was sent (no approve mined)");
    assertThat(refused.out()).contains("approve needed").doesNotContain("approve: tx");
    assertThat(nonce(8)).as("no approve was mined").isEqualTo(nonce);
    assertThat(allowance(8)).isZero();

    final CliRun dry = cli(chain.rpcUrl(), "stake", "add", "1000", "--genesis-account", "8", "--dry-run");
    assertThat(dry.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(dry.err()).contains("dry run: stake would revert even once approved: Panic(");
    assertThat(nonce(8)).isEqualTo(nonce);
  }

  @Test
  void aDryRunEstimatesTheCallAfterTheApprove() {
    final CliRun dry = cli(chain.rpcUrl(), "stake", "add", "1000", "--genesis-account", "8", "--dry-run");
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.out()).containsPattern("  approve: to 0x[0-9a-fA-F]{40}, gas ~[0-9,]+, fee ~")
        .containsPattern("  stake: to 0x[0-9a-fA-F]{40}, gas ~[0-9,]+, fee ~")
        .doesNotContain("not estimable");
  }

  @Test
  void aNodeWithoutStateOverridesGetsANoteAndTheLocalChecks() throws Exception {
    try (NoOverrideProxy proxy = NoOverrideProxy.to(chain.rpcUrl())) {
      final BigInteger nonce = nonce(8);
      final CliRun sent = cli(proxy.url(), "stake", "add", "1000", "--genesis-account", "8", "--yes");
      assertThat(sent.exitCode()).as(sent.err()).isZero();
      assertThat(sent.err()).contains("note: could not simulate stake with the allowance in place (the node refused an eth_call"
          + " with a state override: too many arguments, want at most 2); relying on the local checks");
      assertThat(sent.out()).containsPattern("approve: tx 0x[0-9a-f]{64}").containsPattern("stake: tx 0x[0-9a-f]{64}");
      assertThat(nonce(8)).isEqualTo(nonce.add(BigInteger.TWO));

      // Without the simulation, a revert the local checks miss costs an approve: what the override prevents.
      chain.setStorageAt(deployment.address(SuiteContract.STAKE_MANAGER), TOTAL_BONDED_SLOT, MAX_WORD);
      final CliRun blind = cli(proxy.url(), "stake", "add", "5", "--genesis-account", "7", "--yes");
      assertThat(blind.exitCode()).isEqualTo(ExitCodes.FAILURE);
      assertThat(blind.out()).containsPattern("approve: tx 0x[0-9a-f]{64}");
      assertThat(blind.err()).contains("stake reverted: Panic(");
      assertThat(allowance(7)).isEqualTo(BigInteger.valueOf(5).multiply(BigInteger.TEN.pow(18)));
    }
  }

  @Test
  void offATerminalValueMovesOnlyWithYes() {
    final BigInteger nonce = nonce(9);
    final String to = Keys.toChecksumAddress(accounts.address(7));
    for (final Map<String, String> env : List.of(Map.<String, String>of(), Map.of("TL_STDIN_TTY", "0"))) {
      final CliRun refused = CliRun.run(dataDir, env, "transfer", to, "10", "--genesis-account", "9",
          "--rpc-url", chain.rpcUrl(), "--deployments", deployments.toString());
      assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
      assertThat(refused.err().strip()).isEqualTo("error: not sending without a confirmation: stdin is not a terminal to ask on;"
          + " add --yes to send 10 TL to " + to + " (or --dry-run to preview); nothing was sent");
    }
    final CliRun stake = cli(chain.rpcUrl(), "stake", "add", "10", "--genesis-account", "9");
    assertThat(stake.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(stake.err()).contains("add --yes to stake 10 TL from ");
    final CliRun eth = cli(chain.rpcUrl(), "transfer", to, "1", "--token", "ETH", "--genesis-account", "9");
    assertThat(eth.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(nonce(9)).as("nothing was sent").isEqualTo(nonce);

    assertThat(cli(chain.rpcUrl(), "transfer", to, "10", "--genesis-account", "9", "--dry-run").exitCode()).isZero();
    final CliRun yes = cli(chain.rpcUrl(), "transfer", to, "10", "--genesis-account", "9", "-y");
    assertThat(yes.exitCode()).as(yes.err()).isZero();
    assertThat(nonce(9)).isEqualTo(nonce.add(BigInteger.ONE));
  }

  private CliRun cli(final String rpcUrl, final String... args) {
    final List<String> argv = new ArrayList<>(List.of(args));
    argv.addAll(List.of("--rpc-url", rpcUrl, "--deployments", deployments.toString()));
    return CliRun.run(dataDir, argv.toArray(String[]::new));
  }

  private static BigInteger nonce(final int account) {
    try {
      return web3j.ethGetTransactionCount(accounts.address(account), DefaultBlockParameterName.LATEST).send().getTransactionCount();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static BigInteger allowance(final int account) throws Exception {
    return ContractSuite.connect(web3j, accounts.account(account), deployment).token()
        .allowance(accounts.address(account), deployment.address(SuiteContract.STAKE_MANAGER)).send();
  }

  /**
   * A JSON-RPC endpoint on loopback that forwards to anvil but, like a node without state
   * overrides, refuses an eth_call or eth_estimateGas given a third parameter (geth's message).
   */
  private static final class NoOverrideProxy implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    private NoOverrideProxy(final HttpServer server) {
      this.server = server;
    }

    static NoOverrideProxy to(final String upstream) throws IOException {
      final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      final NoOverrideProxy proxy = new NoOverrideProxy(server);
      server.createContext("/", exchange -> {
        final byte[] body = exchange.getRequestBody().readAllBytes();
        final JsonNode request = JSON.readTree(body);
        final String method = request.path("method").asText();
        final byte[] answer;
        if ((method.equals("eth_call") || method.equals("eth_estimateGas")) && request.path("params").size() > 2) {
          answer = JSON.writeValueAsBytes(Map.of("jsonrpc", "2.0", "id", request.path("id"),
              "error", Map.of("code", -32602, "message", "too many arguments, want at most 2")));
        } else {
          answer = proxy.forward(upstream, body);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      });
      server.start();
      return proxy;
    }

    private byte[] forward(final String upstream, final byte[] body) throws IOException {
      try {
        return client.send(HttpRequest.newBuilder(URI.create(upstream)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
      client.close();
    }
  }
}
