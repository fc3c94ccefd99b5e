package io.tensorlink.chain.job.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.chain.job.tensor.PeerBindings;
import io.tensorlink.chain.job.tensor.TensorEndpoint;
import io.tensorlink.chain.job.worker.WorkerOptions;
import io.tensorlink.chain.job.worker.WorkerRuntime;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.PoLHeader;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.pol.TestKeys;
import io.tensorlink.chain.pol.VerifyMode;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.PolFixture;
import io.tensorlink.chain.validator.AnvilSuiteAccess;
import io.tensorlink.chain.validator.ChainRandomness;
import io.tensorlink.chain.validator.pol.BlockRecords;
import io.tensorlink.chain.validator.pol.PolHeaders;
import io.tensorlink.chain.validator.suite.Eip712Signer;
import io.tensorlink.chain.validator.suite.SuiteAnchorClient;
import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.checkpoint.Checkpoint;
import io.tensorlink.compute.checkpoint.CheckpointFile;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.merkle.MerkleTree;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.transport.Hosts;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * {@code /tl/checkpoint/1.0.0} end to end: four {@link WorkerRuntime}s (the shipped MLP, 2 stages ×
 * 2 replicas, each on its own loopback libp2p host) train one PoL block of 4 steps and write their
 * real checkpoints; block 0 is anchored on a real anvil with the records' checkpointRoot; each
 * worker serves its checkpoint directory; a fifth host fetches the model and checks it against the
 * root read back from the PoLAnchor. Tampered checkpoints are refused (or skipped for the next
 * replica), as are records that are not the anchored block's.
 */
class CheckpointResultAnvilTest {
  private static final long STEPS = 4;

  @TempDir static Path dir;
  private static AnvilSuiteAccess chain;
  private static JobContext job;
  private static AnvilJob anchoredJob;
  private static final List<Host> hosts = new ArrayList<>();
  private static final List<CpuBackend> backends = new ArrayList<>();
  private static final ExecutorService threads = Executors.newCachedThreadPool();
  private static final Map<EthAddress, Multiaddr> addresses = new HashMap<>();
  private static final List<WorkerRuntime> workers = new ArrayList<>();
  private static final ConcurrentLinkedQueue<SignedStepRecord> records = new ConcurrentLinkedQueue<>();
  private static Host fetcherHost;

  private record AnvilJob(AnchoredCheckpoint anchored, List<CellRoots> lastStep) {}

