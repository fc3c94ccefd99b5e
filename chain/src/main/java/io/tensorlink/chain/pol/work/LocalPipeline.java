package io.tensorlink.chain.pol.work;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.compute.backend.Backend;
import io.tensorlink.compute.data.Batch;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import io.tensorlink.compute.train.GradientReducer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.crypto.Credentials;

/**
 * All S×R workers of a job in one process, on the real compute engine: each step runs every
 * replica's micro-batch through the stages (activations forward, gradients back, as they would
 * cross the network), reduces each stage's gradients in replica order, updates every cell and
 * emits the S×R signed step records. Each cell keeps its own parameters and optimizer state, and
 * each worker its own {@link InputArchive}, exactly what distributed workers hold; the job flow
 * replaces this driver with one process per worker, the record production stays the same.
 *
 * <p>A {@link Fault} lets tests and the detection benchmark make one worker cheat.
 */
public final class LocalPipeline {
  private final JobContext job;
  private final Backend backend;
  private final Map<EthAddress, Credentials> keys;
  private final Fault fault;
  private final NamedTensors[][] params;
  private final NamedTensors[][] state;
  private final Bytes32[][] paramsRoot;
  private final Bytes32[][] stateRoot;
  private final Map<EthAddress, InputArchive> archives = new HashMap<>();
  private long nextStep;

  /** How a cheating worker deviates; the default methods are the honest behaviour. */
  public interface Fault {
    /** The samples replica {@code replica} trains on at {@code step} ({@code planned}: the BatchPlan's). */
    default int[] indices(final long step, final int replica, final int[] planned) {
      return planned;
    }

    /** Called after a cell's update, before its roots are taken; may change {@code params} in place. */
    default void afterUpdate(final long step, final int stage, final int replica, final NamedTensors params) {}
  }

  public static final Fault HONEST = new Fault() {};

  /**
   * @param keys every assigned worker's account key
   */
  public LocalPipeline(final JobContext job, final Backend backend, final Map<EthAddress, Credentials> keys,
      final Fault fault) {
    this.job = job;
    this.backend = backend;
    this.keys = Map.copyOf(keys);
    this.fault = fault;
    final int stages = job.spec().stages();
    final int replicas = job.spec().replicas();
    params = new NamedTensors[stages][replicas];
    state = new NamedTensors[stages][replicas];
    paramsRoot = new Bytes32[stages][replicas];
    stateRoot = new Bytes32[stages][replicas];
    final NamedTensors init = job.initialParams();
    for (int s = 0; s < stages; s++) {
      for (int r = 0; r < replicas; r++) {
        params[s][r] = job.stages().get(s).selectParams(init).copy();
        state[s][r] = job.initialState(params[s][r]);
        paramsRoot[s][r] = Links.root(params[s][r]);
        stateRoot[s][r] = Links.root(state[s][r]);
        final EthAddress w = job.assignment().worker(s, r);
        if (!this.keys.containsKey(w)) {
          throw new IllegalArgumentException("no key for worker " + w + " of stage " + s + " replica " + r);
        }
        archives.put(w, new InputArchive());
      }
    }
  }

  /** The archive {@code worker} serves verification inputs from. */
  public InputArchive archive(final EthAddress worker) {
    final InputArchive a = archives.get(worker);
    if (a == null) {
      throw new IllegalArgumentException(worker + " is not a worker of job " + job.jobId());
    }
    return a;
  }

  /** The current parameters of one cell (for checkpoints and tests). */
  public NamedTensors params(final int stage, final int replica) {
    return params[stage][replica];
  }

  /** Runs the next steps up to {@code lastStep}; the records in step, stage, replica order. */
  public List<SignedStepRecord> runThrough(final long lastStep) {
    final List<SignedStepRecord> out = new ArrayList<>();
    while (nextStep <= lastStep) {
      out.addAll(step());
    }
    return out;
  }

