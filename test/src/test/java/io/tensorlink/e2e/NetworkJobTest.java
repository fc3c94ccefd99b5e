package io.tensorlink.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tensorlink.chain.job.market.SavedJob;
import io.tensorlink.chain.job.result.AnchoredCheckpoint;
import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.LocalPipeline;
import io.tensorlink.chain.validator.pol.BlockRecords;
import io.tensorlink.chain.validator.pol.JobContexts;
import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.generated.JobEscrow;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.tuples.generated.Tuple2;

/**
 * Jobs end to end over a real network on loopback ({@link LoopbackNetwork}: anvil, and every node a
 * {@code bin/tl-cli node start} process with its own data dir): two validators, five workers, a
 * client asking for one standby per job. Each test runs a 2 stages × 2 replicas MLP job of
 * {@value #STEPS} steps in blocks of {@value #BLOCK_STEPS} on the same network, in order:
 *
 * <ol>
 *   <li>the happy path: the final anchored checkpointRoot is the single-process run's, and the
 *       escrow balances to the wei (client refund + payouts + fees = budget);
 *   <li>a worker killed with SIGKILL ({@code kill -9}) after the first anchored block: the standby
 *       takes over its cell, the job completes, every block after the takeover is paid in full and
 *       the killed worker's unclaimed shares stay unclaimed (nothing paid twice);
 *   <li>a validator killed and restarted mid-job: the job completes;
 *   <li>the client node restarted mid-job: the job completes.
 * </ol>
 *
 * Slow by nature: eight JVMs training and verifying on loopback, about 7 minutes on the idle 2-core
 * machine. It runs only with {@code TL_E2E_NETWORK=1}: with two validators every block needs both
 * signatures, and (2) can stall for good when the killed worker's last records are in a block one
 * validator signed before it was declared gone and the other refused (its sample held one of them,
 * whose inputs nobody serves any more: INPUT_UNAVAILABLE), since each signs one header per (job,
 * index). Seen in one of two runs on 2026-12-07 evening; (1), (3) and (4) passed in the other run
 * (the restarted validator fetching a block's records it never got by gossip). See docs/node.md.
 */
