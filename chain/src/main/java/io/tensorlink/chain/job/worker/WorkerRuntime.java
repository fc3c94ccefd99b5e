package io.tensorlink.chain.job.worker;

import io.tensorlink.chain.job.tensor.CellInbox;
import io.tensorlink.chain.job.tensor.FrameHeader;
import io.tensorlink.chain.job.tensor.FrameKind;
import io.tensorlink.chain.job.tensor.MicroBatchPlan;
import io.tensorlink.chain.job.tensor.PeerBindings;
import io.tensorlink.chain.job.tensor.Slot;
import io.tensorlink.chain.job.tensor.TensorEndpoint;
import io.tensorlink.chain.job.tensor.TensorFrames;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.work.InputArchive;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.StageCell;
import io.tensorlink.compute.backend.Backend;
import io.tensorlink.compute.checkpoint.Checkpoint;
import io.tensorlink.compute.checkpoint.CheckpointFile;
import io.tensorlink.compute.data.Batch;
import io.tensorlink.compute.loss.Targets;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import io.tensorlink.compute.train.GradientReducer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;

/**
 * One worker process's share of a job: the (stage, replica) cell its account is assigned, run over
 * {@code /tl/tensor/1.0.0}. Per step it forwards its micro-batches as they arrive from stage s−1
 * (stage 0 reads them from its BatchPlan batch), the last stage takes the loss over the whole
 * batch, gradients come back micro-batch by micro-batch in sample order, the replicas of the stage
 * swap their gradients and each sums them in replica order, and the cell updates. Its record
 * ({@link RecordMaker}: inputs into the {@link InputArchive}, the signed {@code StepRecord} to the
 * {@link RecordSink}) is made while the cell next waits for a neighbour. The arithmetic is {@code LocalPipeline}'s, so the records are bitwise the
 * ones the whole job in one process signs.
 *
 * <p>Not thread-safe: one thread runs the steps; {@link #requestStop} may come from any thread and
 * takes effect between steps.
 */
