package io.tensorlink.chain.job.worker;

import io.tensorlink.chain.job.tensor.TensorFrames;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.pol.work.BatchTensors;
import io.tensorlink.chain.pol.work.DatasetCommitment;
import io.tensorlink.chain.pol.work.InputArchive;
import io.tensorlink.chain.pol.work.InputKind;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.Links;
import io.tensorlink.chain.pol.work.RecordKey;
import io.tensorlink.compute.tensor.NamedTensors;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.crypto.Credentials;

/**
 * A cell's records, made after the fact. The optimizer step only copies the parameters and state
 * after it ({@link #stepDone}); the hashing (gradient, parameter and state roots, links), the
 * archive entries, the signature and the publication wait in a queue until the worker would
 * otherwise sit idle waiting for a neighbour ({@link #flush}), so on a pipeline they fill the
 * bubble instead of delaying the next step's first activations. Records still come out in step
 * order, bit for bit {@code LocalPipeline}'s: each works on its own copies, and step t+1's
 * "before" roots are step t's "after" roots.
 */
final class RecordMaker {

  private final JobContext job;
  private final Credentials key;
  private final EthAddress self;
  private final int stage;
  private final int replica;
  private final InputArchive archive;
  private final RecordSink sink;
  private final int archiveBlocks;
  private final Deque<Runnable> pending = new ArrayDeque<>();
  private NamedTensors paramsBefore;
  private NamedTensors stateBefore;
  private Bytes32 paramsBeforeRoot;
  private Bytes32 stateBeforeRoot;

  RecordMaker(final JobContext job, final Credentials key, final int stage, final int replica,
      final InputArchive archive, final RecordSink sink, final WorkerOptions options, final NamedTensors params,
      final NamedTensors state) {
    this.job = job;
    this.key = key;
    this.self = EthAddress.of(key.getAddress());
    this.stage = stage;
    this.replica = replica;
    this.archive = archive;
    this.sink = sink;
    this.archiveBlocks = options.archiveBlocks();
    this.paramsBefore = params.copy();
    this.stateBefore = state.copy();
    this.paramsBeforeRoot = Links.root(paramsBefore);
    this.stateBeforeRoot = Links.root(stateBefore);
  }

  /** Step {@code outcome.step()} is trained: {@code params} and {@code state} are its results (copied here). */
  void stepDone(final StepOutcome outcome, final NamedTensors params, final NamedTensors state) {
    final NamedTensors before = paramsBefore;
    final NamedTensors stBefore = stateBefore;
    final NamedTensors after = params.copy();
    final NamedTensors stAfter = state.copy();
    paramsBefore = after;
    stateBefore = stAfter;
    pending.add(() -> make(outcome, before, stBefore, after, stAfter));
  }

  int pending() {
    return pending.size();
  }

  /** Makes and publishes every pending record, oldest first. */
  void flush() {
    while (!pending.isEmpty()) {
      pending.poll().run();
    }
  }

  /** Makes the oldest pending record, if any. */
  void flushOne() {
    final Runnable r = pending.poll();
    if (r != null) {
      r.run();
    }
  }

  /** The true paramsRoot after the latest made record. */
  Bytes32 paramsRoot() {
    return paramsBeforeRoot;
  }

  private void make(final StepOutcome o, final NamedTensors before, final NamedTensors stBefore,
      final NamedTensors after, final NamedTensors stAfter) {
    final long t = o.step();
    final boolean first = stage == 0;
    final boolean last = stage == job.spec().stages() - 1;
    final RecordKey at = new RecordKey(job.jobId(), t, stage, replica);
    archive.put(at, InputKind.PARAMS_BEFORE, before);
    archive.put(at, InputKind.OPT_STATE_BEFORE, stBefore);
    if (first || last) {
      archive.put(at, InputKind.BATCH, BatchTensors.of(o.batch()));
    }
    if (!first) {
      archive.put(at, InputKind.ACT_IN, TensorFrames.link(o.actIn()));
    }
    if (!last) {
      archive.put(at, InputKind.GRAD_IN, TensorFrames.link(o.gradIn()));
    }
    archive.put(at, InputKind.LOCAL_GRADS, o.localGrads());
    final Bytes32 gradRoot = Links.root(o.localGrads());
    // one replica: the reduced gradient is a copy of the local one, so its root is the same
    final Bytes32 reduceRoot = job.spec().replicas() == 1 ? gradRoot : Links.root(o.reducedGrads());
    final Bytes32 rootBefore = paramsBeforeRoot;
    final Bytes32 stateRootBefore = stateBeforeRoot;
    paramsBeforeRoot = Links.root(after);
    stateBeforeRoot = Links.root(stAfter);
    archive.put(at, InputKind.PARAMS_AFTER, after);
    archive.forget(t - (long) archiveBlocks * job.spec().blockSteps());
    final StepRecord record = new StepRecord(job.jobId(), t, stage, replica, job.spec().stages(),
        job.spec().replicas(), self,
        first ? DatasetCommitment.batchCommitment(t, replica, o.indices(), o.batch()) : Bytes32.ZERO, rootBefore,
        stateRootBefore, first ? Bytes32.ZERO : Links.of(o.actIn()), last ? Bytes32.ZERO : Links.of(o.actOut()),
        last ? Bytes32.ZERO : Links.of(o.gradIn()), first ? Bytes32.ZERO : Links.of(o.gradOut()),
        gradRoot, reduceRoot, paramsBeforeRoot, stateBeforeRoot,
        last ? o.lossBits() : 0L);
    sink.publish(SignedStepRecord.sign(record, job.domain(), key));
  }
}
