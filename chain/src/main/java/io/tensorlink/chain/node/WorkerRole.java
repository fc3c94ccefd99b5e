package io.tensorlink.chain.node;

import io.tensorlink.chain.job.churn.ChurnWatch;
import io.tensorlink.chain.job.tensor.PeerBindings;
import io.tensorlink.chain.job.tensor.TensorEndpoint;
import io.tensorlink.chain.job.worker.GossipRecordSink;
import io.tensorlink.chain.job.worker.HeartbeatPublisher;
import io.tensorlink.chain.job.worker.LazyFault;
import io.tensorlink.chain.job.worker.WorkerException;
import io.tensorlink.chain.job.worker.WorkerOptions;
import io.tensorlink.chain.job.worker.RecordSink;
import io.tensorlink.chain.job.worker.StoringRecordSink;
import io.tensorlink.chain.job.worker.WorkerRuntime;
import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.store.StoreException;
import io.tensorlink.chain.job.result.CheckpointDirectory;
import io.tensorlink.chain.job.result.CheckpointServer;
import io.tensorlink.chain.pol.verify.VerifyServer;
import io.tensorlink.chain.pol.work.InputKind;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.RecordKey;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.checkpoint.Checkpoint;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.protocol.tensor.TensorLinkProtocols;
import io.tensorlink.p2p.pubsub.Gossipsub;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;

/**
 * The worker role of a node: when it learns an {@link Assignment} that gives its account a cell
 * ({@link #onAssignment}), it trains that cell in a {@link WorkerRuntime} on its own thread, over
 * the node's host ({@code /tl/tensor/1.0.0}, {@code /tl/verify/1.0.0}) and gossip (records,
 * heartbeats). {@link #close} lets each job finish its current step and checkpoint it; a job whose
 * neighbour is already gone is interrupted after {@link Options#stopTimeout}, still checkpointing
 * its last finished step.
 */