@EnabledIfEnvironmentVariable(named = "TL_E2E_NETWORK", matches = "1", disabledReason = "eight node processes for"
    + " about 7 minutes, and the worker-kill case can stall with two validators: set TL_E2E_NETWORK=1 to run them")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkJobTest {
  private static final int STEPS = 20;
  private static final int BLOCK_STEPS = 5;
  private static final long BLOCKS = STEPS / BLOCK_STEPS;
  private static final BigInteger TL = BigInteger.TEN.pow(18);
  /**
   * Half a step over the job's cost: the escrow completes a job once its budget cannot pay another
   * step (it does not know the step count), so the last anchored block completes it and half a TL is
   * left to refund at once. A larger budget would keep it Active until its deadline (or a cancel's
   * one-hour notice) and the refund would revert.
   */
  private static final BigInteger BUDGET = TL.multiply(BigInteger.valueOf(41)).divide(BigInteger.TWO);
  private static final BigInteger PRICE = TL;
  private static final Duration JOB_WAIT = Duration.ofMinutes(15);
  private static final List<String> WORKERS = List.of("5", "6", "7", "8", "9");

  private LoopbackNetwork net;
  private final List<LoopbackNetwork.Node> workers = new ArrayList<>();
  private LoopbackNetwork.Node v1;
  private LoopbackNetwork.Node client;

  @BeforeAll
  void network(@TempDir final Path dir) throws Exception {
    LoopbackNetwork.assumeRunnable();
    net = LoopbackNetwork.start(dir, WORKERS);
    v1 = net.start("v1", "1", "validator");
    final String boot = v1.firstAddress();
    net.start("v2", "2", "validator", "--bootstrap", boot);
    for (final String w : WORKERS) {
      workers.add(net.start("w" + w, w, "worker", "--bootstrap", boot));
    }
    client = net.start("client", "4", "client", "--bootstrap", boot, "--bid-window", "20", "--samples-per-chunk",
        "128", "--standbys", "1");
  }

  @AfterAll
  void stop() throws Exception {
    if (net != null) {
      net.close();
    }
  }

  @Test
  @Order(1)
  void aTwoByTwoJobTrainsAsOneProcessWouldAndTheEscrowBalancesToTheWei() throws Exception {
    final String jobId = createJob();
    awaitCompleted(jobId);

    // the anchored checkpoint of the last block is the single-process run's, bit for bit
    final ContractSuite suite = net.suite();
    final AnchoredCheckpoint anchored = AnchoredCheckpoint.latest(net.web3j(), suite, new BigInteger(jobId))
        .orElseThrow();
    assertThat(anchored.step()).isEqualTo(STEPS);
    assertThat(anchored.checkpointRoot()).isEqualTo(singleProcessCheckpointRoot(new BigInteger(jobId)));

    // every block's pool claimed once, in full, by the workers (60 s challenge window, then a claim tick)
    final BigInteger id = new BigInteger(jobId);
    LoopbackNetwork.waitFor(() -> IntStream.range(0, (int) BLOCKS).allMatch(i -> {
      final Tuple2<BigInteger, BigInteger> p = payout(suite, id, i);
      return p.component2().equals(shares(p.component1(), 4));
    }), Duration.ofMinutes(3), "every block of job " + jobId + " paid out");
    BigInteger pools = BigInteger.ZERO;
    BigInteger payouts = BigInteger.ZERO;
    for (int i = 0; i < BLOCKS; i++) {
      pools = pools.add(payout(suite, id, i).component1());
      payouts = payouts.add(payout(suite, id, i).component2());
    }
    final JobEscrow.Job before = suite.escrow().getJob(id).send();
    assertThat(before.reserved).as("what the escrow reserved: every step priced once").isEqualTo(
        PRICE.multiply(BigInteger.valueOf(STEPS)));
    final BigInteger fees = before.reserved.subtract(pools);
    final String clientAccount = net.account(4).getAddress();
    final BigInteger creditBefore = suite.escrow().creditOf(clientAccount).send();
    LoopbackNetwork.ok(net.cli("client", "job", "refund", jobId, "--genesis-account", "4", "--deployments",
        net.deployments(), "--yes"));
    final BigInteger refund = suite.escrow().creditOf(clientAccount).send().subtract(creditBefore);
    assertThat(refund.add(payouts).add(fees)).as("client refund + payouts + fees").isEqualTo(BUDGET);
    assertThat(payouts).as("every pool paid out (a share per cell, none twice)").isEqualTo(pools);
    assertThat(refund).isEqualTo(BUDGET.subtract(PRICE.multiply(BigInteger.valueOf(STEPS))));
  }

  @Test
  @Order(2)
  void aWorkerKilledMidJobIsReplacedByTheStandbyAndNothingIsPaidTwice() throws Exception {
    final String jobId = createJob();
    final BigInteger id = new BigInteger(jobId);
    LoopbackNetwork.waitFor(() -> net.jobStatus(jobId).path("anchoredBlocks").asLong() >= 1, JOB_WAIT,
        "job " + jobId + "'s first block anchored");
    final LoopbackNetwork.Node victim = workers.stream().filter(w -> trains(w, jobId)).findFirst().orElseThrow();
    net.kill(victim);

    awaitCompleted(jobId);
    final LoopbackNetwork.Node standby = workers.stream().filter(w -> w != victim
        && net.log(w).contains("job " + jobId + ": cell (")).filter(w -> !trainsFromStart(w, jobId)).findFirst()
        .orElseThrow(() -> new AssertionError("no standby resumed a cell of job " + jobId));
    final Matcher resumed = Pattern.compile("job " + jobId + ": cell \\((\\d), (\\d)\\) resumes at step (\\d+)")
        .matcher(net.log(standby));
    assertThat(resumed.find()).as(net.log(standby)).isTrue();
    final long resumeStep = Long.parseLong(resumed.group(3));
    assertThat(resumeStep).as("resumed after an anchored block, before the end").isBetween((long) BLOCK_STEPS,
        (long) STEPS - 1);

    // blocks trained after the takeover are paid in full; before it, the killed worker's share stays unpaid
    final ContractSuite suite = net.suite();
    final long firstAfter = resumeStep / BLOCK_STEPS;
    LoopbackNetwork.waitFor(() -> IntStream.range((int) firstAfter, (int) BLOCKS).allMatch(i -> {
      final Tuple2<BigInteger, BigInteger> p = payout(suite, id, i);
      return p.component2().equals(shares(p.component1(), 4));
    }), Duration.ofMinutes(3), "the blocks of job " + jobId + " after the takeover paid out");
    for (int i = 0; i < firstAfter; i++) {
      final Tuple2<BigInteger, BigInteger> p = payout(suite, id, i);
      assertThat(p.component2()).as("block %d: the killed worker's quarter is not paid", i)
          .isEqualTo(shares(p.component1(), 3));
    }
    assertThat(suite.escrow().getJob(id).send().reserved).isEqualTo(PRICE.multiply(BigInteger.valueOf(STEPS)));
    net.restart(victim); // the next tests' jobs have their five workers again
  }

  @Test
  @Order(3)
  void aValidatorKilledAndRestartedMidJobCatchesUpAndTheJobCompletes() throws Exception {
    final String jobId = createJob();
    LoopbackNetwork.waitFor(() -> net.jobStatus(jobId).path("anchoredBlocks").asLong() >= 1, JOB_WAIT,
        "job " + jobId + "'s first block anchored");
    net.kill(v1);
    net.restart(v1);
    awaitCompleted(jobId);
    LoopbackNetwork.waitFor(() -> net.metric(v1, "tl_validator_blocks_anchored_total") >= 1, Duration.ofMinutes(3),
        "the restarted validator to see an anchored block");
  }

  @Test
  @Order(4)
  void theClientRestartedMidJobLeavesTheJobRunning() throws Exception {
    final String jobId = createJob();
    LoopbackNetwork.waitFor(() -> workers.stream().filter(w -> trains(w, jobId)).count() == 4, JOB_WAIT,
        "job " + jobId + "'s four cells training");
    net.kill(client);
    net.restart(client);
    awaitCompleted(jobId);
  }

  private String createJob() throws Exception {
    final JsonNode job = LoopbackNetwork.JSON.readTree(LoopbackNetwork.ok(net.cli("client", "job", "create", "--model",
        "mlp", "--dataset", "synthetic:512", "--steps", Integer.toString(STEPS), "--batch", "16", "--stages", "2",
        "--replicas", "2", "--verify-rate", "0.25", "--block-steps", Integer.toString(BLOCK_STEPS), "--budget", "20.5",
        "--price-per-step", "1", "--deadline", "2h", "--genesis-account", "4", "--deployments", net.deployments(),
        "--yes", "--json")));
    return job.path("jobId").asText();
  }

  private void awaitCompleted(final String jobId) throws InterruptedException {
    LoopbackNetwork.waitFor(() -> net.jobStatus(jobId).path("anchoredBlocks").asLong() >= BLOCKS, JOB_WAIT,
        "job " + jobId + "'s " + BLOCKS + " blocks anchored");
    assertThat(net.jobStatus(jobId).path("nextStep").asLong()).isEqualTo(STEPS);
  }

  private boolean trains(final LoopbackNetwork.Node worker, final String jobId) {
    return net.log(worker).contains("job " + jobId + ": training stage");
  }

  private boolean trainsFromStart(final LoopbackNetwork.Node worker, final String jobId) {
    return net.log(worker).matches("(?s).*job " + jobId + ": training stage \\d replica \\d as \\S+ from step 0\\b.*");
  }

  /** {@code n} of a block pool's four equal shares (one per cell, the remainder stays in the escrow). */
  private static BigInteger shares(final BigInteger pool, final int n) {
    return pool.divide(BigInteger.valueOf(4)).multiply(BigInteger.valueOf(n));
  }

  private static Tuple2<BigInteger, BigInteger> payout(final ContractSuite suite, final BigInteger jobId, final int block) {
    try {
      return suite.escrow().blockPayout(jobId, BigInteger.valueOf(block)).send();
    } catch (Exception e) {
      throw new IllegalStateException("blockPayout(" + jobId + ", " + block + "): " + e.getMessage(), e);
    }
  }

  /** The checkpointRoot after the last step of the job trained in one process ({@link LocalPipeline}). */
  private Bytes32 singleProcessCheckpointRoot(final BigInteger jobId) throws Exception {
    final SavedJob saved = SavedJob.read(net.dataDir("client").resolve("jobs"), jobId);
    final Map<EthAddress, Credentials> keys = new LinkedHashMap<>();
    for (int i = 0; i < 4; i++) {
      final Credentials k = net.account(5 + i);
      keys.put(EthAddress.of(k.getAddress()), k);
    }
    // the parameters do not depend on who trains which cell, only the signatures do
    final Assignment assignment = new Assignment(jobId, Bytes32.ZERO, 2, 2, List.copyOf(keys.keySet()), List.of());
    final JobContext job = JobContexts.context(jobId, saved.spec(), JobContexts.modelsIn(Repo.root().resolve("models"))
        .apply(saved.spec().specHash()).orElseThrow(), saved.openDataset(), assignment,
        PolDomain.of(7701, EthAddress.of(keys.keySet().iterator().next().toString())));
    final List<SignedStepRecord> records;
    try (CpuBackend cpu = CpuBackend.withThreads(1)) {
      records = new LocalPipeline(job, cpu, keys, LocalPipeline.HONEST).runThrough(STEPS - 1);
    }
    final List<Bytes32[]> roots = new ArrayList<>();
    for (int s = 0; s < 2; s++) {
      final int stage = s;
      final SignedStepRecord last = records.stream().filter(r -> r.record().step() == STEPS - 1
          && r.record().stage() == stage && r.record().replica() == 0).findFirst().orElseThrow();
      roots.add(new Bytes32[] {last.record().paramsAfter(), last.record().optStateAfter()});
    }
    return BlockRecords.checkpointRoot(roots);
  }

}
