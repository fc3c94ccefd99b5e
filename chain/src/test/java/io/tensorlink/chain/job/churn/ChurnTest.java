package io.tensorlink.chain.job.churn;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.chain.job.tensor.PeerBindings;
import io.tensorlink.chain.job.tensor.TensorEndpoint;
import io.tensorlink.chain.job.worker.Heartbeat;
import io.tensorlink.chain.job.worker.HeartbeatPublisher;
import io.tensorlink.chain.job.worker.WorkerOptions;
import io.tensorlink.chain.job.worker.WorkerRuntime;
import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.TestKeys;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.LocalPipeline;
import io.tensorlink.chain.pol.work.PolFixture;
import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.checkpoint.Checkpoint;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.pubsub.Gossipsub;
import io.tensorlink.p2p.pubsub.GossipsubConfig;
import io.tensorlink.p2p.transport.Hosts;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * A 2×2 MLP job on four worker hosts and one standby host (real libp2p on loopback, gossipsub,
 * the real engine). Mid-job, after the block of steps 0–3 is anchored, worker (1, 1)'s host is
 * closed abruptly. Every node's {@link HeartbeatMonitor} declares it gone, the standby announces
 * its signed {@link Takeover}, every {@link TakeoverGate} accepts it (and refuses two forgeries,
 * logging why), and all cells resume from the step-4 stage checkpoints — the standby from the
 * other replica's — with the standby bound to the cell. The redone records are the uninterrupted
 * run's with the standby as (1, 1)'s signer, and the final paramsRoots are the uninterrupted run's.
 */
class ChurnTest {
  private static final GossipsubConfig GOSSIP = GossipsubConfig.builder().heartbeatInterval(Duration.ofMillis(100))
      .build();
  private static final Duration PERIOD = Duration.ofMillis(200);
  private static final int MISSED = 10; // 2 s: a loaded 2-core machine delays timers, never by that much
  private static final long LAST = 9;
  private static final long RESUME = 4; // block 0 (steps 0-3) anchored
  private static final int DEAD = 3; // cell (1, 1)
  private static final int STANDBY = 4;

