package io.tensorlink.chain.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.chain.job.tensor.PeerBindings;
import io.tensorlink.chain.job.tensor.TensorEndpoint;
import io.tensorlink.chain.job.worker.LazyFault;
import io.tensorlink.chain.job.worker.WorkerOptions;
import io.tensorlink.chain.job.worker.WorkerRuntime;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.JobSpec;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.pol.TestKeys;
import io.tensorlink.chain.pol.work.InputKind;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.Links;
import io.tensorlink.chain.pol.work.LocalPipeline;
import io.tensorlink.chain.pol.work.PolFixture;
import io.tensorlink.chain.pol.work.RecordKey;
import io.tensorlink.chain.validator.p2p.GossipPolTransport;
import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.checkpoint.Checkpoint;
import io.tensorlink.compute.checkpoint.CheckpointFile;
import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.ToLongFunction;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * The worker role on real standalone nodes (store, libp2p host, gossip): an assignment naming a
 * node's account starts its cell, one that does not is ignored, and closing the role finishes the
 * current step and checkpoints it.
 */
class WorkerRoleTest {

  @Test
  void assignedNodesTrainTheirCellsToTheEnd(@TempDir final Path dir) throws Exception {
    final JobContext job = withSteps(PolFixture.job(2, 1), 3);
    try (Nodes nodes = new Nodes(dir, job, Duration.ofSeconds(20))) {
      final List<WorkerRuntime> runtimes = new ArrayList<>();
      for (final WorkerRole role : nodes.roles) {
        runtimes.add(role.onAssignment(job, job.assignment()).orElseThrow());
        assertThat(role.onAssignment(job, job.assignment())).containsSame(runtimes.getLast());
      }
      await(() -> runtimes.stream().allMatch(WorkerRuntime::finished), "both cells to finish 3 steps");
      try (CpuBackend cpu = CpuBackend.withThreads(1)) {
        final LocalPipeline local = new LocalPipeline(job, cpu, PolFixture.keys(), LocalPipeline.HONEST);
        local.runThrough(2);
        for (final WorkerRuntime r : runtimes) {
          assertThat(r.params()).isEqualTo(local.params(r.stage(), r.replica()));
          final Checkpoint c = CheckpointFile.load(dir.resolve("job-1-s" + r.stage() + "-r0-step3.tlck"));
          assertThat(c.params()).isEqualTo(r.params());
        }
      }
      // a node the assignment does not name starts nothing
      final Credentials outsider = TestKeys.ANVIL.stream().filter(c -> job.assignment().cellOf(
          EthAddress.of(c.getAddress())).isEmpty()).findFirst().orElseThrow();
      try (StandaloneNode other = StandaloneNode.start(Nodes.config(dir.resolve("other"), outsider));
          WorkerRole role = WorkerRole.attach(other, Nodes.options(dir, Duration.ofSeconds(5)), a -> nodes.bindings)) {
        assertThat(role.onAssignment(job, job.assignment())).isEmpty();

        // Each node keeps the records its worker published and gives them to a validator that missed them.
        nodes.nodes.forEach(n -> other.host().dial(n.listenAddresses().get(0)).orTimeout(10, TimeUnit.SECONDS).join());
        try (GossipPolTransport validator = new GossipPolTransport(other.host(), other.gossip())) {
          final List<SignedStepRecord> fetched = validator.fetchRecords(job.jobId(), 0, 3).get(30, TimeUnit.SECONDS)
              .stream().map(w -> PolCodec.decodeSignedRecord(Bytes.wrap(w))).toList();
          assertThat(fetched).as("3 steps of 2 cells, each from the worker that signed it").hasSize(6)
              .allSatisfy(r -> assertThat(r.signatureValid(job.domain())).isTrue());
          assertThat(fetched.stream().map(r -> r.record().step() + "/" + r.record().stage()).distinct()).hasSize(6);
        }
      }
    }
  }