  @BeforeAll
  static void trainAndAnchor() throws Exception {
    chain = AnvilSuiteAccess.start();
    final Credentials client = chain.account(0);
    final Credentials validator = chain.account(1);
    chain.stakeValidator(validator);
    chain.stakeWorker(chain.account(6));
    chain.stakeWorker(chain.account(7));
    chain.nextEpoch();
    final BigInteger jobId = chain.createAssignedJob(client, List.of(chain.account(6), chain.account(7)));
    job = PolFixture.job(jobId, 2, 2, 250_000, VerifyMode.EXACT, 0);

    for (final EthAddress w : job.assignment().workers()) {
      final Host host = Hosts.create(HostConfig.loopback());
      host.start().orTimeout(30, TimeUnit.SECONDS).join();
      hosts.add(host);
      addresses.put(w, host.listenAddresses().get(0).withPeerId(host.peerId()));
    }
    final PeerBindings bindings = PeerBindings.of(addresses);
    for (int i = 0; i < hosts.size(); i++) {
      final EthAddress w = job.assignment().workers().get(i);
      final Path checkpoints = dir.resolve("worker-" + i);
      final CpuBackend cpu = CpuBackend.withThreads(1);
      backends.add(cpu);
      workers.add(new WorkerRuntime(job, key(w), cpu, new TensorEndpoint(hosts.get(i)), bindings, records::add,
          WorkerOptions.defaults().withCheckpoints(checkpoints, (int) STEPS).withFrameTimeout(Duration.ofSeconds(30))));
      CheckpointServer.register(hosts.get(i), new CheckpointDirectory(checkpoints), threads);
    }
    final List<Future<Long>> done = new ArrayList<>();
    for (final WorkerRuntime w : workers) {
      done.add(threads.submit(() -> w.runThrough(STEPS - 1)));
    }
    for (final Future<Long> f : done) {
      f.get(180, TimeUnit.SECONDS);
    }

    // Anchor block 0 (steps 0..3) with the records' roots, signed by the only validator.
    final List<SignedStepRecord> all = List.copyOf(records);
    final List<StepRecord> last = all.stream().map(SignedStepRecord::record).filter(r -> r.step() == STEPS - 1).toList();
    final List<Bytes32[]> stageRoots = new ArrayList<>();
    for (int s = 0; s < 2; s++) {
      final int stage = s;
      final StepRecord r0 = last.stream().filter(r -> r.stage() == stage && r.replica() == 0).findFirst().orElseThrow();
      stageRoots.add(new Bytes32[] {r0.paramsAfter(), r0.optStateAfter()});
    }
    final ContractSuite suite = ContractSuite.connect(chain.web3j(), client, chain.deployment());
    final SuiteAnchorClient anchor = new SuiteAnchorClient(suite, chain.web3j());
    final ChainRandomness randomness = anchor.recentRandomness();
    final PoLHeader header = new PoLHeader(jobId, 0, Bytes32.ZERO, 0, STEPS,
        Bytes32.wrap(MerkleTree.of(all.stream().map(s -> s.leaf().toArray()).toList()).root()),
        Bytes32.wrap(new byte[32]).not(), BlockRecords.checkpointRoot(stageRoots), Bytes32.wrap(randomness.blockHash()),
        randomness.blockNumber());
    final io.tensorlink.chain.validator.BlockCandidate candidate = PolHeaders.candidate(header);
    anchor.submit(candidate, List.of(new Eip712Signer(validator,
        ContractSuite.connect(chain.web3j(), validator, chain.deployment()).polDomain()).sign(candidate.blockHash())));

    final AnchoredCheckpoint anchored = AnchoredCheckpoint.latest(chain.web3j(), suite, jobId).orElseThrow();
    anchoredJob = new AnvilJob(anchored, last.stream().map(CellRoots::of).toList());
    fetcherHost = Hosts.create(HostConfig.loopback());
    fetcherHost.start().orTimeout(30, TimeUnit.SECONDS).join();
  }

  @AfterAll
  static void stop() {
    threads.shutdownNow();
    workers.forEach(WorkerRuntime::close);
    hosts.forEach(Host::close);
    if (fetcherHost != null) {
      fetcherHost.close();
    }
    backends.forEach(CpuBackend::close);
    if (chain != null) {
      chain.close();
    }
  }

  private static Credentials key(final EthAddress worker) {
    return TestKeys.ANVIL.stream().filter(c -> EthAddress.of(c.getAddress()).equals(worker)).findFirst().orElseThrow();
  }

  private static ResultFetcher fetcher() {
    return new ResultFetcher(new CheckpointClient(fetcherHost, 64 << 20, Duration.ofSeconds(30), threads),
        w -> Optional.ofNullable(addresses.get(w)), Duration.ofSeconds(60));
  }

  private static Path checkpointFile(final int stage, final int replica) {
    return dir.resolve("worker-" + (stage * 2 + replica))
        .resolve(CheckpointDirectory.fileName(job.jobId(), stage, replica, STEPS));
  }

  @Test
  void fetchesEveryStageOfReplicaZeroAndMatchesTheAnchoredRoot() {
    final AnchoredCheckpoint anchored = anchoredJob.anchored();
    assertThat(anchored.blockIndex()).isZero();
    assertThat(anchored.step()).isEqualTo(STEPS);

    final FetchedModel model = fetcher().fetch(anchored, anchoredJob.lastStep(), 2);

    assertThat(model.servedBy()).containsExactly(0, 0);
    assertThat(model.fallbacks()).isEmpty();
    final NamedTensors.Builder expected = NamedTensors.builder();
    workers.stream().filter(w -> w.replica() == 0).sorted(java.util.Comparator.comparingInt(WorkerRuntime::stage))
        .forEach(w -> expected.addAll(w.params()));
    assertThat(model.params()).isEqualTo(expected.build());
    assertThat(model.params().names()).containsExactlyElementsOf(job.initialParams().names());
  }