  /** One training step of every cell; returns its S×R signed records. */
  public List<SignedStepRecord> step() {
    final long t = nextStep;
    if (t >= job.spec().steps()) {
      throw new IllegalStateException("job " + job.jobId() + " has only " + job.spec().steps() + " steps");
    }
    final int stages = job.spec().stages();
    final int replicas = job.spec().replicas();
    final Bytes32[] batchCommitment = new Bytes32[replicas];
    final Batch[] batches = new Batch[replicas];
    final Tensor[][] actIn = new Tensor[stages][replicas];
    final Tensor[][] gradIn = new Tensor[stages][replicas];
    final Bytes32[][] actOut = new Bytes32[stages][replicas];
    final Bytes32[][] gradOut = new Bytes32[stages][replicas];
    final NamedTensors[][] local = new NamedTensors[stages][replicas];
    final long[] lossBits = new long[replicas];
    for (int r = 0; r < replicas; r++) {
      final int[] indices = fault.indices(t, r, job.spec().batchPlan().indicesAtGlobalStep(t, r));
      batches[r] = job.dataset().batch(indices);
      batchCommitment[r] = DatasetCommitment.batchCommitment(t, r, indices, batches[r]);
      final StageCell[] cells = new StageCell[stages];
      Tensor act = batches[r].inputs();
      for (int s = 0; s < stages; s++) {
        actIn[s][r] = s > 0 ? act : null;
        cells[s] = StageCell.begin(job, s, backend, params[s][r], t, r);
        act = cells[s].forward(act);
        actOut[s][r] = s < stages - 1 ? Links.of(act) : Bytes32.ZERO;
      }
      lossBits[r] = cells[stages - 1].loss(act, batches[r].labels());
      Tensor g = null;
      for (int s = stages - 1; s >= 0; s--) {
        gradIn[s][r] = g;
        g = cells[s].backward(g);
        gradOut[s][r] = s > 0 ? Links.of(g) : Bytes32.ZERO;
        local[s][r] = cells[s].grads();
      }
    }
    final List<SignedStepRecord> out = new ArrayList<>();
    for (int s = 0; s < stages; s++) {
      final List<NamedTensors> grads = new ArrayList<>();
      for (int r = 0; r < replicas; r++) {
        grads.add(local[s][r]);
      }
      for (int r = 0; r < replicas; r++) {
        // each worker reduces and hashes on its own, as distributed replicas do
        final NamedTensors reduced = replicas == 1 ? local[s][0].copy() : GradientReducer.sum(grads);
        final Bytes32 reduceRoot = Links.root(reduced);
        final EthAddress worker = job.assignment().worker(s, r);
        final InputArchive archive = archives.get(worker);
        final RecordKey key = new RecordKey(job.jobId(), t, s, r);
        archive.put(key, InputKind.PARAMS_BEFORE, params[s][r].copy());
        archive.put(key, InputKind.OPT_STATE_BEFORE, state[s][r].copy());
        if (s == 0 || s == stages - 1) {
          archive.put(key, InputKind.BATCH, BatchTensors.of(batches[r]));
        }
        if (actIn[s][r] != null) {
          archive.put(key, InputKind.ACT_IN, single(actIn[s][r]));
        }
        if (gradIn[s][r] != null) {
          archive.put(key, InputKind.GRAD_IN, single(gradIn[s][r]));
        }
        archive.put(key, InputKind.LOCAL_GRADS, local[s][r]);
        final Bytes32 gradRoot = Links.root(local[s][r]);
        final Bytes32 before = paramsRoot[s][r];
        final Bytes32 stateBefore = stateRoot[s][r];
        StageCell.update(job, backend, params[s][r], state[s][r], reduced, t);
        fault.afterUpdate(t, s, r, params[s][r]);
        archive.put(key, InputKind.PARAMS_AFTER, params[s][r].copy());
        paramsRoot[s][r] = Links.root(params[s][r]);
        stateRoot[s][r] = Links.root(state[s][r]);
        final StepRecord record = new StepRecord(job.jobId(), t, s, r, stages, replicas, worker,
            s == 0 ? batchCommitment[r] : Bytes32.ZERO, before, stateBefore,
            s > 0 ? Links.of(actIn[s][r]) : Bytes32.ZERO, actOut[s][r],
            gradIn[s][r] != null ? Links.of(gradIn[s][r]) : Bytes32.ZERO, gradOut[s][r], gradRoot, reduceRoot,
            paramsRoot[s][r], stateRoot[s][r], s == stages - 1 ? lossBits[r] : 0L);
        out.add(SignedStepRecord.sign(record, job.domain(), keys.get(worker)));
      }
    }
    nextStep++;
    return out;
  }

  /** A one-tensor set for a link tensor (the verify wire carries tensor sets). */
  public static NamedTensors single(final Tensor t) {
    return NamedTensors.builder().add(Links.LINK, t).build();
  }
}