  @Test
  void bindingsCheckedOnTheNodeTopicCarryTheJob(@TempDir final Path dir) throws Exception {
    final JobContext job = withSteps(PolFixture.job(2, 1), 2);
    final List<Credentials> keys = job.assignment().workers().stream().map(w -> TestKeys.ANVIL.stream()
        .filter(c -> EthAddress.of(c.getAddress()).equals(w)).findFirst().orElseThrow()).toList();
    try (StandaloneNode a = StandaloneNode.start(Nodes.config(dir.resolve("a"), keys.get(0), List.of()));
        StandaloneNode b = StandaloneNode.start(Nodes.config(dir.resolve("b"), keys.get(1), a.listenAddresses()))) {
      await(() -> a.peerDirectory().orElseThrow().lookup(b.host().peerId()).isPresent()
          && b.peerDirectory().orElseThrow().lookup(a.host().peerId()).isPresent(), "each other's node binding");
      try (WorkerRole ra = WorkerRole.attach(a, Nodes.options(dir, Duration.ofSeconds(5)),
              x -> WorkerRole.directoryBindings(a));
          WorkerRole rb = WorkerRole.attach(b, Nodes.options(dir, Duration.ofSeconds(5)),
              x -> WorkerRole.directoryBindings(b))) {
        final WorkerRuntime first = ra.onAssignment(job, job.assignment()).orElseThrow();
        final WorkerRuntime second = rb.onAssignment(job, job.assignment()).orElseThrow();
        await(() -> first.finished() && second.finished(), "both cells to finish 2 steps");
        try (CpuBackend cpu = CpuBackend.withThreads(1)) {
          final LocalPipeline local = new LocalPipeline(job, cpu, PolFixture.keys(), LocalPipeline.HONEST);
          local.runThrough(1);
          assertThat(first.params()).isEqualTo(local.params(first.stage(), 0));
          assertThat(second.params()).isEqualTo(local.params(second.stage(), 0));
        }
      }
    }
  }

  @Test
  void aNeighbourThatLearnsOfTheJobLateStillGetsItsFirstFrames(@TempDir final Path dir) throws Exception {
    final JobContext job = withSteps(PolFixture.job(2, 1), 2);
    try (Nodes nodes = new Nodes(dir, job, Duration.ofSeconds(5))) {
      final int stage0 = job.assignment().worker(0, 0).equals(nodes.accounts.get(0)) ? 0 : 1;
      final WorkerRuntime first = nodes.roles.get(stage0).onAssignment(job, job.assignment()).orElseThrow();
      // stage 0's first activation reaches a node that has not registered the job yet: it is held
      final TensorEndpoint late = nodes.roles.get(1 - stage0).endpoint();
      await(() -> late.heldFrames() > 0, "the early activation to be held");
      final WorkerRuntime second = nodes.roles.get(1 - stage0).onAssignment(job, job.assignment()).orElseThrow();
      await(() -> first.finished() && second.finished(), "both cells to finish 2 steps");
      assertThat(late.heldFrames()).isZero();
      assertThat(late.rejections()).isEmpty();
      try (CpuBackend cpu = CpuBackend.withThreads(1)) {
        final LocalPipeline local = new LocalPipeline(job, cpu, PolFixture.keys(), LocalPipeline.HONEST);
        local.runThrough(1);
        assertThat(first.params()).isEqualTo(local.params(first.stage(), 0));
        assertThat(second.params()).isEqualTo(local.params(second.stage(), 0));
      }
    }
  }

