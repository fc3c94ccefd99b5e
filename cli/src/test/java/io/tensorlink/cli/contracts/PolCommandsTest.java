package io.tensorlink.cli.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.cli.CliRun;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.SuiteContract;
import io.tensorlink.contracts.deploy.Deployment;
import io.tensorlink.contracts.deploy.MnemonicAccounts;
import io.tensorlink.contracts.generated.PoLAnchor.PoLBlock;
import io.tensorlink.contracts.merkle.MerkleTree;
import io.tensorlink.contracts.pol.PayoutTree;
import io.tensorlink.contracts.pol.PoLBlocks;
import io.tensorlink.contracts.pol.Randomness;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.utils.Numeric;

/**
 * {@code pol}, {@code claim} and {@code dispute} against a real anvil: the suite is deployed with
 * {@code contracts deploy}, three genesis validators stake and sign a v2 block (recent chain
 * randomness, Java EIP-712 signatures) over four worker-signed records, and the commands read it
 * back from the anchor's events and act on it. The job's verify rate is 100%, so every signer's
 * mandatory sample holds every record (a deterministic sample to assert).
 */
class PolCommandsTest {
  private static final BigInteger TL = BigInteger.TEN.pow(18);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static DeployedDevnet devnet;
  private static AnvilChain chain;
  private static Web3j web3j;
  private static Path deployments;
  private static MnemonicAccounts accounts;
  private static Path files;
  private static PoLBlock header;
  private static List<SignedStepRecord> records;
  private static Path jobTwo;
  private static List<SignedStepRecord> jobTwoRecords;

  /** An anchored block of the fixture and its records. */
  private record Anchored(PoLBlock header, List<SignedStepRecord> records) {}

  @TempDir Path dataDir;
  private String snapshot;

  @BeforeAll
  static void anchorABlock() throws Exception {
    devnet = DeployedDevnet.start();
    chain = devnet.chain();
    web3j = devnet.web3j();
    deployments = devnet.deployments();
    files = Files.createTempDirectory("pol-files");
    accounts = devnet.accounts();
    final CliRun deployed = devnet.deployed();
    assertThat(deployed.exitCode()).as(deployed.err()).isZero();
    final Deployment deployment = devnet.deployment();

    final List<Credentials> validators = List.of(accounts.account(1), accounts.account(2), accounts.account(3));
    for (final Credentials v : validators) {
      stake(deployment, v, tl(40_000));
      suite(deployment, v).stakeManager().registerValidator().send();
    }
    for (final int w : new int[] {4, 5, 6}) {
      stake(deployment, accounts.account(w), tl(1_000));
    }
    final ContractSuite client = suite(deployment, accounts.account(0));
    // Job 1 checks every record (rate 100%): every signer's sample holds every record. Job 2 checks
    // at 1 ppm, so no signer is obliged and all three can sit on a dispute's committee.
    createAssignedJob(client, deployment, 1_000_000);
    createAssignedJob(client, deployment, 1);
    // Validators registered in epoch e sign from epoch e+1.
    chain.advanceTime(3_600);
    final Anchored one = anchor(client, deployment, validators, BigInteger.ONE, files);
    header = one.header();
    records = one.records();
    jobTwo = Files.createTempDirectory("pol-files-2");
    jobTwoRecords = anchor(client, deployment, validators, BigInteger.TWO, jobTwo).records();
    final JsonNode all = JSON.readTree(files.resolve("records.json").toFile()).get("records");
    Files.writeString(files.resolve("two-records.json"), JSON.writeValueAsString(List.of(all.get(0), all.get(1))));
  }

  private static void createAssignedJob(final ContractSuite client, final Deployment deployment, final long ratePpm)
      throws Exception {
    client.token().approve(deployment.address(SuiteContract.JOB_ESCROW), tl(1_000)).send();
    final long now = web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock().getTimestamp().longValueExact();
    client.escrow().createJob(word(1), tl(1_000), tl(10), BigInteger.valueOf(now + 7 * 86_400), word(2),
        BigInteger.valueOf(ratePpm), BigInteger.ZERO, BigInteger.ZERO).send();
    final BigInteger jobId = client.escrow().jobCount().send();
    client.escrow().assign(jobId, List.of(accounts.address(4), accounts.address(5)), word(3)).send();
  }

