package io.tensorlink.cli.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.cli.CliRun;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.contracts.deploy.MnemonicAccounts;
import java.nio.file.Files;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
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

/**
 * The contract commands end to end against a real anvil: the suite is deployed once with
 * {@code tl-cli contracts deploy}, and every test starts from that state (anvil snapshots).
 */
class ChainCommandsTest {
  private static DeployedDevnet devnet;
  private static AnvilChain chain;
  private static Path deployments;
  private static CliRun deployed;
  private static MnemonicAccounts accounts;
  private static Web3j web3j;

  @TempDir Path dataDir;
  private String snapshot;

  @BeforeAll
  static void deploy() throws Exception {
    devnet = DeployedDevnet.start();
    chain = devnet.chain();
    web3j = devnet.web3j();
    deployments = devnet.deployments();
    accounts = devnet.accounts();
    deployed = devnet.deployed();
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
  void deployPrintsEveryTransactionAndRecordsTheSuite() {
    assertThat(deployed.exitCode()).as(deployed.err()).isZero();
    assertThat(deployed.out())
        .contains("deploying to chain 7701 as " + checksummed(0))
        .containsPattern("TensorLinkToken\\s+0x[0-9a-fA-F]{40}  tx 0x[0-9a-f]{64}, gas used [0-9,]+, block 1")
        .contains("StakeManager ", "JobEscrow ", "PoLAnchor ", "DisputeCourt ", "StakeManager.connect", "JobEscrow.connect")
        .contains("recorded " + deployments.resolve("7701.json"));
    assertThat(deployments.resolve("7701.json")).exists();
    final String token = new io.tensorlink.contracts.deploy.DeploymentStore(deployments).require(7701)
        .address(io.tensorlink.contracts.SuiteContract.TOKEN);
    assertThat(deployed.out()).as("addresses are EIP-55, as everywhere").contains("TensorLinkToken        " + Keys.toChecksumAddress(token));

    final CliRun again = cli(Map.of(), "contracts", "deploy");
    assertThat(again.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(again.err()).contains("already has a live suite").contains("--force");
  }

  @Test
  void deployAsJsonGivesEveryContractWithItsChecksummedAddress() throws Exception {
    final Path elsewhere = Files.createDirectories(dataDir.resolve("json-deployments"));
    final JsonNode d = json(CliRun.run(dataDir, "contracts", "deploy", "--json", "--rpc-url", chain.rpcUrl(),
        "--deployments", elsewhere.toString()));
    assertThat(d.get("chainId").asLong()).isEqualTo(7701);
    assertThat(d.get("deployer").asText()).isEqualTo(checksummed(0));
    assertThat(d.get("record").asText()).isEqualTo(elsewhere.resolve("7701.json").toString());
    assertThat(d.get("contracts")).hasSize(6).allSatisfy(c -> {
      assertThat(c.get("address").asText()).isEqualTo(Keys.toChecksumAddress(c.get("address").asText()));
      assertThat(c.get("transactionHash").asText()).matches("0x[0-9a-f]{64}");
      assertThat(c.get("gasUsed").asLong()).isPositive();
    });
    assertThat(d.get("wiring")).isNotEmpty();
  }

  @Test
  void stakeRegisterAndShowAValidator() {
    final CliRun staked = cli(Map.of(), "stake", "add", "40000", "--genesis-account", "1", "--yes");
    assertThat(staked.exitCode()).as(staked.err()).isZero();
    assertThat(staked.out())
        .containsPattern("approve: tx 0x[0-9a-f]{64}, gas used [0-9,]+, block \\d+")
        .containsPattern("stake: tx 0x[0-9a-f]{64}, gas used [0-9,]+, block \\d+")
        .contains("staked: 40,000 TL", "worker: yes", "validator: no");

    final CliRun registered = cli(Map.of(), "validator", "register", "--genesis-account", "1");
    assertThat(registered.exitCode()).as(registered.err()).isZero();
    assertThat(registered.out()).containsPattern("registerValidator: tx 0x[0-9a-f]{64}, gas used [0-9,]+")
        .contains("registered: yes", "active: yes", "active set: 1 of 20 validators, 40,000 TL staked");

    final CliRun status = cli(Map.of(), "stake", "status", "--address", accounts.address(1));
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out()).contains("account: " + checksummed(1), "staked: 40,000 TL", "validator: active");

    final JsonNode stake = json(cli(Map.of(), "stake", "status", "--address", accounts.address(1), "--json"));
    assertThat(stake.get("account").asText()).isEqualTo(checksummed(1));
    assertThat(stake.get("staked").asText()).isEqualTo("40000");
    assertThat(stake.get("stakedWei").asText()).isEqualTo("40000000000000000000000");
    assertThat(stake.get("validator").asText()).isEqualTo("active");
    assertThat(stake.get("worker").asBoolean()).isTrue();
    assertThat(stake.get("releaseAt").isNull()).isTrue();

    final JsonNode validator = json(cli(Map.of(), "validator", "status", "--address", accounts.address(1), "--json"));
    assertThat(validator.get("registered").asBoolean()).isTrue();
    assertThat(validator.get("activeSetSize").asInt()).isEqualTo(1);
    assertThat(validator.get("minimumStake").asText()).isEqualTo("39900");

    // Unregistering leaves the set at once; a second unregister is refused before anything is sent.
    final CliRun left = cli(Map.of(), "validator", "unregister", "--genesis-account", "1", "--yes");
    assertThat(left.exitCode()).as(left.err()).isZero();
    assertThat(left.out()).containsPattern("unregisterValidator: tx 0x[0-9a-f]{64}, gas used [0-9,]+")
        .contains("registered: no", "active: no");
    final BigInteger nonce = nonce(accounts.address(1));
    final CliRun again = cli(Map.of(), "validator", "unregister", "--genesis-account", "1", "--yes");
    assertThat(again.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(again.err()).contains("is not registered as a validator");
    assertThat(nonce(accounts.address(1))).isEqualTo(nonce);
    final CliRun back = cli(Map.of(), "validator", "register", "--genesis-account", "1");
    assertThat(back.exitCode()).as(back.err()).isZero();
    assertThat(back.out()).contains("registered: yes", "active: yes");

    // Every transaction sent is in the log file, with its hash and gas.
    assertThat(dataDir.resolve("logs").resolve("tl-cli.log")).content()
        .containsPattern("INFO .*tx stake: hash 0x[0-9a-f]{64} from 0x[0-9a-f]{40} to 0x[0-9a-f]{40}, gas used \\d+, block \\d+")
        .containsPattern("INFO .*tx registerValidator: hash 0x[0-9a-f]{64}")
        .containsPattern("INFO .*tx sent: hash 0x[0-9a-f]{64}, nonce \\d+, gas limit \\d+, gas price \\d+, to 0x[0-9a-f]{40}");
  }

  @Test
  void balanceTransferAndTheListsPeopleReachFor() {
    final CliRun balance = cli(Map.of(), "balance", accounts.address(9));
    assertThat(balance.exitCode()).as(balance.err()).isZero();
    assertThat(balance.out()).contains("account: " + checksummed(9), "ETH: 10,000 ETH", "TL: 100,000 TL", "staked: 0 TL");

    final CliRun tl = cli(Map.of(), "transfer", accounts.address(7), "250.5", "--genesis-account", "9", "--yes");
    assertThat(tl.exitCode()).as(tl.err()).isZero();
    assertThat(tl.out()).containsPattern("transfer: tx 0x[0-9a-f]{64}").contains("balance: 99,749.5 TL");
    final CliRun eth = cli(Map.of(), "transfer", accounts.address(7), "1.5", "--token", "eth", "--genesis-account", "9", "--yes");
    assertThat(eth.exitCode()).as(eth.err()).isZero();
    final JsonNode seven = json(cli(Map.of(), "balance", accounts.address(7), "--json"));
    assertThat(seven.get("tl").asText()).isEqualTo("100250.5");
    assertThat(seven.get("eth").asText()).isEqualTo("10001.5");
    final CliRun broke = cli(Map.of(), "transfer", accounts.address(7), "1000000", "--genesis-account", "9");
    assertThat(broke.err()).contains("the transfer needs 1,000,000 TL but " + checksummed(9) + " holds 99,749.5 TL; nothing was sent");

    cli(Map.of(), "stake", "add", "40000", "--genesis-account", "9", "--yes");
    cli(Map.of(), "validator", "register", "--genesis-account", "9");
    final CliRun validators = cli(Map.of(), "validator", "list");
    assertThat(validators.out()).contains(checksummed(9) + "  40,000 TL", "1 active, 40,000 TL staked in total");

    final CliRun byModel = cli(Map.of(), "job", "create", "--model", "mlp", "--budget", "10", "--price-per-step", "1",
        "--deadline", "2h", "--genesis-account", "9", "--yes");
    assertThat(byModel.exitCode()).as(byModel.err()).isZero();
    final String mlpHash = CliRun.run(dataDir, "model", "inspect", "mlp").out().lines()
        .filter(l -> l.startsWith("specHash=")).findFirst().orElseThrow().substring(9);
    assertThat(byModel.out()).contains("spec hash: " + mlpHash);
    cli(Map.of(), "job", "create", "--spec-hash", "0x" + "cd".repeat(32), "--budget", "5", "--price-per-step", "1",
        "--deadline", "2h", "--genesis-account", "6", "--yes");
    final CliRun mine = cli(Map.of(), "job", "list", "--mine", "--genesis-account", "9");
    assertThat(mine.out().lines()).singleElement().asString().contains("1", "Open", checksummed(9), "10 TL");
    assertThat(cli(Map.of(), "job", "list").out().lines()).hasSize(2).first().asString().startsWith("     2");
  }

  @Test
  void preflightErrorsSendNothing() {
    final String who = accounts.address(2);
    cli(Map.of(), "stake", "add", "100", "--genesis-account", "2", "--yes");
    final BigInteger nonce = nonce(who);

    final CliRun tooLittle = cli(Map.of(), "validator", "register", "--genesis-account", "2");
    assertThat(tooLittle.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(tooLittle.err().strip()).isEqualTo("error: " + checksummed(2)
        + " has 100 TL staked, below the validator minimum 39,900 TL ('tl-cli stake add' first); nothing was sent");

    final CliRun tooMuch = cli(Map.of(), "stake", "add", "1000000", "--genesis-account", "2");
    assertThat(tooMuch.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(tooMuch.err()).contains("staking needs 1,000,000 TL but " + checksummed(2) + " holds 99,900 TL; nothing was sent");
    assertThat(tooMuch.out()).doesNotContain("approve");

    final CliRun oneStep = cli(Map.of(), "job", "create", "--genesis-account", "2", "--spec-hash", "0x" + "ab".repeat(32),
        "--budget", "1", "--price-per-step", "2", "--deadline", "1h");
    assertThat(oneStep.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(oneStep.err()).contains("--budget 1 TL does not pay for one step at --price-per-step 2 TL");

    final CliRun past = cli(Map.of(), "job", "create", "--genesis-account", "2", "--spec-hash", "0x" + "ab".repeat(32),
        "--budget", "10", "--price-per-step", "2", "--deadline", "2001-01-01T00:00:00Z");
    assertThat(past.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(past.err()).contains("is not in the future");

    final CliRun noUnbonding = cli(Map.of(), "stake", "withdraw", "--genesis-account", "2");
    assertThat(noUnbonding.err()).contains("has nothing unbonding to withdraw; nothing was sent");
    final CliRun overUnstake = cli(Map.of(), "stake", "unstake", "101", "--genesis-account", "2");
    assertThat(overUnstake.err()).contains("cannot unstake 101 TL: " + checksummed(2) + " has 100 TL staked");

    assertThat(nonce(who)).as("no transaction was sent").isEqualTo(nonce);

    final CliRun warned = cli(Map.of(), "stake", "unstake", "99.5", "--genesis-account", "2", "--yes");
    assertThat(warned.exitCode()).as(warned.err()).isZero();
    assertThat(warned.err()).contains("warning: after this unstake 0.5 TL stays staked, below the worker minimum");
  }

  @Test
  void dryRunEstimatesAndSendsNothingThenNonceAndGasPriceAreUsed() throws Exception {
    final String who = accounts.address(8);
    final BigInteger nonce = nonce(who);
    final CliRun dry = cli(Map.of(), "stake", "add", "1000", "--genesis-account", "8", "--dry-run");
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.out())
        .contains("approve needed: StakeManager may spend 1,000 TL of your TL (allowance now 0 TL)")
        .contains("dry run: stake 1,000 TL from " + checksummed(8))
        .containsPattern("approve: to 0x[0-9a-fA-F]{40}, gas ~[0-9,]+, fee ~[0-9.]+ ETH")
        .contains("stake: to ", "dry run: nothing was sent");
    assertThat(nonce(who)).isEqualTo(nonce);

    final CliRun sent = cli(Map.of(), "stake", "add", "1000", "--genesis-account", "8", "--nonce", nonce.toString(),
        "--gas-price", "7", "--yes");
    assertThat(sent.exitCode()).as(sent.err()).isZero();
    assertThat(nonce(who)).isEqualTo(nonce.add(BigInteger.TWO));
    final String hash = sent.out().lines().filter(l -> l.startsWith("stake: tx ")).findFirst().orElseThrow().substring(10, 76);
    final var tx = web3j.ethGetTransactionByHash(hash).send().getTransaction().orElseThrow();
    assertThat(tx.getNonce()).isEqualTo(nonce.add(BigInteger.ONE));
    assertThat(tx.getGasPrice()).isEqualTo(BigInteger.valueOf(7_000_000_000L));

    final CliRun stale = cli(Map.of(), "stake", "add", "1", "--genesis-account", "8", "--nonce", nonce.toString(), "--yes");
    assertThat(stale.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(stale.err().lines()).hasSize(1);
  }

  @Test
  void aRecordOfAnotherChainWithTheSameIdIsRefused() throws Exception {
    final Path elsewhere = Files.createDirectories(dataDir.resolve("other-deployments"));
    final String record = Files.readString(deployments.resolve("7701.json"));
    final String foreign = record.replaceFirst("\"genesisBlockHash\"\\s*:\\s*\"0x[0-9a-f]{64}\"",
        "\"genesisBlockHash\" : \"0x" + "12".repeat(32) + "\"");
    assertThat(foreign).isNotEqualTo(record);
    Files.writeString(elsewhere.resolve("7701.json"), foreign);
    final CliRun run = CliRun.run(dataDir, "stake", "status", "--address", accounts.address(1), "--rpc-url", chain.rpcUrl(),
        "--deployments", elsewhere.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(run.err()).contains("records a suite of another chain with id 7701 (genesis block 0x1212");
  }

  private static BigInteger nonce(final String address) {
    try {
      return web3j.ethGetTransactionCount(address, DefaultBlockParameterName.LATEST).send().getTransactionCount();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void unstakeThenWithdrawAfterTheUnbondingPeriod() {
    cli(Map.of(), "stake", "add", "1000", "--genesis-account", "3", "--yes");
    final CliRun unstaked = cli(Map.of(), "stake", "unstake", "10", "--genesis-account", "3", "--yes");
    assertThat(unstaked.exitCode()).as(unstaked.err()).isZero();
    assertThat(unstaked.out()).contains("staked: 990 TL").containsPattern("unbonding: 10 TL \\(release at .+Z\\)");

    final CliRun early = cli(Map.of(), "stake", "withdraw", "--genesis-account", "3");
    assertThat(early.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(early.err()).containsPattern("10 TL is still unbonding until \\d{4}-.+Z \\(chain time .+Z\\); nothing was sent");

    chain.advanceTime(604_800);
    final CliRun withdrawn = cli(Map.of(), "stake", "withdraw", "--genesis-account", "3");
    assertThat(withdrawn.exitCode()).as(withdrawn.err()).isZero();
    assertThat(withdrawn.out()).contains("withdrawn: 10 TL, balance: 99,010 TL", "unbonding: 0 TL");
  }

  @Test
  void createShowAndCancelAJob() {
    final CliRun created = cli(Map.of(), "job", "create", "--genesis-account", "4", "--spec-hash", "0x" + "ab".repeat(32),
        "--budget", "500", "--price-per-step", "0.5", "--deadline", "24h", "--yes");
    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(created.out()).containsPattern("createJob: tx 0x[0-9a-f]{64}, gas used [0-9,]+")
        .contains("job id: 1", "job 1: Open", "client: " + checksummed(4), "budget: 500 TL, price per step: 0.5 TL");

    final CliRun status = cli(Map.of(), "job", "status", "1", "--genesis-account", "4");
    assertThat(status.out()).contains("job 1: Open", "anchored blocks: 0").containsPattern("deadline: \\d{4}-\\d\\d-\\d\\dT[0-9:]+Z");
    final JsonNode job = json(cli(Map.of(), "job", "status", "1", "--json"));
    assertThat(job.get("jobId").asInt()).isEqualTo(1);
    assertThat(job.get("status").asText()).isEqualTo("Open");
    assertThat(job.get("client").asText()).isEqualTo(checksummed(4));
    assertThat(job.get("budget").asText()).isEqualTo("500");
    assertThat(job.get("pricePerStep").asText()).isEqualTo("0.5");
    assertThat(job.get("deadline").asText()).endsWith("Z");

    final CliRun notMine = cli(Map.of(), "job", "cancel", "1", "--genesis-account", "5");
    assertThat(notMine.err()).contains("job 1 belongs to " + checksummed(4) + ", not " + checksummed(5) + "; nothing was sent");

    final CliRun cancelled = cli(Map.of(), "job", "cancel", "1", "--genesis-account", "4");
    assertThat(cancelled.exitCode()).as(cancelled.err()).isZero();
    assertThat(cancelled.out()).contains("refund credited: 500 TL", "job 1: Cancelled");

    final CliRun twice = cli(Map.of(), "job", "cancel", "1", "--genesis-account", "4");
    assertThat(twice.err()).contains("job 1 is Cancelled; only an Open or Active job can be cancelled");

    final CliRun withdrawn = cli(Map.of(), "job", "withdraw", "--genesis-account", "4");
    assertThat(withdrawn.exitCode()).as(withdrawn.err()).isZero();
    assertThat(withdrawn.out()).contains("withdrawn: 500 TL, balance: 100,000 TL");
    assertThat(cli(Map.of(), "job", "status", "9", "--genesis-account", "4").err()).contains("there is no job 9 (job count 1)");
  }

  @Test
  void anExpiredJobIsRefundedByAnyone() {
    final CliRun created = cli(Map.of(), "job", "create", "--genesis-account", "6", "--spec-hash", "0x" + "01".repeat(32),
        "--budget", "50", "--price-per-step", "1", "--deadline", "1h", "--json", "--yes");
    assertThat(json(created).get("jobId").asInt()).as("stdout is the JSON object alone").isEqualTo(1);
    assertThat(created.err()).contains("approve needed: JobEscrow may spend 50 TL").containsPattern("createJob: tx 0x[0-9a-f]{64}");
    final CliRun early = cli(Map.of(), "job", "refund", "1", "--genesis-account", "7");
    // Not checked locally: the simulation's revert comes back decoded, in human units, and costs nothing.
    assertThat(early.err()).containsPattern("refund reverted: JobEscrowDeadlineNotPassed\\(jobId=1, deadline=\\d{4}-\\d\\d-\\d\\dT[0-9:]+Z\\)");

    chain.advanceTime(3_601);
    final CliRun refunded = cli(Map.of(), "job", "refund", "1", "--genesis-account", "7");
    assertThat(refunded.exitCode()).as(refunded.err()).isZero();
    assertThat(refunded.out()).contains("refund credited to the client: 50 TL", "job 1: Refunded");
  }

  @Test
  void aKeystoreAccountStakesWithItsPasswordAndAWrongPasswordIsRefused() {
    final String key = accounts.account(5).getEcKeyPair().getPrivateKey().toString(16);
    final Map<String, String> env = Map.of("TL_KEY", key, "TL_PW", "s3cret", "TL_BAD", "nope");
    final CliRun imported = CliRun.run(dataDir, env, "wallet", "import", "--private-key-env", "TL_KEY", "--password-env", "TL_PW", "--Xlight-kdf");
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(imported.out()).containsIgnoringCase("imported " + accounts.address(5)).doesNotContain(key);

    final CliRun staked = cli(env, "stake", "add", "1000", "--password-env", "TL_PW", "--yes");
    assertThat(staked.exitCode()).as(staked.err()).isZero();
    assertThat(staked.out()).contains("staked: 1,000 TL");

    final CliRun wrong = cli(env, "stake", "add", "1", "--password-env", "TL_BAD");
    assertThat(wrong.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(wrong.err()).contains("wrong password for keystore").doesNotContain("nope");

    final CliRun shown = cli(env, "wallet", "show");
    assertThat(shown.exitCode()).as(shown.err()).isZero();
    assertThat(shown.out()).containsIgnoringCase(accounts.address(5)).contains("chain 7701:", "99,000 TL, staked 1,000 TL");
    final JsonNode wallet = json(cli(env, "wallet", "show", "--json"));
    assertThat(wallet.get("chainId").asLong()).isEqualTo(7701);
    assertThat(wallet.get("chainError").isNull()).isTrue();
    final JsonNode five = wallet.get("accounts").get(0);
    assertThat(five.get("address").asText()).isEqualTo(checksummed(5));
    assertThat(five.get("eth").asText()).startsWith("9999.99");
    assertThat(five.get("tl").asText()).isEqualTo("99000");
    assertThat(five.get("tlWei").asText()).isEqualTo("99000000000000000000000");
    assertThat(five.get("staked").asText()).isEqualTo("1000");
    assertThat(five.get("stakedWei").asText()).isEqualTo("1000000000000000000000");
  }

  @Test
  void keystoreSelectionErrorsNameTheFilesAndTheFix() {
    final Map<String, String> env = Map.of("TL_PW", "pw");
    final CliRun none = cli(env, "stake", "add", "1", "--password-env", "TL_PW");
    assertThat(none.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(none.err()).contains("no keystore in " + dataDir.resolve("keystore"), "tl-cli wallet new");

    CliRun.run(dataDir, env, "wallet", "new", "--password-env", "TL_PW", "--Xlight-kdf");
    CliRun.run(dataDir, env, "wallet", "new", "--password-env", "TL_PW", "--Xlight-kdf");
    final CliRun several = cli(env, "stake", "add", "1", "--password-env", "TL_PW");
    assertThat(several.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(several.err()).contains("several keystores in", "pick one with --keystore");

    final CliRun missing = cli(env, "stake", "add", "1", "--password-env", "TL_PW", "--keystore", dataDir.resolve("nope.json").toString());
    assertThat(missing.err()).contains("no keystore file at " + dataDir.resolve("nope.json"));

    // With several keystores, --from picks one by address (or by the start of its file name).
    final String key = accounts.account(6).getEcKeyPair().getPrivateKey().toString(16);
    assertThat(CliRun.run(dataDir, Map.of("TL_KEY", key, "TL_PW", "pw"), "wallet", "import", "--private-key-env", "TL_KEY",
        "--password-env", "TL_PW", "--Xlight-kdf").exitCode()).isZero();
    final CliRun chosen = cli(env, "stake", "add", "5", "--from", checksummed(6), "--password-env", "TL_PW", "--yes");
    assertThat(chosen.exitCode()).as(chosen.err()).isZero();
    assertThat(chosen.out()).contains("account: " + checksummed(6), "staked: 5 TL");
    final CliRun unknown = cli(env, "stake", "add", "5", "--from", checksummed(7), "--password-env", "TL_PW", "--yes");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(unknown.err()).contains("no keystore for " + checksummed(7), "'tl-cli wallet list' shows them");
    final CliRun ambiguous = cli(env, "stake", "add", "5", "--from", "UTC--", "--password-env", "TL_PW", "--yes");
    assertThat(ambiguous.err()).contains("several keystores named 'UTC--…'");
  }

  @Test
  void genesisKeysAreRefusedOffTheDevnetChain() {
    final CliRun bad = cli(Map.of(), "stake", "add", "1", "--genesis-account", "99");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains("--genesis-account must be 0..9, got 99");
    final CliRun amount = cli(Map.of(), "stake", "add", "-5", "--genesis-account", "1");
    assertThat(amount.exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  private static JsonNode json(final CliRun run) {
    assertThat(run.exitCode()).as(run.err()).isZero();
    try {
      return new ObjectMapper().readTree(run.out());
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + run.out(), e);
    }
  }

  private static String checksummed(final int account) {
    return Keys.toChecksumAddress(accounts.address(account));
  }

  private CliRun cli(final Map<String, String> env, final String... args) {
    final List<String> argv = new ArrayList<>(List.of(args));
    argv.addAll(List.of("--rpc-url", chain.rpcUrl(), "--deployments", deployments.toString()));
    return CliRun.run(dataDir, env, argv.toArray(String[]::new));
  }
}