public final class WorkerRole implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerRole.class);

  /**
   * @param threads CPU threads per job
   * @param worker how each job runs (micro-batches, checkpoints, frame timeout); its fault, if any,
   *     is replaced per job by {@link #fault}'s fraction with the job's seed
   * @param fault the test-only {@code --fault lazy:<fraction>} injector, refused off a devnet
   * @param heartbeatEvery how often each job's heartbeat is published
   * @param stopTimeout how long {@link #close} waits for a job's current step before interrupting it
   */
  public record Options(int threads, WorkerOptions worker, Optional<LazyFault> fault, Duration heartbeatEvery,
      Duration stopTimeout) {
    public Options {
      if (threads < 1) {
        throw new IllegalArgumentException("worker threads must be >= 1, got " + threads);
      }
    }
  }

  /** Polls the anchor this often while a job waits for its next block to be anchored. */
  private static final Duration PACE_POLL = Duration.ofMillis(500);

  private final Host host;
  private final Gossipsub gossip;
  private final Credentials account;
  private final Options options;
  private final Function<Assignment, PeerBindings> bindings;
  private final ToLongFunction<BigInteger> anchoredStep;
  private final Optional<NodeStore> recordStore;
  private final TensorEndpoint endpoint;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("worker-heartbeat").daemon().factory());
  private final ExecutorService verifyPool =
      Executors.newSingleThreadExecutor(Thread.ofPlatform().name("worker-verify").daemon().factory());
  private final Map<BigInteger, Running> jobs = new ConcurrentHashMap<>();
  private final Map<BigInteger, HeartbeatPublisher> beacons = new ConcurrentHashMap<>();
  private boolean closed;

  private record Running(WorkerRuntime runtime, CpuBackend backend, HeartbeatPublisher heartbeat, Thread thread) {}

  /**
   * @param bindings the checked node bindings of an assignment's workers (peer ID ↔ account, with
   *     a dialable address each): the node's peer directory
   * @throws IllegalArgumentException when a fault injector is configured and {@code chainId} is not a devnet's
   */
  public WorkerRole(final Host host, final Gossipsub gossip, final Credentials account, final long chainId,
      final Options options, final Function<Assignment, PeerBindings> bindings) {
    this(host, gossip, account, chainId, options, bindings, jobId -> UNPACED);
  }

  /**
   * A worker role paced by the anchor: a job trains at most {@link #leadBlocks} PoL blocks past
   * {@code anchoredStep} (the first step after the job's last anchored block), so every step a
   * validator may still sample, and the last anchored blocks a challenge may reach, are still in
   * the job's {@link io.tensorlink.chain.pol.work.InputArchive} (which keeps {@link WorkerOptions#archiveBlocks} blocks).
   */
  public WorkerRole(final Host host, final Gossipsub gossip, final Credentials account, final long chainId,
      final Options options, final Function<Assignment, PeerBindings> bindings,
      final ToLongFunction<BigInteger> anchoredStep) {
    this(host, gossip, account, chainId, options, bindings, anchoredStep, Optional.empty());
  }

  /** @param recordStore where the records it publishes are kept too, for the node to serve ({@code RecordServer}) */
  private WorkerRole(final Host host, final Gossipsub gossip, final Credentials account, final long chainId,
      final Options options, final Function<Assignment, PeerBindings> bindings,
      final ToLongFunction<BigInteger> anchoredStep, final Optional<NodeStore> recordStore) {
    this.anchoredStep = anchoredStep;
    this.recordStore = recordStore;
    if (options.fault().isPresent() && !LazyFault.DEVNET_CHAIN_IDS.contains(chainId)) {
      throw new IllegalArgumentException(LazyFault.FLAG + " is a test-only flag and is refused on chain id "
          + chainId);
    }
    this.host = host;
    this.gossip = gossip;
    this.account = account;
    this.options = options;
    this.bindings = bindings;
    this.endpoint = new TensorEndpoint(host);
    VerifyServer.register(host, this::input, verifyPool);
    // the client's `job result` fetches the checkpoints this role writes (docs/jobs-result.md)
    options.worker().checkpointDir().ifPresent(dir -> CheckpointServer.register(host, new CheckpointDirectory(dir),
        verifyPool));
  }

  /** Gossip, and the node's store when the role runs on a node (which serves them to validators that missed them). */
  private RecordSink records() {
    final RecordSink gossiped = new GossipRecordSink(gossip);
    return recordStore.<RecordSink>map(store -> new StoringRecordSink(store, gossiped)).orElse(gossiped);
  }

  /** The worker role on a started node (its host, gossip router, account and chain). */
  public static WorkerRole attach(final StandaloneNode node, final Options options,
      final Function<Assignment, PeerBindings> bindings) {
    return attach(node, options, bindings, jobId -> UNPACED);
  }

  /** As {@link #attach(StandaloneNode, Options, Function)}, paced by the anchor (see the paced constructor). */
  public static WorkerRole attach(final StandaloneNode node, final Options options,
      final Function<Assignment, PeerBindings> bindings, final ToLongFunction<BigInteger> anchoredStep) {
    final NodeIdentity id = node.identity().orElseThrow(() -> new IllegalArgumentException(
        "the worker role signs with an account: give the node a keystore"));
    return new WorkerRole(node.host(), node.gossip(), id.account(), id.chainId(), options, bindings, anchoredStep,
        Optional.of(node.store()));
  }

  /** An anchored step far enough ahead that nothing waits (tests and tools without a chain). */
  private static final long UNPACED = Long.MAX_VALUE / 4;

  /**
   * How many PoL blocks a job may train past its last anchored block: half the archive, so the
   * archive still holds the last anchored blocks too (a challenge after anchoring re-executes them).
   */
  static int leadBlocks(final WorkerOptions worker) {
    return Math.max(1, worker.archiveBlocks() / 2);
  }

  /**
   * The bindings a node has checked on {@code /tl/nodes/1}, as a live view: a peer's account is
   * its latest valid binding's, and an account is reached through the connection to the peer
   * bound to it (dialing that address reuses the connection).
   */
  public static PeerBindings directoryBindings(final StandaloneNode node) {
    final PeerDirectory directory = node.peerDirectory().orElseThrow(() -> new IllegalArgumentException(
        "a node without an account keeps no node bindings"));
    return new PeerBindings() {
      @Override
      public Optional<EthAddress> account(final PeerId peer) {
        return directory.lookup(peer).map(a -> a.binding().account());
      }

      @Override
      public Optional<Multiaddr> address(final EthAddress account) {
        return node.host().connections().stream()
            .filter(c -> account(c.remotePeer()).filter(account::equals).isPresent())
            .map(c -> c.remoteAddress().withPeerId(c.remotePeer())).findFirst();
      }
    };
  }

  /**
   * Starts training this node's cell of {@code job}, if {@code assignment} gives its account one.
   *
   * @return the runtime (already running, or started now); empty when the account has no cell
   * @throws IllegalArgumentException when {@code assignment} is not the one {@code job} was derived with
   */
  public synchronized Optional<WorkerRuntime> onAssignment(final JobContext job, final Assignment assignment) {
    if (!assignment.equals(job.assignment())) {
      throw new IllegalArgumentException("assignment " + assignment.hash() + " is not job " + job.jobId()
          + "'s " + job.assignment().hash());
    }
    if (closed) {
      throw new IllegalStateException("the worker role is closed");
    }
    final EthAddress self = EthAddress.of(account.getAddress());
    if (assignment.cellOf(self).isEmpty()) {
      LOG.debug("job {}: {} has no cell", job.jobId(), self);
      return Optional.empty();
    }
    final Running existing = jobs.get(job.jobId());
    if (existing != null) {
      return Optional.of(existing.runtime());
    }
    return Optional.of(start(job, Optional.empty(), () -> true));
  }

  /**
   * Publishes this node's heartbeat for {@code assignment}'s job before it trains a cell of it (no
   * cell yet): while a cell's worker fetches the job's data, and for as long as a standby stands
   * by, the job's other nodes count it as live. It stops once this node's runtime for the job runs.
   */
  public synchronized void beat(final Assignment assignment) {
    if (closed || jobs.containsKey(assignment.jobId()) || beacons.containsKey(assignment.jobId())) {
      return;
    }
    beacons.put(assignment.jobId(), new HeartbeatPublisher(gossip, timer, options.heartbeatEvery(),
        assignment.jobId(), () -> ChurnWatch.idleBeat(assignment, System.currentTimeMillis())));
  }

  /**
   * Restarts this node's cell of {@code job} after a takeover (docs/jobs-worker.md §5): the running
   * runtime, if any, is stopped (its neighbour is gone: it is interrupted), and a new one resumes
   * from {@code from} (none: from the start) over the effective assignment {@code job} carries. Its
   * inbox takes frames at once; its steps wait until {@code ready} says every other cell runs its
   * own resumed runtime (or {@link Options#stopTimeout} × 10 passed, then it tries anyway).
   *
   * @throws IllegalArgumentException when the effective assignment gives this node no cell
   */
  public synchronized WorkerRuntime resume(final JobContext job, final Optional<Checkpoint> from,
      final BooleanSupplier ready) {
    if (closed) {
      throw new IllegalStateException("the worker role is closed");
    }
    final Running old = jobs.remove(job.jobId());
    if (old != null) {
      old.runtime().requestStop();
      old.thread().interrupt();
      try {
        old.thread().join(options.stopTimeout());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      stop(old);
    }
    return start(job, from, ready);
  }

  private WorkerRuntime start(final JobContext job, final Optional<Checkpoint> from, final BooleanSupplier ready) {
    // a checkpoint at every block boundary: after a takeover every cell resumes from the last anchored one
    final WorkerOptions perJob = options.worker().checkpointDir()
        .map(dir -> options.worker().withCheckpoints(dir, job.spec().blockSteps())).orElse(options.worker());
    final WorkerOptions runOptions = options.fault().map(f -> perJob.withFault(
        new LazyFault(f.fraction(), job.spec().seed()))).orElse(perJob);
    final CpuBackend backend = CpuBackend.withThreads(options.threads());
    final WorkerRuntime runtime;
    try {
      runtime = new WorkerRuntime(job, account, backend, endpoint, bindings.apply(job.assignment()),
          records(), runOptions, from);
    } catch (RuntimeException e) {
      backend.close();
      throw e;
    }
    final HeartbeatPublisher beacon = beacons.remove(job.jobId());
    if (beacon != null) {
      beacon.close();
    }
    final HeartbeatPublisher heartbeat = new HeartbeatPublisher(gossip, timer, options.heartbeatEvery(),
        Clock.systemUTC(), runtime);
    final Thread thread = Thread.ofPlatform().name("worker-job-" + job.jobId())
        .unstarted(() -> run(runtime, ready));
    jobs.put(job.jobId(), new Running(runtime, backend, heartbeat, thread));
    LOG.info("job {}: training stage {} replica {} as {} from step {}", job.jobId(), runtime.stage(),
        runtime.replica(), EthAddress.of(account.getAddress()), runtime.nextStep());
    thread.start();
    return runtime;
  }

  private void run(final WorkerRuntime runtime, final BooleanSupplier ready) {
    final long end = System.nanoTime() + options.stopTimeout().toNanos() * 10;
    try {
      while (!ready.getAsBoolean()) {
        if (System.nanoTime() > end) {
          LOG.warn("job {}: not every cell reported its resumed runtime; starting anyway", runtime.jobId());
          break;
        }
        Thread.sleep(200);
      }
    } catch (InterruptedException e) {
      LOG.info("job {}: stopped before resuming", runtime.jobId());
      return;
    }
    try {
      final long last = runPaced(runtime);
      LOG.info("job {}: stage {} replica {} stopped after step {}", runtime.jobId(), runtime.stage(),
          runtime.replica(), last);
    } catch (WorkerException e) {
      LOG.error("job {}: worker stopped: {}", runtime.jobId(), e.getMessage());
    } catch (StoreException e) {
      LOG.info("job {}: worker stopped with its node: {}", runtime.jobId(), e.getMessage());
    } catch (InterruptedException e) {
      LOG.info("job {}: stopped while waiting for the anchor", runtime.jobId());
    } catch (OutOfMemoryError e) {
      // Said in the node's log, not only on stderr: the node stays up, but this cell trains no more.
      LOG.error("job {}: worker stopped at step {}: out of memory ({}). A worker keeps its last {} blocks of inputs"
          + " for re-execution; give the node more heap (TL_JAVA_OPTS=-Xmx…)", runtime.jobId(), runtime.nextStep(),
          e.getMessage(), options.worker().archiveBlocks());
    }
  }

  /**
   * Trains block by block, never past {@link #leadBlocks} blocks beyond the last anchored one: a
   * worker that ran further ahead would drop inputs from its archive before the validators sampled
   * them, and be judged unable to serve them.
   */
  private long runPaced(final WorkerRuntime runtime) throws InterruptedException {
    final long lead = (long) leadBlocks(options.worker()) * runtime.blockSteps();
    long last = runtime.nextStep() - 1;
    boolean waiting = false;
    while (!runtime.finished() && !runtime.stopRequested()) {
      long limit;
      try {
        limit = anchoredStep.applyAsLong(runtime.jobId()) + lead - 1;
      } catch (RuntimeException e) {
        LOG.warn("job {}: cannot read the anchor ({}); waiting", runtime.jobId(), e.getMessage());
        limit = -1;
      }
      if (runtime.nextStep() > limit) {
        if (!waiting) {
          LOG.debug("job {}: waits at step {} for the anchor (trains at most {} steps past it)", runtime.jobId(),
              runtime.nextStep(), lead);
          waiting = true;
        }
        Thread.sleep(PACE_POLL.toMillis());
        continue;
      }
      waiting = false;
      last = runtime.runThrough(limit);
    }
    return last;
  }

  /** This node's {@code /tl/tensor/1.0.0} endpoint (its refusals and held frames). */
  TensorEndpoint endpoint() {
    return endpoint;
  }

  /** The runtime of {@code jobId} on this node, if it works on it. */
  public Optional<WorkerRuntime> runtime(final BigInteger jobId) {
    return Optional.ofNullable(jobs.get(jobId)).map(Running::runtime);
  }

  private Optional<NamedTensors> input(final RecordKey key, final InputKind kind) {
    return runtime(key.jobId()).flatMap(r -> r.archive().get(key, kind));
  }

  private static void stop(final Running r) {
    r.heartbeat().close();
    r.runtime().close();
    r.backend().close();
  }

  /** Stops every job after its current step (checkpointed), then the role's services. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    final List<Running> running = new ArrayList<>(jobs.values());
    running.forEach(r -> r.runtime().requestStop());
    for (final Running r : running) {
      try {
        r.thread().join(options.stopTimeout());
        if (r.thread().isAlive()) {
          LOG.warn("job {}: step not done within {}, interrupting it", r.runtime().jobId(), options.stopTimeout());
          r.thread().interrupt();
          r.thread().join(options.stopTimeout());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      stop(r);
    }
    jobs.clear();
    beacons.values().forEach(HeartbeatPublisher::close);
    beacons.clear();
    host.removeStreamHandler(TensorLinkProtocols.VERIFY);
    CheckpointServer.unregister(host);
    endpoint.close();
    timer.shutdownNow();
    verifyPool.shutdownNow();
  }
}
