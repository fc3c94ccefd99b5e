package io.tensorlink.chain.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.chain.job.churn.ChurnWatch;
import io.tensorlink.chain.job.churn.Succession;
import io.tensorlink.chain.job.churn.TakeoverGate;
import io.tensorlink.chain.job.result.AnchoredCheckpoint;
import io.tensorlink.chain.job.result.CheckpointClient;
import io.tensorlink.chain.job.tensor.PeerBindings;
import io.tensorlink.chain.job.worker.WorkerOptions;
import io.tensorlink.chain.job.worker.WorkerRuntime;
import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.JobSpec;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.TestKeys;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.LocalPipeline;
import io.tensorlink.chain.pol.work.PolFixture;
import io.tensorlink.chain.validator.pol.BlockRecords;
import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * Churn through the node's own parts, on five real {@link StandaloneNode}s (store, libp2p host,
 * gossip) with their {@link WorkerRole}s, each writing checkpoints to its own directory: a 2×2 MLP
 * job with one standby, every node running a {@link ChurnWatch} as {@code JobFlow} does and
 * restarting its cell with {@link CellResume} on an accepted takeover. Once worker (1, 1) has done
 * step 6, its node is closed without a word; the others declare it gone, the standby takes over
 * at step 4 (the "anchored" block of steps 0–3) with the stage-1 checkpoint it fetched over
 * {@code /tl/checkpoint/1.0.0} from replica (1, 0) and checked against the anchored
 * checkpointRoot, the survivors resume from their own, and every cell finishes the job with the
 * parameters of the uninterrupted single-process run.
 */
class WorkerRoleChurnTest {
  private static final long STEPS = 24;
  private static final long RESUME = 4; // block 0 (steps 0-3) anchored
  private static final int DEAD = 3; // cell (1, 1)
  private static final int STANDBY = 4;
  private static final Duration PERIOD = Duration.ofMillis(200);
  private static final int MISSED = 25; // 5 s: a machine at load 40 stalls gossip threads for seconds