  @Test
  void aStandbyTakesOverTheCellOfAWorkerWhoseHostDied(@TempDir final Path dir) throws Exception {
    final JobContext base = PolFixture.job(2, 2);
    final Assignment a = base.assignment();
    final JobContext job = new Succession(new Assignment(a.jobId(), a.randomness(), 2, 2, a.workers(),
        List.of(TestKeys.address(STANDBY)))).rebind(base);
    final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    final List<Node> nodes = new ArrayList<>();
    try {
      // five nodes: the four cells' workers (cell order) and the standby, fully connected
      final List<EthAddress> accounts = new ArrayList<>(job.assignment().workers());
      accounts.add(TestKeys.address(STANDBY));
      final Map<EthAddress, Multiaddr> addresses = new HashMap<>();
      for (int i = 0; i < accounts.size(); i++) {
        final Node n = new Node(key(accounts.get(i)), dir.resolve("n" + i));
        nodes.add(n);
        addresses.put(n.account, n.host.listenAddresses().get(0).withPeerId(n.host.peerId()));
      }
      final PeerBindings bindings = PeerBindings.of(addresses);
      for (int i = 0; i < nodes.size(); i++) {
        for (int j = i + 1; j < nodes.size(); j++) {
          nodes.get(i).host.dial(addresses.get(nodes.get(j).account)).orTimeout(10, TimeUnit.SECONDS).join();
        }
      }
      // heartbeats first, so that no monitor starts counting before the beats flow
      // every cell registered before any sends (a frame for a job a node does not run yet is refused)
      for (int i = 0; i < 4; i++) {
        nodes.get(i).prepare(job, bindings, timer, Optional.empty());
      }
      for (int i = 0; i < 4; i++) {
        // (1, 1) dies once it has done step 6, while its neighbours are already in step 7
        nodes.get(i).run(i == DEAD ? 6 : LAST);
      }
      final Node standby = nodes.get(STANDBY);
      standby.beacon = new HeartbeatPublisher(standby.gossip, timer, PERIOD, job.jobId(),
          () -> new Heartbeat(job.jobId(), job.spec().stages(), 0, 0, System.currentTimeMillis()));
      for (final Node n : nodes) {
        n.watch(job, bindings, timer, accounts);
      }
      final String takeovers = Takeover.topic(job.jobId());
      for (final Node n : nodes) {
        await(() -> n.gossip.topicPeers(takeovers).join().size() == 4
            && n.gossip.topicPeers(Heartbeat.topic(job.jobId())).join().size() == 4, "gossip subscriptions");
      }

      // mid-job, past the anchored block: (1, 1)'s host goes away without a word
      final Node dead = nodes.get(DEAD);
      dead.thread.join(120_000);
      assertThat(dead.runtime.nextStep()).isEqualTo(7);
      dead.close();

      // forgeries, from a live node: a non-standby claiming the cell, and the standby's name under another key
      final Credentials forger = TestKeys.ANVIL.get(5);
      nodes.get(0).gossip.publish(takeovers, Takeover.sign(job.jobId(), 1, 1, dead.account, RESUME, job.domain(),
          forger).encode().toArrayUnsafe()).join();
      final Takeover stolen = Takeover.sign(job.jobId(), 1, 1, dead.account, RESUME, job.domain(), forger);
      nodes.get(0).gossip.publish(takeovers, new Takeover(job.jobId(), 1, 1, dead.account, standby.account, RESUME,
          stolen.signature()).encode().toArrayUnsafe()).join();

      final List<Node> live = nodes.stream().filter(n -> n != dead).toList();
      for (final Node n : live) {
        n.accepted.get(30, TimeUnit.SECONDS);
        assertThat(n.gate.succession().current().worker(1, 1)).isEqualTo(standby.account);
        assertThat(n.monitor.gone()).containsExactly(dead.account);
      }
      for (final Node n : live.subList(1, live.size())) { // node 0 published the forgeries
        await(() -> n.gate.refusals().size() >= 2, "both forgeries refused at " + n.account);
        assertThat(n.gate.refusals()).anySatisfy(r -> assertThat(r)
            .contains(TestKeys.address(5) + " is not a standby of job " + job.jobId()));
        assertThat(n.gate.refusals()).anySatisfy(r -> assertThat(r)
            .contains("it is not signed by the standby " + standby.account));
      }

      // everyone resumes from the anchored step; the standby from the other replica's stage checkpoint
      final JobContext rebound = standby.gate.succession().rebind(job);
      final CheckpointSource others = new DirectoryCheckpoints(live.stream().map(n -> n.dir).toList());
      for (final Node n : live) {
        n.stop();
      }
      for (final Node n : live) {
        final int stage = rebound.assignment().cellOf(n.account).orElseThrow()[0];
        final Checkpoint from = (n == standby ? others : new DirectoryCheckpoints(List.of(n.dir)))
            .fetch(job.jobId(), stage, RESUME).orElseThrow();
        if (n == standby) {
          assertThat(from.metadata()).containsEntry("stage", "1").containsEntry("replica", "0");
        }
        n.prepare(rebound, bindings, timer, Optional.of(from));
      }
      live.forEach(n -> n.run(LAST));
      for (final Node n : live) {
        n.thread.join(180_000);
        assertThat(n.failure).as("worker %s", n.account).isNull();
        assertThat(n.runtime.nextStep()).isEqualTo(LAST + 1);
      }

      // the redone steps are the uninterrupted run's records with the standby signing (1, 1)
      final List<SignedStepRecord> redone = live.stream().flatMap(n -> n.records.stream())
          .sorted(Comparator.comparingLong((SignedStepRecord r) -> r.record().step())
              .thenComparingInt(r -> r.record().stage()).thenComparingInt(r -> r.record().replica())).toList();
      final List<SignedStepRecord> expected = local(rebound).stream().filter(r -> r.record().step() >= RESUME).toList();
      assertThat(wire(redone)).containsExactlyElementsOf(wire(expected));
      assertThat(redone).filteredOn(r -> r.record().stage() == 1 && r.record().replica() == 1)
          .allSatisfy(r -> assertThat(r.record().worker()).isEqualTo(standby.account));
      // and the final paramsRoots are those of the uninterrupted run with the original workers
      final List<SignedStepRecord> uninterrupted = local(job);
      for (int s = 0; s < 2; s++) {
        final int stage = s;
        assertThat(last(redone, stage).record().paramsAfter()).isEqualTo(last(uninterrupted, stage).record().paramsAfter());
      }
    } finally {
      nodes.forEach(Node::close);
      timer.shutdownNow();
    }
  }