  @Test
  void closingFinishesTheCurrentStepAndCheckpointsIt(@TempDir final Path dir) throws Exception {
    final JobContext job = PolFixture.job(2, 1);
    try (Nodes nodes = new Nodes(dir, job, Duration.ofSeconds(2))) {
      final WorkerRuntime first = nodes.roles.get(0).onAssignment(job, job.assignment()).orElseThrow();
      final WorkerRuntime second = nodes.roles.get(1).onAssignment(job, job.assignment()).orElseThrow();
      await(() -> first.nextStep() >= 2 && second.nextStep() >= 2, "two steps");
      nodes.roles.get(0).close();
      nodes.roles.get(1).close(); // its neighbour is gone: interrupted after the stop timeout
      for (final WorkerRuntime r : List.of(first, second)) {
        final long done = r.nextStep();
        assertThat(done).isGreaterThanOrEqualTo(2).isLessThan(job.spec().steps());
        final Checkpoint c = CheckpointFile.load(dir.resolve("job-1-s" + r.stage() + "-r0-step" + done + ".tlck"));
        assertThat(c.step()).isEqualTo(done);
        assertThat(Bytes32.wrap(c.paramsRoot())).isEqualTo(Links.root(r.params()));
      }
      assertThat(Math.abs(first.nextStep() - second.nextStep())).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void aJobTrainsAtMostTwoBlocksPastTheAnchorAndGoesOnAsBlocksAreAnchored(@TempDir final Path dir) throws Exception {
    final JobContext job = withSteps(PolFixture.job(2, 1), 16);
    final int block = job.spec().blockSteps();
    final AtomicLong anchorNextStep = new AtomicLong();
    try (Nodes nodes = new Nodes(dir, job, Duration.ofSeconds(5), jobId -> anchorNextStep.get())) {
      final List<WorkerRuntime> runtimes = new ArrayList<>();
      for (final WorkerRole role : nodes.roles) {
        runtimes.add(role.onAssignment(job, job.assignment()).orElseThrow());
      }
      // default archive: 4 blocks, so a lead of 2 blocks past the anchor
      await(() -> runtimes.stream().allMatch(r -> r.nextStep() == 2L * block), "two blocks trained, none anchored");
      Thread.sleep(1_500);
      assertThat(runtimes).allSatisfy(r -> assertThat(r.nextStep()).as("waits for the anchor").isEqualTo(2L * block));
      anchorNextStep.set(block);
      await(() -> runtimes.stream().allMatch(r -> r.nextStep() == 3L * block), "one more block once block 0 is anchored");
      assertThat(runtimes).allSatisfy(r -> assertThat(r.archive().get(new RecordKey(
          job.jobId(), 0, r.stage(), 0), InputKind.PARAMS_BEFORE))
          .as("the last anchored block's inputs are still served").isPresent());
      anchorNextStep.set(job.spec().steps());
      await(() -> runtimes.stream().allMatch(WorkerRuntime::finished), "the rest once everything is anchored");
    }
  }

  @Test
  void theFaultInjectorIsRefusedOffADevnet(@TempDir final Path dir) throws Exception {
    try (StandaloneNode node = StandaloneNode.start(Nodes.config(dir, TestKeys.ANVIL.get(0)))) {
      final WorkerRole.Options lazy = new WorkerRole.Options(1, WorkerOptions.defaults(),
          Optional.of(new LazyFault(0.05, 0)), Duration.ofSeconds(1), Duration.ofSeconds(1));
      assertThatThrownBy(() -> new WorkerRole(node.host(), node.gossip(), TestKeys.ANVIL.get(0), 1, lazy,
          a -> PeerBindings.of(Map.of()))).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--fault").hasMessageContaining("chain id 1");
    }
  }

  /** One standalone node with the worker role per cell of {@code job}. */
  private static final class Nodes implements AutoCloseable {
    final List<StandaloneNode> nodes = new ArrayList<>();
    final List<WorkerRole> roles = new ArrayList<>();
    final List<EthAddress> accounts = new ArrayList<>();
    final PeerBindings bindings;

    Nodes(final Path dir, final JobContext job, final Duration stopTimeout) {
      this(dir, job, stopTimeout, jobId -> Long.MAX_VALUE / 4);
    }

    Nodes(final Path dir, final JobContext job, final Duration stopTimeout,
        final ToLongFunction<BigInteger> anchorNextStep) {
      final Map<EthAddress, Multiaddr> addresses = new HashMap<>();
      for (final EthAddress w : job.assignment().workers()) {
        final Credentials key = TestKeys.ANVIL.stream().filter(c -> EthAddress.of(c.getAddress()).equals(w))
            .findFirst().orElseThrow();
        final StandaloneNode node = StandaloneNode.start(config(dir.resolve("node-" + nodes.size()), key));
        nodes.add(node);
        accounts.add(w);
        addresses.put(w, node.listenAddresses().get(0));
      }
      bindings = PeerBindings.of(addresses);
      for (final StandaloneNode node : nodes) {
        roles.add(WorkerRole.attach(node, options(dir, stopTimeout), a -> bindings, anchorNextStep));
      }
    }

    static WorkerRole.Options options(final Path dir, final Duration stopTimeout) {
      return new WorkerRole.Options(1, WorkerOptions.defaults().withFrameTimeout(Duration.ofSeconds(20))
          .withCheckpoints(dir, 1000), Optional.empty(), Duration.ofMillis(200), stopTimeout);
    }

    static NodeConfig config(final Path dir, final Credentials account) {
      return config(dir, account, List.of());
    }

    static NodeConfig config(final Path dir, final Credentials account, final List<Multiaddr> bootstrap) {
      return new NodeConfig(dir, EnumSet.of(Role.WORKER), Keys.generate(KeyType.ED25519),
          Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), bootstrap, new InetSocketAddress("127.0.0.1", 0), Optional.empty(),
          Optional.of(new NodeIdentity(account, 7701, TestKeys.DOMAIN)), Map.of(), Duration.ofMillis(300));
    }

    @Override
    public void close() {
      roles.forEach(WorkerRole::close);
      nodes.forEach(StandaloneNode::close);
    }
  }

  /** The same job with {@code steps} steps. */
  static JobContext withSteps(final JobContext job, final long steps) {
    final JobSpec s = job.spec();
    final JobSpec spec = new JobSpec(s.specHash(), s.datasetRoot(), s.datasetSize(), s.optimizer(), s.schedule(),
        s.gradClip(), s.batch(), s.seed(), steps, s.shuffle(), s.stages(), s.replicas(), s.verifyRatePpm(),
        s.verifyMode(), s.tolerancePpmL2(), s.blockSteps(), s.pricePerStep());
    return new JobContext(job.jobId(), spec, job.model(), job.stages(), job.dataset(), job.data(), job.assignment(),
        job.domain());
  }

  static void await(final BooleanSupplier condition, final String what) throws InterruptedException {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