  @Test
  void theStandbyResumesAGoneWorkersCellAndTheJobEndsAsIfNothingHappened(@TempDir final Path dir) throws Exception {
    final JobContext base = withSteps(PolFixture.job(2, 2), STEPS);
    final Assignment a = base.assignment();
    final JobContext job = new Succession(new Assignment(a.jobId(), a.randomness(), 2, 2, a.workers(),
        List.of(TestKeys.address(STANDBY)))).rebind(base);
    final List<Credentials> keys = new ArrayList<>();
    job.assignment().workers().forEach(w -> keys.add(key(w)));
    keys.add(TestKeys.ANVIL.get(STANDBY));
    final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    final ExecutorService work = Executors.newFixedThreadPool(5);
    final List<Node> nodes = new ArrayList<>();
    try {
      final Map<EthAddress, Multiaddr> addresses = new HashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        final Node n = new Node(keys.get(i), dir.resolve("node-" + i));
        nodes.add(n);
        addresses.put(n.account, n.node.listenAddresses().get(0));
      }
      final PeerBindings bindings = PeerBindings.of(addresses);
      for (int i = 0; i < nodes.size(); i++) {
        for (int j = i + 1; j < nodes.size(); j++) {
          nodes.get(i).node.host().dial(addresses.get(nodes.get(j).account)).orTimeout(10, TimeUnit.SECONDS).join();
        }
      }
      final Bytes32 anchoredRoot = checkpointRootAfter(job, RESUME);
      for (final Node n : nodes) {
        n.attach(job, bindings, timer, work, new AnchoredCheckpoint(job.jobId(), 0, RESUME, anchoredRoot, "0x00"));
      }
      for (final Node n : nodes) {
        waitFor(() -> n.node.gossip().topicPeers(io.tensorlink.chain.job.churn.Takeover.topic(job.jobId())).join()
            .size() == 4, "takeover subscriptions at " + n.account);
      }
      for (int i = 0; i < 4; i++) {
        nodes.get(i).role.onAssignment(job, job.assignment()).orElseThrow();
      }

      // mid-job, past the anchored block: (1, 1)'s node goes away without a word
      final Node dead = nodes.get(DEAD);
      waitFor(() -> dead.role.runtime(job.jobId()).orElseThrow().nextStep() >= 6, "(1, 1) past step 6");
      dead.node.close(); // its host first: no goodbye, no last heartbeat

      final List<Node> live = nodes.stream().filter(n -> n != dead).toList();
      final Node standby = nodes.get(STANDBY);
      for (final Node n : live) {
        final TakeoverGate.Accepted accepted = n.accepted.get(60, TimeUnit.SECONDS);
        assertThat(accepted.takeover().standby()).isEqualTo(standby.account);
        assertThat(accepted.takeover().resumeStep()).isEqualTo(RESUME);
        assertThat(n.watch.current().worker(1, 1)).isEqualTo(standby.account);
      }
      for (final Node n : live) {
        final WorkerRuntime r = n.resumed.get(60, TimeUnit.SECONDS);
        assertThat(r.stage() * 2 + r.replica()).isEqualTo(n == standby ? DEAD : nodes.indexOf(n));
      }
      waitFor(() -> live.stream().allMatch(n -> n.role.runtime(job.jobId()).orElseThrow().finished()),
          "every cell to finish the job");
      try (CpuBackend cpu = CpuBackend.withThreads(1)) {
        final LocalPipeline local = new LocalPipeline(job, cpu, PolFixture.keys(), LocalPipeline.HONEST);
        local.runThrough(STEPS - 1);
        for (final Node n : live) {
          final WorkerRuntime r = n.role.runtime(job.jobId()).orElseThrow();
          assertThat(r.params()).as("cell (%d, %d)", r.stage(), r.replica())
              .isEqualTo(local.params(r.stage(), r.replica()));
        }
      }
      assertThat(live).allSatisfy(n -> {
        assertThat(n.watch.gate().refusals()).isEmpty();
        assertThat(n.watch.monitor().gone()).containsExactly(dead.account);
      });
    } finally {
      nodes.forEach(Node::close);
      work.shutdownNow();
      timer.shutdownNow();
    }
  }

  /** What the anchor would hold for the block ending before {@code step}: replica 0's stage roots combined. */
  private static Bytes32 checkpointRootAfter(final JobContext job, final long step) {
    try (CpuBackend cpu = CpuBackend.withThreads(1)) {
      final List<SignedStepRecord> records = new LocalPipeline(job, cpu, PolFixture.keys(), LocalPipeline.HONEST)
          .runThrough(step - 1);
      final List<Bytes32[]> roots = new ArrayList<>();
      for (int s = 0; s < 2; s++) {
        final int stage = s;
        final SignedStepRecord r = records.stream().filter(x -> x.record().step() == step - 1
            && x.record().stage() == stage && x.record().replica() == 0).findFirst().orElseThrow();
        roots.add(new Bytes32[] {r.record().paramsAfter(), r.record().optStateAfter()});
      }
      return BlockRecords.checkpointRoot(roots);
    }
  }

  private static JobContext withSteps(final JobContext job, final long steps) {
    final JobSpec s = job.spec();
    final JobSpec spec = new JobSpec(s.specHash(), s.datasetRoot(), s.datasetSize(), s.optimizer(), s.schedule(),
        s.gradClip(), s.batch(), s.seed(), steps, s.shuffle(), s.stages(), s.replicas(), s.verifyRatePpm(),
        s.verifyMode(), s.tolerancePpmL2(), s.blockSteps(), s.pricePerStep());
    return new JobContext(job.jobId(), spec, job.model(), job.stages(), job.dataset(), job.data(), job.assignment(),
        job.domain());
  }

  private static Credentials key(final EthAddress account) {
    return TestKeys.ANVIL.stream().filter(c -> EthAddress.of(c.getAddress()).equals(account)).findFirst()
        .orElseThrow();
  }

  private static void waitFor(final BooleanSupplier condition, final String what) throws InterruptedException {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  /** One node of the job: a standalone node, its worker role, its churn watch, and what its takeover listener did. */
  private static final class Node implements AutoCloseable {
    final Credentials key;
    final EthAddress account;
    final Path dir;
    final StandaloneNode node;
    final CompletableFuture<TakeoverGate.Accepted> accepted = new CompletableFuture<>();
    final CompletableFuture<WorkerRuntime> resumed = new CompletableFuture<>();
    WorkerRole role;
    ChurnWatch watch;
    private boolean closed;

    Node(final Credentials key, final Path dir) {
      this.key = key;
      this.account = EthAddress.of(key.getAddress());
      this.dir = dir;
      this.node = StandaloneNode.start(new NodeConfig(dir, EnumSet.of(Role.WORKER), Keys.generate(KeyType.ED25519),
          Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), List.of(), new InetSocketAddress("127.0.0.1", 0), Optional.empty(),
          Optional.of(new NodeIdentity(key, 7701, TestKeys.DOMAIN)), Map.of(), Duration.ofMillis(300)));
    }

    /** As {@code JobFlow} does on an assignment: the role, the watch, the heartbeat, the takeover listener. */
    void attach(final JobContext job, final PeerBindings bindings, final ScheduledExecutorService timer,
        final ExecutorService work, final AnchoredCheckpoint anchored) {
      role = WorkerRole.attach(node, new WorkerRole.Options(1, WorkerOptions.defaults()
          .withFrameTimeout(Duration.ofSeconds(30)).withCheckpoints(dir.resolve("checkpoints"), 1000), Optional.empty(),
          PERIOD, Duration.ofSeconds(5)), a -> bindings);
      watch = new ChurnWatch(node.gossip(), timer, job.assignment(), bindings, id -> RESUME, job.domain(),
          Optional.of(key), account, new ChurnWatch.Timing(PERIOD, MISSED), Clock.systemUTC());
      role.beat(job.assignment());
      final CellResume resume = new CellResume(role, account, Optional.of(dir.resolve("checkpoints")),
          new CheckpointClient(node.host(), 64 << 20, Duration.ofSeconds(30), work), bindings::address,
          Duration.ofSeconds(30));
      watch.gate().onAccepted(a -> {
        final long at = System.currentTimeMillis();
        accepted.complete(a);
        work.execute(() -> {
          try {
            resume.apply(a.succession().rebind(job), watch, a.takeover(), () -> Optional.of(anchored), at)
                .ifPresent(resumed::complete);
          } catch (RuntimeException e) {
            resumed.completeExceptionally(e);
          }
        });
      });
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (watch != null) {
        watch.close();
      }
      if (role != null) {
        role.close();
      }
      node.close();
    }
  }
}
