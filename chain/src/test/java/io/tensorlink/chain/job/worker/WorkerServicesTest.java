package io.tensorlink.chain.job.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.pol.verify.P2pInputSource;
import io.tensorlink.chain.pol.verify.VerifyServer;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.pol.work.InputKind;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.Links;
import io.tensorlink.chain.pol.work.PolFixture;
import io.tensorlink.chain.pol.work.RecordKey;
import io.tensorlink.chain.validator.PolTransport;
import io.tensorlink.compute.checkpoint.Checkpoint;
import io.tensorlink.compute.checkpoint.CheckpointFile;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.pubsub.Gossipsub;
import io.tensorlink.p2p.pubsub.GossipsubConfig;
import io.tensorlink.p2p.pubsub.ReceivedMessage;
import io.tensorlink.p2p.transport.Hosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a worker gives the rest of the network, on a 2-stage job over real loopback libp2p: its
 * records on {@code /tl/steps/1/<jobId>} in the validators' wire form, heartbeats on
 * {@code /tl/heartbeat/1/<jobId>}, its inputs on {@code /tl/verify/1.0.0}, and checkpoints.
 */
class WorkerServicesTest {
  private static final GossipsubConfig GOSSIP = GossipsubConfig.builder().heartbeatInterval(Duration.ofMillis(100))
      .build();

  @Test
  void recordsHeartbeatsVerifyInputsAndCheckpoints(@TempDir final Path dir) throws Exception {
    final JobContext job = PolFixture.job(2, 1);
    final String steps = PolTransport.stepsTopic(job.jobId());
    final String beats = Heartbeat.topic(job.jobId());
    final List<Gossipsub> routers = new ArrayList<>();
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final ExecutorService verifyPool = Executors.newSingleThreadExecutor();
    try (WorkerCluster cluster = new WorkerCluster(job, i -> WorkerOptions.defaults()
        .withFrameTimeout(Duration.ofSeconds(20)).withCheckpoints(dir.resolve("w" + i), 2));
        Host observer = Hosts.create(HostConfig.loopback())) {
      observer.start().orTimeout(30, TimeUnit.SECONDS).join();
      final Gossipsub watch = new Gossipsub(observer, GOSSIP).start();
      routers.add(watch);
      final ConcurrentLinkedQueue<ReceivedMessage> records = new ConcurrentLinkedQueue<>();
      final ConcurrentLinkedQueue<ReceivedMessage> heartbeats = new ConcurrentLinkedQueue<>();
      watch.subscribe(steps, records::add).join();
      watch.subscribe(beats, heartbeats::add).join();
      for (int i = 0; i < 2; i++) {
        Files.createDirectories(dir.resolve("w" + i));
        final Gossipsub g = new Gossipsub(cluster.hosts.get(i), GOSSIP).start();
        routers.add(g);
        cluster.hosts.get(i).dial(observer.listenAddresses().get(0).withPeerId(observer.peerId()))
            .orTimeout(10, TimeUnit.SECONDS).join();
        await(() -> g.topicPeers(steps).join().contains(observer.peerId())
            && g.topicPeers(beats).join().contains(observer.peerId()), "the observer's subscriptions");
        cluster.forward(i, new GossipRecordSink(g));
        VerifyServer.register(cluster.hosts.get(i), cluster.workers.get(i).archive()::get, verifyPool);
      }
      try (HeartbeatPublisher beat = new HeartbeatPublisher(routers.get(1), timer, Duration.ofMillis(100),
          Clock.systemUTC(), cluster.worker(0, 0))) {
        cluster.runThrough(2);
        await(() -> records.size() == 6, "six records on " + steps);
        await(() -> heartbeats.stream().anyMatch(m -> Heartbeat.decode(m.data().toByteArray()).nextStep() == 3),
            "a heartbeat at step 3");
      }

      // records: the validators' wire form, authored by the signer's host
      final List<SignedStepRecord> published = cluster.records();
      assertThat(records).allSatisfy(m -> {
        final SignedStepRecord r = PolCodec.decodeSignedRecord(Bytes.wrap(m.data().toByteArray()));
        assertThat(published).contains(r);
        assertThat(m.author()).isEqualTo(cluster.host(r.record().stage(), 0).peerId());
      });
      assertThat(heartbeats).allSatisfy(m -> {
        final Heartbeat h = Heartbeat.decode(m.data().toByteArray());
        assertThat(h.jobId()).isEqualTo(job.jobId());
        assertThat(new int[] {h.stage(), h.replica()}).containsExactly(0, 0);
        assertThat(m.author()).isEqualTo(cluster.host(0, 0).peerId());
      });

      // a validator fetches stage 1's activations of step 1 and checks them against the record
      final StepRecord s1 = published.stream().map(SignedStepRecord::record)
          .filter(r -> r.step() == 1 && r.stage() == 1).findFirst().orElseThrow();
      final P2pInputSource source = new P2pInputSource(observer, cluster.bindings::address, 1 << 20,
          Duration.ofSeconds(10), verifyPool);
      final NamedTensors actIn = source.fetch(s1.worker(), RecordKey.of(s1), InputKind.ACT_IN)
          .get(10, TimeUnit.SECONDS);
      assertThat(Links.of(actIn.get(0))).isEqualTo(s1.actIn());

      // checkpoints after 2 steps and where the run stopped (3), matching the records
      final Path w1 = dir.resolve("w1");
      assertThat(w1.resolve("job-1-s1-r0-step2.tlck")).exists();
      final Checkpoint last = CheckpointFile.load(w1.resolve("job-1-s1-r0-step3.tlck"));
      final StepRecord s2 = published.stream().map(SignedStepRecord::record)
          .filter(r -> r.step() == 2 && r.stage() == 1).findFirst().orElseThrow();
      assertThat(last.step()).isEqualTo(3);
      assertThat(Bytes32.wrap(last.paramsRoot())).isEqualTo(s2.paramsAfter());
    } finally {
      routers.forEach(Gossipsub::close);
      timer.shutdownNow();
      verifyPool.shutdownNow();
    }
  }

  @Test
  void theArchiveKeepsTheLastBlocksOfSteps() throws Exception {
    final JobContext job = PolFixture.job(2, 1); // blocks of 4 steps
    try (WorkerCluster cluster = new WorkerCluster(job, i -> WorkerOptions.defaults()
        .withFrameTimeout(Duration.ofSeconds(20)).withArchiveBlocks(1))) {
      cluster.runThrough(5);
      final var archive = cluster.worker(0, 0).archive();
      assertThat(archive.get(new RecordKey(job.jobId(), 1, 0, 0), InputKind.PARAMS_BEFORE)).isEmpty();
      for (long t = 2; t <= 5; t++) {
        assertThat(archive.get(new RecordKey(job.jobId(), t, 0, 0), InputKind.BATCH)).as("step %d", t).isPresent();
      }
      final StepRecord s3 = cluster.records().stream().map(SignedStepRecord::record)
          .filter(r -> r.step() == 3 && r.stage() == 0).findFirst().orElseThrow();
      final NamedTensors before = archive.get(RecordKey.of(s3), InputKind.PARAMS_BEFORE).orElseThrow();
      assertThat(Links.root(before)).isEqualTo(s3.paramsBefore());
      assertThat(archive.get(new RecordKey(job.jobId(), 2, 0, 0), InputKind.PARAMS_AFTER)).containsSame(before);
    }
  }

  static void await(final BooleanSupplier condition, final String what) throws InterruptedException {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