  /** Anchors block 0 of {@code jobId} over four worker-signed records; writes records.json and payouts.json to {@code dir}. */
  private static Anchored anchor(final ContractSuite client, final Deployment deployment,
      final List<Credentials> validators, final BigInteger jobId, final Path dir) throws Exception {
    final PolDomain domain = PolDomain.of(7701, EthAddress.of(deployment.address(SuiteContract.POL_ANCHOR)));
    final List<SignedStepRecord> signed = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      final int worker = 4 + i % 2;
      signed.add(SignedStepRecord.sign(record(jobId, i / 2, accounts.address(worker), 0x10 * (i + 1)), domain,
          accounts.account(worker)));
    }
    final byte[] stepsRoot = MerkleTree.of(signed.stream().map(r -> r.leaf().toArray()).toList()).root();
    final Map<String, BigInteger> payouts = new LinkedHashMap<>();
    payouts.put(accounts.address(4), tl(50));
    payouts.put(accounts.address(5), tl(44));
    // 10 steps at 10 TL: 100 TL, less 5% for the signers and 1% protocol fee: a 94 TL pool.
    final Randomness randomness = Randomness.recent(web3j);
    final PoLBlock h = new PoLBlock(jobId, BigInteger.ZERO, new byte[32], BigInteger.ZERO, BigInteger.TEN, stepsRoot,
        PayoutTree.of(payouts).root(), word(0xc0), randomness.hash(), BigInteger.valueOf(randomness.block()));
    client.anchor().submit(h, PoLBlocks.signAll(validators, client.polDomain(), h)).send();