public final class WorkerRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerRuntime.class);

  private final JobContext job;
  private final EthAddress self;
  private final Backend backend;
  private final TensorEndpoint endpoint;
  private final PeerBindings bindings;
  private final WorkerOptions options;
  private final int stage;
  private final int replica;
  private final MicroBatchPlan plan;
  private final CellInbox inbox;
  private final InputArchive archive = new InputArchive();
  private final NamedTensors params;
  private final NamedTensors state;
  private final RecordMaker records;
  private volatile long nextStep;
  private volatile StepTimes lastTimes = new StepTimes(0, 0, 0);
  private volatile StepTimes totals = new StepTimes(0, 0, 0);
  private long waitNanos;
  private long protocolNanos;
  private volatile boolean stopRequested;
  /** Set once the last step's records are made and its checkpoint written, not when its update is. */
  private volatile boolean finished;

  /**
   * @throws IllegalArgumentException when the assignment gives {@code key}'s account no cell, or the
   *     stage cannot be micro-batched as asked
   */
  public WorkerRuntime(final JobContext job, final Credentials key, final Backend backend,
      final TensorEndpoint endpoint, final PeerBindings bindings, final RecordSink sink, final WorkerOptions options) {
    this(job, key, backend, endpoint, bindings, sink, options, Optional.empty());
  }

  /**
   * A worker that resumes its cell from {@code from}: a checkpoint of the cell's stage (any replica's:
   * replicas hold the same parameters after every step), e.g. the last anchored one when a standby
   * takes over a vanished worker's cell. Every cell of the job must resume from the same step.
   *
   * @throws IllegalArgumentException also when the checkpoint is of another job or stage, past the
   *     job's end, or its tensors are not the stage's
   */
  public WorkerRuntime(final JobContext job, final Credentials key, final Backend backend,
      final TensorEndpoint endpoint, final PeerBindings bindings, final RecordSink sink, final WorkerOptions options,
      final Optional<Checkpoint> from) {
    this.job = job;
    this.self = EthAddress.of(key.getAddress());
    this.backend = backend;
    this.endpoint = endpoint;
    this.bindings = bindings;
    this.options = options;
    final int[] cell = job.assignment().cellOf(self).orElseThrow(() -> new IllegalArgumentException(
        self + " has no cell in the assignment of job " + job.jobId()));
    this.stage = cell[0];
    this.replica = cell[1];
    MicroBatchRun.check(job.stages().get(stage), options.microBatches());
    this.plan = new MicroBatchPlan(job.spec().batch(), options.microBatches());
    final NamedTensors initial = job.stages().get(stage).selectParams(job.initialParams());
    if (from.isPresent()) {
      checkResumable(from.get(), initial);
      this.params = from.get().params().copy();
      this.state = from.get().optimizerState().copy();
      this.nextStep = from.get().step();
      this.finished = nextStep >= job.spec().steps();
    } else {
      this.params = initial.copy();
      this.state = job.initialState(params);
    }
    this.records = new RecordMaker(job, key, stage, replica, archive, sink, options, params, state);
    options.checkpointDir().ifPresent(dir -> {
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the checkpoint directory " + dir, e);
      }
    });
    this.inbox = new CellInbox(job, stage, replica, plan, nextStep);
    endpoint.register(inbox, bindings);
  }

  private void checkResumable(final Checkpoint c, final NamedTensors initial) {
    final String jobId = c.metadata().get("jobId");
    final String cpStage = c.metadata().get("stage");
    if (!job.jobId().toString().equals(jobId) || !Integer.toString(stage).equals(cpStage)) {
      throw new IllegalArgumentException("checkpoint of job " + jobId + " stage " + cpStage + " cannot resume job "
          + job.jobId() + " stage " + stage);
    }
    if (c.step() >= job.spec().steps()) {
      throw new IllegalArgumentException("checkpoint after step " + c.step() + " of a " + job.spec().steps()
          + "-step job leaves nothing to run");
    }
    final NamedTensors initialState = job.initialState(initial);
    if (!sameLayout(c.params(), initial) || !sameLayout(c.optimizerState(), initialState)) {
      throw new IllegalArgumentException("checkpoint tensors " + c.params().names() + " / "
          + c.optimizerState().names() + " are not stage " + stage + "'s");
    }
  }

  private static boolean sameLayout(final NamedTensors a, final NamedTensors b) {
    if (!a.names().equals(b.names())) {
      return false;
    }
    for (int i = 0; i < a.count(); i++) {
      if (!java.util.Arrays.equals(a.get(i).shape(), b.get(i).shape())) {
        return false;
      }
    }
    return true;
  }

  public BigInteger jobId() {
    return job.jobId();
  }

  public int stage() {
    return stage;
  }

  public int replica() {
    return replica;
  }

  /** The next step this worker will run (= steps done). */
  public long nextStep() {
    return nextStep;
  }

  /** What validators may fetch on {@code /tl/verify/1.0.0}. */
  public InputArchive archive() {
    return archive;
  }

  /** The cell's current parameters (live; read between steps). */
  public NamedTensors params() {
    return params;
  }

  /** Where the last step's time went. */
  public StepTimes lastStepTimes() {
    return lastTimes;
  }

  /** Where the time of every step so far went. */
  public StepTimes totalTimes() {
    return totals;
  }

  /**
   * One step's wall time, the part spent waiting for neighbours' frames, and the part spent on the
   * protocol rather than training: roots and link hashes, the archive's copies, the signature.
   */
  public record StepTimes(long totalNanos, long waitNanos, long protocolNanos) {}

  /** Whether every step of the job is done, its records made and (when on) its checkpoint written. */
  public boolean finished() {
    return finished;
  }

  /** Whether {@link #requestStop} was called. */
  public boolean stopRequested() {
    return stopRequested;
  }

  /** The job's PoL block length in steps. */
  public int blockSteps() {
    return job.spec().blockSteps();
  }

  /** Ends {@link #runThrough} after the step in progress (and its checkpoint). */
  public void requestStop() {
    stopRequested = true;
  }

  /**
   * Runs steps until {@code lastStep} is done, the job's last step is done, or a stop is requested;
   * when checkpoints are on, the last finished step is checkpointed however this ends (a step that
   * fails part way has not touched the parameters yet).
   *
   * @return the last step done, or −1 if none
   * @throws WorkerException when a step cannot finish (a neighbour went silent, interrupted)
   */
  public long runThrough(final long lastStep) {
    final long last = Math.min(lastStep, job.spec().steps() - 1);
    try {
      while (nextStep <= last && !stopRequested) {
        step();
      }
    } finally {
      records.flush();
      if (nextStep > 0 && nextStep % options.checkpointEvery() != 0 && nextStep != job.spec().steps()) {
        // file channels refuse to write on an interrupted thread; keep the flag for the caller
        final boolean interrupted = Thread.interrupted();
        checkpoint();
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      finished = nextStep >= job.spec().steps();
    }
    return nextStep - 1;
  }

  /**
   * One training step of this cell. Its record is made and published later, while the worker waits
   * for a neighbour, at the latest after the next step's update or when {@link #runThrough} returns.
   */
  private void step() {
    final long t = nextStep;
    if (t >= job.spec().steps()) {
      throw new WorkerException("job " + job.jobId() + " has only " + job.spec().steps() + " steps");
    }
    final long started = System.nanoTime();
    waitNanos = 0;
    protocolNanos = 0;
    inbox.advance(t);
    final int stages = job.spec().stages();
    final int replicas = job.spec().replicas();
    final boolean first = stage == 0;
    final boolean last = stage == stages - 1;
    final List<CompletableFuture<Void>> sends = new ArrayList<>();
    final int[] indices = job.spec().batchPlan().indicesAtGlobalStep(t, replica);
    final Batch batch = first || last ? job.dataset().batch(indices) : null;

    // forward, micro-batch by micro-batch, each sent on as soon as it is done
    final MicroBatchRun run = new MicroBatchRun(job, stage, backend, params, t, replica, plan);
    final Tensor[] in = new Tensor[plan.count()];
    final Tensor[] out = new Tensor[plan.count()];
    for (int m = 0; m < plan.count(); m++) {
      in[m] = first ? Rows.slice(batch.inputs(), plan.start(m), plan.rows(m)) : receiveLink(t, FrameKind.ACTIVATION, m,
          stage - 1);
      out[m] = run.forward(m, in[m]);
      if (!last) {
        sends.add(send(stage + 1, replica, new FrameHeader(job.jobId(), t, m, FrameKind.ACTIVATION, stage, replica),
            TensorFrames.link(out[m])));
      }
    }

    // the loss over the whole batch (its sum is not split), then backward in sample order
    Tensor lossGrad = null;
    long lossBits = 0;
    if (last) {
      final Tensor output = Rows.concat(out);
      lossGrad = Tensor.zeros(output.shape());
      // StageCell's divisor and lossBits: the replica's share of the step's mean loss
      final double divisor = (double) job.spec().globalBatch() * job.model().loss().unitsPerSample(
          job.model().outputShape());
      final double sum = job.model().loss().forwardBackward(backend, output, Targets.labels(batch.labels()), divisor,
          lossGrad);
      lossBits = Double.doubleToRawLongBits(sum / divisor);
    }
    final Tensor[] gradIn = new Tensor[plan.count()];
    final Tensor[] gradOut = new Tensor[plan.count()];
    for (int m = 0; m < plan.count(); m++) {
      gradIn[m] = last ? Rows.slice(lossGrad, plan.start(m), plan.rows(m)) : receiveLink(t, FrameKind.GRADIENT, m,
          stage + 1);
      gradOut[m] = run.backward(m, gradIn[m]);
      if (!first) {
        sends.add(send(stage - 1, replica, new FrameHeader(job.jobId(), t, m, FrameKind.GRADIENT, stage, replica),
            TensorFrames.link(gradOut[m])));
      }
    }

    // replicas swap gradients; each sums them in replica order, never in arrival order
    final NamedTensors local = run.grads();
    final NamedTensors reduced;
    if (replicas == 1) {
      reduced = local.copy();
    } else {
      for (int r = 0; r < replicas; r++) {
        if (r != replica) {
          sends.add(send(stage, r, new FrameHeader(job.jobId(), t, 0, FrameKind.REPLICA_GRADS, stage, replica),
              local));
        }
      }
      final List<NamedTensors> all = new ArrayList<>(replicas);
      for (int r = 0; r < replicas; r++) {
        all.add(r == replica ? local : receive(t, FrameKind.REPLICA_GRADS, 0, stage, r));
      }
      reduced = GradientReducer.sum(all);
    }

    StageCell.update(job, backend, params, state, reduced, t);
    if (options.fault().isPresent() && options.fault().get().faulted(t)) {
      options.fault().get().nudge(params);
      LOG.info("fault injector: step {} of stage {} replica {} keeps a made-up update", t, stage, replica);
    }
    final long copying = System.nanoTime();
    records.stepDone(new StepOutcome(t, indices, batch, first ? null : Rows.concat(in), last ? null : Rows.concat(out),
        last ? null : Rows.concat(gradIn), first ? null : Rows.concat(gradOut), local, reduced, lossBits), params, state);
    protocolNanos += System.nanoTime() - copying;
    if (records.pending() > 1) {
      // never more than one step behind, even when no neighbour ever keeps this cell waiting
      makeRecords(false);
    }
    awaitSends(t, sends);
    nextStep = t + 1;
    if (nextStep % options.checkpointEvery() == 0 || nextStep == job.spec().steps()) {
      checkpoint();
    }
    lastTimes = new StepTimes(System.nanoTime() - started, waitNanos, protocolNanos);
    totals = new StepTimes(totals.totalNanos() + lastTimes.totalNanos(), totals.waitNanos() + waitNanos,
        totals.protocolNanos() + protocolNanos);
  }

  /** Makes the pending records (all, or the oldest), counting the time as protocol time. */
  private void makeRecords(final boolean all) {
    final long started = System.nanoTime();
    if (all) {
      records.flush();
    } else {
      records.flushOne();
    }
    protocolNanos += System.nanoTime() - started;
  }

  private CompletableFuture<Void> send(final int toStage, final int toReplica, final FrameHeader header,
      final NamedTensors tensors) {
    return endpoint.send(job.assignment().worker(toStage, toReplica), bindings, header, tensors);
  }

  private Tensor receiveLink(final long t, final FrameKind kind, final int m, final int fromStage) {
    return receive(t, kind, m, fromStage, replica).get(0);
  }

  private NamedTensors receive(final long t, final FrameKind kind, final int m, final int fromStage,
      final int fromReplica) {
    final Slot slot = new Slot(t, kind, m, fromStage, fromReplica);
    if (records.pending() > 0 && !inbox.ready(slot)) {
      makeRecords(true); // the neighbour keeps this cell waiting: use the time
    }
    final long waiting = System.nanoTime();
    try {
      return inbox.await(slot, options.frameTimeout());
    } catch (TimeoutException e) {
      throw new WorkerException("stage " + stage + " replica " + replica + " of job " + job.jobId() + ": "
          + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerException("interrupted waiting for " + kind + " of step " + t, e);
    } finally {
      waitNanos += System.nanoTime() - waiting;
    }
  }

  private void awaitSends(final long t, final List<CompletableFuture<Void>> sends) {
    try {
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
          .get(options.frameTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerException("interrupted sending the frames of step " + t, e);
    } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
      throw new WorkerException("stage " + stage + " replica " + replica + " could not send the frames of step " + t
          + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code job-<id>-s<stage>-r<replica>-step<n>.tlck}: parameters and state after {@code n} steps. */
  private void checkpoint() {
    options.checkpointDir().ifPresent(dir -> {
      makeRecords(true);
      final Path file = dir.resolve("job-" + job.jobId() + "-s" + stage + "-r" + replica + "-step" + nextStep
          + ".tlck");
      CheckpointFile.save(new Checkpoint(nextStep, params, state, Map.of("jobId", job.jobId().toString(),
          "stage", Integer.toString(stage), "replica", Integer.toString(replica), "worker", self.toString(),
          "paramsRoot", records.paramsRoot().toHexString())), file);
      LOG.debug("checkpoint {}", file);
    });
  }

  @Override
  public void close() {
    endpoint.unregister(job.jobId());
  }
}