  private static SignedStepRecord last(final List<SignedStepRecord> records, final int stage) {
    return records.stream().filter(r -> r.record().step() == LAST && r.record().stage() == stage).findFirst()
        .orElseThrow();
  }

  private static List<SignedStepRecord> local(final JobContext job) {
    try (CpuBackend cpu = CpuBackend.withThreads(1)) {
      return new LocalPipeline(job, cpu, PolFixture.keys(), LocalPipeline.HONEST).runThrough(LAST);
    }
  }

  private static List<Bytes> wire(final List<SignedStepRecord> records) {
    return records.stream().map(PolCodec::encode).toList();
  }

  private static Credentials key(final EthAddress account) {
    return TestKeys.ANVIL.stream().filter(c -> EthAddress.of(c.getAddress()).equals(account)).findFirst()
        .orElseThrow();
  }

  static void await(final BooleanSupplier condition, final String what) throws InterruptedException {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  /** One node of the job: host, gossip, tensor endpoint, churn watch, and its cell's runtime once it has one. */
  private static final class Node implements AutoCloseable {
    final Credentials key;
    final EthAddress account;
    final Path dir;
    final Host host = Hosts.create(HostConfig.loopback());
    final Gossipsub gossip;
    final TensorEndpoint endpoint;
    final CpuBackend cpu = CpuBackend.withThreads(1);
    final CompletableFuture<TakeoverGate.Accepted> accepted = new CompletableFuture<>();
    final ConcurrentLinkedQueue<SignedStepRecord> records = new ConcurrentLinkedQueue<>();
    HeartbeatMonitor monitor;
    TakeoverGate gate;
    HeartbeatPublisher beacon;
    WorkerRuntime runtime;
    Thread thread;
    volatile Throwable failure;
    private boolean closed;

    Node(final Credentials key, final Path dir) {
      this.key = key;
      this.account = EthAddress.of(key.getAddress());
      this.dir = dir;
      host.start().orTimeout(30, TimeUnit.SECONDS).join();
      gossip = new Gossipsub(host, GOSSIP).start();
      endpoint = new TensorEndpoint(host);
    }

    void watch(final JobContext job, final PeerBindings bindings, final ScheduledExecutorService timer,
        final List<EthAddress> watched) {
      // a node does not receive its own gossip: it watches everyone else
      monitor = new HeartbeatMonitor(gossip, timer, job.jobId(), watched.stream().filter(a -> !a.equals(account))
          .toList(), bindings, PERIOD, MISSED,
          Clock.systemUTC());
      gate = new TakeoverGate(gossip, monitor, new Succession(job.assignment()), id -> RESUME, job.domain(),
          Optional.of(key));
      gate.onAccepted(accepted::complete);
    }

    /** A fresh runtime for this node's cell, registered on its endpoint (frames for it are kept from now on). */
    void prepare(final JobContext job, final PeerBindings bindings, final ScheduledExecutorService timer,
        final Optional<Checkpoint> from) {
      records.clear();
      runtime = new WorkerRuntime(job, key, cpu, endpoint, bindings, records::add, WorkerOptions.defaults()
          .withCheckpoints(dir, 4).withFrameTimeout(Duration.ofSeconds(60)), from);
      if (beacon != null) {
        beacon.close();
      }
      beacon = new HeartbeatPublisher(gossip, timer, PERIOD, Clock.systemUTC(), runtime);
    }

    void run(final long lastStep) {
      failure = null;
      thread = Thread.ofPlatform().name("cell-" + account).start(() -> {
        try {
          runtime.runThrough(lastStep);
        } catch (RuntimeException e) {
          failure = e;
        }
      });
    }

    /** Stops the cell's runtime (a survivor waiting on the gone neighbour is interrupted). */
    void stop() throws InterruptedException {
      if (thread != null) {
        thread.interrupt();
        thread.join(30_000);
        runtime.close();
      }
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      host.close(); // abrupt: no goodbye to the peers
      try {
        stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (beacon != null) {
        beacon.close();
      }
      if (gate != null) {
        gate.close();
        monitor.close();
      }
      gossip.close();
      endpoint.close();
      cpu.close();
    }
  }
}