    // The block's files as a node would keep them: records (both forms) and payout leaves in wei.
    final List<Object> list = new ArrayList<>();
    for (int i = 0; i < signed.size(); i++) {
      list.add(i % 2 == 0 ? PolCodec.encode(signed.get(i)).toHexString() : json(signed.get(i)));
    }
    Files.writeString(dir.resolve("records.json"), JSON.writeValueAsString(Map.of("records", list)));
    Files.writeString(dir.resolve("payouts.json"), JSON.writeValueAsString(Map.of("payouts", List.of(
        Map.of("worker", accounts.address(4), "amount", tl(50).toString()),
        Map.of("worker", accounts.address(5), "amount", tl(44).toString())))));
    return new Anchored(h, signed);
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
  void polBlocksAndBlockShowTheAnchoredBlock() throws Exception {
    final CliRun blocks = cli("pol", "blocks", "1");
    assertThat(blocks.exitCode()).as(blocks.err()).isZero();
    assertThat(blocks.out()).contains("job 1: 1 anchored block", "steps 0..10", "3 signers (100%)", "pool 94 TL")
        .containsPattern("tx 0x[0-9a-f]{64}");
    final JsonNode listed = json(cli("pol", "blocks", "1", "--json"));
    assertThat(listed.get("blocks")).hasSize(1);
    final JsonNode first = listed.get("blocks").get(0);
    assertThat(first.get("index").asLong()).isZero();
    assertThat(first.get("blockHash").asText()).isEqualTo(Numeric.toHexString(PoLBlocks.hash(header)));
    assertThat(first.get("signers")).extracting(JsonNode::asText)
        .containsExactlyElementsOf(sortedValidators());
    assertThat(first.get("pool").asText()).isEqualTo("94");
    assertThat(first.get("signedStake").asText()).isEqualTo("120000");

    final CliRun block = cli("pol", "block", "1", "0", "--records", files.resolve("records.json").toString());
    assertThat(block.exitCode()).as(block.err()).isZero();
    assertThat(block.out())
        .contains("job 1, block 0: steps 0..10", "block hash: " + Numeric.toHexString(PoLBlocks.hash(header)))
        .contains("randomness: " + Numeric.toHexString(header.randomness) + " (hash of chain block " + header.randomnessBlock + ")")
        .contains("signers: 3, 100% of the epoch's stake (120,000 TL of 120,000 TL)", "  " + sortedValidators().get(0))
        .contains("on-chain commitment: matches header and signers", "worker pool: 94 TL, paid: 0 TL")
        .contains("sampled records (verify rate 1000000 ppm): 4 records")
        .contains("  " + records.get(3).leaf().toHexString() + "  step 1 stage 0 replica 0  " + Keys.toChecksumAddress(accounts.address(5))
            + "  must be checked by: " + String.join(", ", sortedValidators()));
    final JsonNode shown = json(cli("pol", "block", "1", "0", "--records", files.resolve("records.json").toString(), "--json"));
    assertThat(shown.get("randomnessBlock").asLong()).isEqualTo(header.randomnessBlock.longValueExact());
    assertThat(shown.get("commitmentMatches").asBoolean()).isTrue();
    assertThat(shown.get("sampled")).hasSize(4).allSatisfy(r -> assertThat(r.get("sampledBy")).hasSize(3));
    assertThat(json(cli("pol", "block", "1", "0", "--json")).get("sampled").isNull()).isTrue();

    final CliRun missing = cli("pol", "block", "1", "5");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(missing.err().strip()).isEqualTo("error: job 1 has no anchored block 5 (1 anchored, indices 0..0)");
    final CliRun wrongFile = cli("pol", "block", "1", "0", "--records", files.resolve("two-records.json").toString());
    assertThat(wrongFile.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(wrongFile.err()).contains("not this block's records");
    assertThat(cli("pol", "blocks", "-1").exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void claimRefusesInsideTheChallengeWindowThenPaysOnce() throws Exception {
    final String payouts = files.resolve("payouts.json").toString();
    final BigInteger nonce = nonce(accounts.address(4));
    final CliRun early = cli("claim", "1", "--payouts", payouts, "--genesis-account", "4");
    assertThat(early.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(early.err()).contains("block 0 of job 1 is in its challenge window until ").contains("; nothing was sent");
    assertThat(nonce(accounts.address(4))).as("no transaction was sent").isEqualTo(nonce);

    chain.advanceTime(86_400);
    final CliRun dry = cli("claim", "1", "--payouts", payouts, "--genesis-account", "4", "--dry-run");
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("dry run: claim 50 TL from block 0 of job 1", "dry run: nothing was sent")
        .containsPattern("claim: to 0x[0-9a-fA-F]{40}, gas ~[0-9,]+");
    assertThat(nonce(accounts.address(4))).isEqualTo(nonce);
    final Path broken = files.resolve("broken-payouts.json");
    Files.writeString(broken, "{\"payouts\": [{\"worker\": \"0x12\", \"amount\": \"5\"}]}");
    final CliRun malformed = cli("claim", "1", "--payouts", broken.toString(), "--genesis-account", "4");
    assertThat(malformed.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(malformed.err()).contains("--payouts " + broken + ": payouts[0].worker is not an address: '0x12'");

    final CliRun claimed = cli("claim", "1", "--block", "0", "--payouts", payouts, "--genesis-account", "4", "--yes");
    assertThat(claimed.exitCode()).as(claimed.err()).isZero();
    assertThat(claimed.out()).containsPattern("claim: tx 0x[0-9a-f]{64}").contains("claimed: 50 TL from block 0 of job 1");
    assertThat(json(cli("pol", "blocks", "1", "--json")).get("blocks").get(0).get("paid").asText()).isEqualTo("50");

    final CliRun again = cli("claim", "1", "--payouts", payouts, "--genesis-account", "4");
    assertThat(again.err()).contains("already claimed its payout from block 0 of job 1; nothing was sent");
    final CliRun stranger = cli("claim", "1", "--payouts", payouts, "--genesis-account", "7");
    assertThat(stranger.err()).contains(Keys.toChecksumAddress(accounts.address(7)) + " has no payout in");
    final CliRun wrongBlock = cli("claim", "1", "--block", "3", "--payouts", payouts, "--genesis-account", "5");
    assertThat(wrongBlock.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(wrongBlock.err()).contains("--block 3: job 1 has 1 anchored block");
  }

  @Test
  void disputesAreRefusedLocallyWhenTamperedAndOpenedWhenSigned() throws Exception {
    final CliRun none = cli("dispute", "status", "7");
    assertThat(none.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(none.err().strip()).isEqualTo("error: there is no dispute 7 (dispute count 0)");

    final String recordsFile = files.resolve("records.json").toString();
    final SignedStepRecord honest = records.get(1);
    final StepRecord r = honest.record();
    final StepRecord changed = new StepRecord(r.jobId(), r.step(), r.stage(), r.replica(), r.stages(), r.replicas(), r.worker(),
        r.batchCommitment(), r.paramsBefore(), r.optStateBefore(), r.actIn(), r.actOut(), r.gradIn(), r.gradOut(), r.gradRoot(),
        r.reduceRoot(), r.paramsAfter(), r.optStateAfter(), r.lossBits() + 1);
    final String tampered = PolCodec.encode(new SignedStepRecord(changed, honest.signature())).toHexString();
    final BigInteger nonce = nonce(accounts.address(6));
    final CliRun refused = cli("dispute", "open", "1", "0", "--record", tampered, "--records", recordsFile, "--genesis-account", "6");
    assertThat(refused.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(refused.err()).contains("the record's signature is not its worker's (" + Keys.toChecksumAddress(accounts.address(5))
        + "): the record was altered or signed by another key; nothing was sent");
    assertThat(nonce(accounts.address(6))).as("no transaction was sent").isEqualTo(nonce);

    final Path recordFile = files.resolve("record.json");
    Files.writeString(recordFile, JSON.writeValueAsString(json(honest)));
    final CliRun opened = cli("dispute", "open", "1", "0", "--record", recordFile.toString(), "--records", recordsFile,
        "--payouts", files.resolve("payouts.json").toString(), "--genesis-account", "6", "--yes");
    assertThat(opened.exitCode()).as(opened.err()).isZero();
    // The commit goes first, so the reveal that pulls the bond is simulated with the allowance before the approve.
    assertThat(opened.out().indexOf("commitChallenge: tx")).isNotNegative().isLessThan(opened.out().indexOf("approve: tx"));
    assertThat(opened.out()).containsPattern("commitChallenge: tx 0x[0-9a-f]{64}").containsPattern("challenge: tx 0x[0-9a-f]{64}")
        .contains("dispute id: 1", "dispute 1: Drawing", "worker: " + Keys.toChecksumAddress(accounts.address(5)));
    final JsonNode status = json(cli("dispute", "status", "1", "--json"));
    assertThat(status.get("status").asText()).isEqualTo("Drawing");
    assertThat(status.get("recordHash").asText()).isEqualTo(honest.leaf().toHexString());
    assertThat(status.get("payoutAmount").asText()).isEqualTo("44");
    assertThat(status.get("sampledSigners")).extracting(JsonNode::asText).containsExactlyElementsOf(sortedValidators());
    assertThat(status.get("committee")).isEmpty();

    final CliRun early = cli("dispute", "vote", "1", "--fraud", "--genesis-account", "1");
    assertThat(early.err()).contains("dispute 1 is Drawing, not Voting; nothing was sent");
    final CliRun twice = cli("dispute", "open", "1", "0", "--record", recordFile.toString(), "--records", recordsFile,
        "--genesis-account", "7");
    assertThat(twice.err()).contains("the record " + honest.leaf().toHexString() + " is already disputed: dispute 1 is Drawing");
    chain.advanceTime(86_400);
    final CliRun payoutHeld = cli("claim", "1", "--payouts", files.resolve("payouts.json").toString(), "--genesis-account", "5");
    assertThat(payoutHeld.err()).contains("a dispute over " + Keys.toChecksumAddress(accounts.address(5))
        + "'s records in block 0 of job 1 is open; claim after it is resolved; nothing was sent");
    final CliRun noVerdict = cli("dispute", "vote", "1", "--genesis-account", "1");
    assertThat(noVerdict.exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void aCommitteeDrawnByHandVotesFraudAndTheWorkersPayoutIsVoided() throws Exception {
    final Path recordFile = jobTwo.resolve("record.json");
    Files.writeString(recordFile, JSON.writeValueAsString(json(jobTwoRecords.get(3))));
    final CliRun opened = cli("dispute", "open", "2", "0", "--record", recordFile.toString(), "--records",
        jobTwo.resolve("records.json").toString(), "--payouts", jobTwo.resolve("payouts.json").toString(), "--genesis-account", "6", "--yes");
    assertThat(opened.exitCode()).as(opened.err()).isZero();
    assertThat(opened.out()).contains("dispute id: 1", "signers obliged to have checked it: none");

    final CliRun tooEarly = cli("dispute", "draw", "1", "--genesis-account", "7");
    assertThat(tooEarly.err()).contains("not mined yet").contains("nothing was sent");
    for (int i = 0; i < 3; i++) {
      chain.advanceTime(1);
    }
    final CliRun drawn = cli("dispute", "draw", "1", "--genesis-account", "7");
    assertThat(drawn.exitCode()).as(drawn.err()).isZero();
    assertThat(drawn.out()).containsPattern("draw: tx 0x[0-9a-f]{64}").contains("dispute 1: Voting");
    final JsonNode voting = json(cli("dispute", "status", "1", "--json"));
    final List<String> committee = new ArrayList<>();
    voting.get("committee").forEach(m -> committee.add(m.asText()));
    assertThat(committee).isNotEmpty().allSatisfy(m -> assertThat(sortedValidators()).contains(m));
    final CliRun outsider = cli("dispute", "vote", "1", "--fraud", "--genesis-account", "8");
    assertThat(outsider.err()).contains(Keys.toChecksumAddress(accounts.address(8)) + " is not on the committee of dispute 1");

    for (final String member : committee) {
      final int index = List.of(1, 2, 3).stream().filter(i -> Keys.toChecksumAddress(accounts.address(i)).equals(member))
          .findFirst().orElseThrow();
      final CliRun voted = cli("dispute", "vote", "1", "--fraud", "--genesis-account", String.valueOf(index));
      assertThat(voted.exitCode()).as(voted.err()).isZero();
      assertThat(cli("dispute", "vote", "1", "--valid", "--genesis-account", String.valueOf(index)).err())
          .contains("already voted on dispute 1");
    }
    final CliRun resolved = cli("dispute", "resolve", "1", "--genesis-account", "7", "--yes");
    assertThat(resolved.exitCode()).as(resolved.err()).isZero();
    final JsonNode fraud = json(cli("dispute", "status", "1", "--json"));
    assertThat(fraud.get("status").asText()).isEqualTo("Fraud");
    assertThat(fraud.get("fraudVotes").asInt()).isEqualTo(committee.size());
    assertThat(fraud.get("voted")).hasSize(committee.size());

    chain.advanceTime(86_400);
    final CliRun voided = cli("claim", "2", "--payouts", jobTwo.resolve("payouts.json").toString(), "--genesis-account", "5");
    assertThat(voided.err()).contains("the payout of " + Keys.toChecksumAddress(accounts.address(5))
        + " from block 0 of job 2 was voided by a fraud verdict; nothing was sent");
    final CliRun honest = cli("claim", "2", "--payouts", jobTwo.resolve("payouts.json").toString(), "--genesis-account", "4", "--yes");
    assertThat(honest.exitCode()).as(honest.err()).isZero();
    assertThat(honest.out()).contains("claimed: 50 TL from block 0 of job 2");
  }

  private CliRun cli(final String... args) {
    final List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--rpc-url", chain.rpcUrl(), "--deployments", deployments.toString()));
    return CliRun.run(dataDir, all.toArray(String[]::new));
  }

  private static List<String> sortedValidators() {
    return PoLBlocks.signerList(List.of(accounts.account(1), accounts.account(2), accounts.account(3))).stream()
        .map(Keys::toChecksumAddress).toList();
  }

  private static JsonNode json(final CliRun run) throws Exception {
    assertThat(run.exitCode()).as(run.err()).isZero();
    return JSON.readTree(run.out());
  }

  private static Map<String, Object> json(final SignedStepRecord s) {
    final StepRecord r = s.record();
    final Map<String, Object> m = new LinkedHashMap<>();
    m.put("jobId", r.jobId().toString());
    m.put("step", r.step());
    m.put("stage", r.stage());
    m.put("replica", r.replica());
    m.put("stages", r.stages());
    m.put("replicas", r.replicas());
    m.put("worker", r.worker().toString());
    final Bytes32[] hashes = {r.batchCommitment(), r.paramsBefore(), r.optStateBefore(), r.actIn(), r.actOut(), r.gradIn(),
        r.gradOut(), r.gradRoot(), r.reduceRoot(), r.paramsAfter(), r.optStateAfter()};
    final String[] names = {"batchCommitment", "paramsBefore", "optStateBefore", "actIn", "actOut", "gradIn", "gradOut",
        "gradRoot", "reduceRoot", "paramsAfter", "optStateAfter"};
    for (int i = 0; i < names.length; i++) {
      m.put(names[i], hashes[i].toHexString());
    }
    m.put("lossBits", Long.toUnsignedString(r.lossBits()));
    m.put("signature", s.signature().value().toHexString());
    return m;
  }

  private static StepRecord record(final BigInteger jobId, final long step, final String worker, final int salt) {
    return new StepRecord(jobId, step, 0, 0, 1, 1, EthAddress.of(worker), hash(salt), hash(salt + 1), hash(salt + 2),
        Bytes32.ZERO, hash(salt + 3), Bytes32.ZERO, Bytes32.ZERO, hash(salt + 4), hash(salt + 5), hash(salt + 6), hash(salt + 7),
        Double.doubleToRawLongBits(2.5));
  }

  private static Bytes32 hash(final int n) {
    return Bytes32.wrap(word(n));
  }

  private static byte[] word(final int last) {
    final byte[] b = new byte[32];
    b[31] = (byte) last;
    return b;
  }

  private static BigInteger tl(final long whole) {
    return BigInteger.valueOf(whole).multiply(TL);
  }

  private static ContractSuite suite(final Deployment deployment, final Credentials who) {
    return ContractSuite.connect(web3j, who, deployment);
  }

  private static void stake(final Deployment deployment, final Credentials who, final BigInteger amount) throws Exception {
    final ContractSuite s = suite(deployment, who);
    s.token().approve(deployment.address(SuiteContract.STAKE_MANAGER), amount).send();
    s.stakeManager().stake(amount).send();
  }

  private static BigInteger nonce(final String address) throws Exception {
    return web3j.ethGetTransactionCount(address, DefaultBlockParameterName.LATEST).send().getTransactionCount();
  }
}
