package io.tensorlink.cli.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensorlink.chain.job.market.SavedJob;
import io.tensorlink.chain.pol.JobSpec;
import io.tensorlink.chain.pol.work.DatasetCommitment;
import io.tensorlink.cli.CliRun;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.contracts.SuiteContract;
import io.tensorlink.contracts.deploy.DeploymentStore;
import io.tensorlink.contracts.deploy.MnemonicAccounts;
import io.tensorlink.contracts.generated.JobEscrow;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * {@code job create} with a full job spec against a real anvil: the dry run's cost preview, spec
 * validation errors that name the field and send nothing (the nonce is unchanged), and a created
 * job whose on-chain paramsHash and verification terms are the saved spec's.
 */
class JobCreateSpecTest {
  private static DeployedDevnet devnet;
  private static AnvilChain chain;
  private static Path deployments;
  private static MnemonicAccounts accounts;
  private static Web3j web3j;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;

  @BeforeAll
  static void deploy() throws Exception {
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

  private static final List<String> FULL = List.of("job", "create", "--model", "mlp", "--dataset", "synthetic:256",
      "--steps", "20", "--batch", "8", "--stages", "2", "--replicas", "2", "--verify-rate", "0.1",
      "--price-per-step", "1", "--deadline", "2h");

  @Test
  void dryRunPrintsTheFullCostPreviewAndSendsNothing() throws Exception {
    final BigInteger nonce = nonce(3);
    final CliRun dry = cli(FULL, "--budget", "100", "--genesis-account", "3", "--dry-run");
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.out())
        .contains("job: 20 steps × 2 stages × 2 replicas = 80 records, batch 8, verify rate 100000 ppm, paramsHash 0x")
        .contains("cost: at most 20 TL spent of the 100 TL budget (20 steps at 1 TL, each shared by its records' "
            + "workers); validator fees 1 TL (500 bps), protocol fee 0.2 TL (100 bps), workers 18.8 TL; refundable at "
            + "least 80 TL")
        .containsPattern("approve: to 0x[0-9a-fA-F]{40}, gas ~[0-9,]+, fee ~[0-9.]+ ETH")
        .contains("createJob: to ", "dry run: nothing was sent");

    final CliRun asJson = cli(FULL, "--budget", "100", "--genesis-account", "3", "--dry-run", "--json");
    assertThat(asJson.exitCode()).as(asJson.err()).isZero();
    final JsonNode facts = JSON.readTree(asJson.out());
    assertThat(facts.get("records").asLong()).isEqualTo(80);
    assertThat(facts.get("maxSpent").asText()).as("the escrow pays the price once per step").isEqualTo("20");
    assertThat(facts.get("toWorkers").asText()).isEqualTo("18.8");
    assertThat(facts.get("dryRun").asBoolean()).isTrue();
    assertThat(nonce(3)).as("nothing was sent").isEqualTo(nonce);
  }