  @Test
  void aTamperedCheckpointIsSkippedForAnotherReplicaAndRefusedWhenNoneMatches() throws Exception {
    final Path original = checkpointFile(1, 0);
    final Checkpoint honest = CheckpointFile.load(original);
    final Path other = checkpointFile(1, 1);
    final Checkpoint otherHonest = CheckpointFile.load(other);
    try {
      CheckpointFile.save(nudged(honest), original);
      final FetchedModel model = fetcher().fetch(anchoredJob.anchored(), anchoredJob.lastStep(), 2);
      assertThat(model.servedBy()).containsExactly(0, 1);
      assertThat(model.fallbacks()).singleElement().asString()
          .contains("stage 1 replica 0").contains("served parameters with root");

      CheckpointFile.save(nudged(otherHonest), other);
      assertThatThrownBy(() -> fetcher().fetch(anchoredJob.anchored(), anchoredJob.lastStep(), 2))
          .isInstanceOf(ResultRefusedException.class)
          .hasMessageContaining("no worker served a matching checkpoint of stage 1 at step 4")
          .hasMessageContaining("stage 1 replica 0").hasMessageContaining("stage 1 replica 1");
    } finally {
      CheckpointFile.save(honest, original);
      CheckpointFile.save(otherHonest, other);
    }
  }

  @Test
  void anUnreachableReplicaZeroWorkerIsReplacedByAnotherReplica() {
    final EthAddress gone = job.assignment().worker(0, 0);
    final ResultFetcher fetcher = new ResultFetcher(new CheckpointClient(fetcherHost, 64 << 20, Duration.ofSeconds(30),
        threads), w -> w.equals(gone) ? Optional.empty() : Optional.ofNullable(addresses.get(w)), Duration.ofSeconds(60));
    final FetchedModel model = fetcher.fetch(anchoredJob.anchored(), anchoredJob.lastStep(), 2);
    assertThat(model.servedBy()).containsExactly(1, 0);
    assertThat(model.fallbacks()).singleElement().asString()
        .isEqualTo("stage 0 replica 0 (worker " + gone + "): no known address");
    assertThat(model.params()).isEqualTo(fetcher().fetch(anchoredJob.anchored(), anchoredJob.lastStep(), 2).params());
  }

  @Test
  void recordsThatAreNotTheAnchoredBlocksAreRefusedBeforeAnyFetch() {
    final List<CellRoots> wrong = records.stream().map(SignedStepRecord::record).filter(r -> r.step() == STEPS - 2)
        .map(CellRoots::of).toList();
    assertThatThrownBy(() -> fetcher().fetch(anchoredJob.anchored(), wrong, 2))
        .isInstanceOf(ResultRefusedException.class)
        .hasMessageContaining("not the anchored block's records")
        .hasMessageContaining(anchoredJob.anchored().checkpointRoot().toHexString());
  }

  @Test
  void aStepWithNoCheckpointIsAnsweredUnavailable() {
    final CheckpointClient client = new CheckpointClient(fetcherHost, 64 << 20, Duration.ofSeconds(30), threads);
    final EthAddress w = job.assignment().worker(0, 0);
    assertThatThrownBy(() -> client.fetch(addresses.get(w), new CheckpointMessages.Request(job.jobId(), 0, 0, 3))
        .get(30, TimeUnit.SECONDS))
        .hasMessageContaining("worker refused: no checkpoint of job " + job.jobId() + " stage 0 replica 0 at step 3");
  }

  private static Checkpoint nudged(final Checkpoint c) {
    final NamedTensors params = c.params().copy();
    final float[] w = params.get(0).data();
    w[0] = Math.nextUp(w[0]);
    return new Checkpoint(c.step(), params, c.optimizerState(), c.metadata());
  }
}