  @Test
  void specsThatFailValidationNameTheFieldAndSendNothing() throws Exception {
    final BigInteger nonce = nonce(4);
    final CliRun clipped = cli(FULL, "--budget", "100", "--genesis-account", "4", "--grad-clip", "1");
    assertThat(clipped.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(clipped.err()).contains("invalid job spec: gradClip must be 0 with 2 stages");

    final CliRun poor = cli(FULL, "--budget", "10", "--genesis-account", "4");
    assertThat(poor.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(poor.err()).contains("--budget 10 TL does not pay for the job's 20 steps at 1 TL each: it needs 20 TL");

    final List<String> overRate = new ArrayList<>(FULL);
    overRate.set(overRate.indexOf("0.1"), "1.5");
    final CliRun rate = cli(overRate, "--budget", "100", "--genesis-account", "4");
    assertThat(rate.err()).contains("--verify-rate must be in (0, 1], got 1.5");

    final CliRun noSteps = cli(List.of("job", "create", "--model", "mlp", "--dataset", "synthetic:64",
        "--price-per-step", "1", "--deadline", "2h"), "--budget", "100", "--genesis-account", "4");
    assertThat(noSteps.err()).contains("--dataset needs --steps");

    final Path bad = dataDir.resolve("bad.json");
    Files.writeString(bad, validSpec().canonicalJson().replace("\"seed\":1,", ""));
    final CliRun missing = cli(List.of("job", "create", "--spec", bad.toString(), "--deadline", "2h"),
        "--budget", "100", "--genesis-account", "4");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("invalid job spec " + bad + ": job spec: missing key 'seed'");

    assertThat(nonce(4)).as("nothing was sent").isEqualTo(nonce);
  }

  @Test
  void aCreatedJobStoresTheSpecsParamsHashAndVerificationTerms() throws Exception {
    final CliRun created = cli(FULL, "--budget", "100", "--genesis-account", "5", "--yes", "--json");
    assertThat(created.exitCode()).as(created.err()).isZero();
    final BigInteger jobId = new BigInteger(JSON.readTree(created.out()).get("jobId").asText());
    final Path saved = dataDir.resolve("jobs").resolve(jobId + ".json");
    final JobSpec spec = JobSpec.parse(Files.readString(saved));
    assertThat(spec.stages()).isEqualTo(2);
    assertThat(spec.verifyRatePpm()).isEqualTo(100_000);

    // What the node's client role reads back: the spec and a data source that opens to the spec's dataset.
    final SavedJob forClient = SavedJob.read(dataDir.resolve("jobs"), jobId);
    assertThat(forClient.spec()).isEqualTo(spec);
    assertThat(forClient.datasetSource()).isEqualTo("synthetic:256");
    assertThat(DatasetCommitment.of(forClient.openDataset()).root()).isEqualTo(spec.datasetRoot());

    final JobEscrow.Job job = escrow().getJob(jobId).send();
    assertThat(job.paramsHash).isEqualTo(spec.paramsHash().toArray());
    assertThat(job.specHash).isEqualTo(spec.specHash().toArray());
    assertThat(job.verifyRatePpm).isEqualTo(BigInteger.valueOf(100_000));
    assertThat(job.pricePerStep).isEqualTo(BigInteger.TEN.pow(18));

    // The saved spec creates the same terms again, its price taken from the file.
    final CliRun again = cli(List.of("job", "create", "--spec", saved.toString(), "--deadline", "2h"),
        "--budget", "100", "--genesis-account", "5", "--yes");
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(escrow().getJob(jobId.add(BigInteger.ONE)).send().paramsHash).isEqualTo(job.paramsHash);
  }

  private JobSpec validSpec() throws Exception {
    final CliRun dry = cli(FULL, "--budget", "100", "--genesis-account", "6", "--yes", "--json");
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    return JobSpec.parse(Files.readString(dataDir.resolve("jobs").resolve(
        JSON.readTree(dry.out()).get("jobId").asText() + ".json")));
  }

  private static JobEscrow escrow() {
    final String address = new DeploymentStore(deployments).require(7701).address(SuiteContract.JOB_ESCROW);
    return JobEscrow.load(address, web3j, new ReadonlyTransactionManager(web3j, accounts.address(0)),
        new DefaultGasProvider());
  }

  private CliRun cli(final List<String> base, final String... more) {
    final List<String> argv = new ArrayList<>(base);
    argv.addAll(List.of(more));
    argv.addAll(List.of("--rpc-url", chain.rpcUrl(), "--deployments", deployments.toString()));
    return CliRun.run(dataDir, argv.toArray(String[]::new));
  }

  private static BigInteger nonce(final int account) throws Exception {
    final Credentials who = accounts.account(account);
    return web3j.ethGetTransactionCount(who.getAddress(), DefaultBlockParameterName.LATEST).send().getTransactionCount();
  }
}
