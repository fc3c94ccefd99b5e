package io.tensorlink.chain.pol.verify;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.pol.VerifyMode;
import io.tensorlink.chain.pol.work.BatchTensors;
import io.tensorlink.chain.pol.work.DatasetCommitment;
import io.tensorlink.chain.pol.work.InputKind;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.Links;
import io.tensorlink.chain.pol.work.RecordKey;
import io.tensorlink.chain.pol.work.StageCell;
import io.tensorlink.compute.backend.Backend;
import io.tensorlink.compute.checkpoint.ParamDistance;
import io.tensorlink.compute.data.Batch;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import io.tensorlink.compute.train.GradientReducer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Re-executes one record of a block from inputs fetched from its worker (and the other replicas'
 * local gradients from theirs), checking every fetched value against the hash its record
 * committed to before using it.
 *
 * <p>Exact mode compares, in order: actOut or lossBits (forward), gradOut and gradRoot
 * (backward), reduceRoot (the replicas' gradients summed in replica order), paramsAfter and
 * optStateAfter (the update); the first difference is the verdict's reason. Tolerant mode fetches
 * the claimed parameters after the step and accepts when the relative L2 distance between the
 * claimed and the re-executed update is within the job's δ (the forward and backward values of
 * a GPU step legitimately differ in their last bits, so they are not compared).
 *
 * <p>An input the worker does not serve fails the record ({@link Reason#INPUT_UNAVAILABLE}): a
 * worker cannot escape a sampled check by going silent.
 */
public final class Reexecutor {
  private final JobContext job;
  private final InputSource inputs;
  private final ReexecutionPool pool;
  private final Duration fetchTimeout;
  private final List<NamedTensors[]> shapes;

  public Reexecutor(final JobContext job, final InputSource inputs, final ReexecutionPool pool,
      final Duration fetchTimeout) {
    this.job = job;
    this.inputs = inputs;
    this.pool = pool;
    this.fetchTimeout = fetchTimeout;
    final NamedTensors init = job.initialParams();
    this.shapes = job.stages().stream().map(s -> {
      final NamedTensors p = s.selectParams(init);
      return new NamedTensors[] {p, job.initialState(p)};
    }).toList();
  }

  /** A check that failed: the verdict's reason and detail. */
  private static final class Failed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Reason reason;

    Failed(final Reason reason, final String message) {
      super(message, null, false, false);
      this.reason = reason;
    }
  }

  /**
   * @param grid the block's structurally valid records by position (for the neighbours' hashes)
   */
  public CompletableFuture<RecordVerdict> reexecute(final StepRecord record, final Map<RecordKey, StepRecord> grid) {
    final RecordKey key = RecordKey.of(record);
    final Bytes32 leaf = record.recordHash();
    final Map<InputKind, CompletableFuture<NamedTensors>> own = new EnumMap<>(InputKind.class);
    for (final InputKind kind : kindsFor(record)) {
      own.put(kind, fetch(record.worker(), key, kind));
    }
    final List<CompletableFuture<NamedTensors>> others = new ArrayList<>();
    final List<StepRecord> replicas = new ArrayList<>();
    for (int r = 0; r < record.replicas(); r++) {
      final StepRecord other = r == record.replica() ? record : grid.get(new RecordKey(key.jobId(), key.step(),
          key.stage(), r));
      if (other == null) {
        return CompletableFuture.completedFuture(RecordVerdict.invalid(leaf, key, Reason.INPUT_UNAVAILABLE,
            "replica " + r + " of this stage has no record, so reduceRoot cannot be checked"));
      }
      replicas.add(other);
      others.add(r == record.replica() ? CompletableFuture.completedFuture(null)
          : fetch(other.worker(), RecordKey.of(other), InputKind.LOCAL_GRADS));
    }
    final List<CompletableFuture<?>> all = new ArrayList<>(own.values());
    all.addAll(others);
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .handle((v, e) -> e)
        .thenCompose(e -> {
          final Map<InputKind, NamedTensors> got = new EnumMap<>(InputKind.class);
          final List<NamedTensors> grads = new ArrayList<>();
          try {
            own.forEach((kind, f) -> got.put(kind, unavailable(f, kind, record.worker())));
            for (int r = 0; r < others.size(); r++) {
              grads.add(r == record.replica() ? null
                  : unavailable(others.get(r), InputKind.LOCAL_GRADS, replicas.get(r).worker()));
            }
          } catch (Failed f) {
            return CompletableFuture.completedFuture(RecordVerdict.invalid(leaf, key, f.reason, f.getMessage()));
          }
          return pool.submit(backend -> {
            try {
              return RecordVerdict.valid(leaf, key, run(backend, record, replicas, got, grads, grid));
            } catch (Failed f) {
              return RecordVerdict.invalid(leaf, key, f.reason, f.getMessage());
            }
          });
        });
  }

  private CompletableFuture<NamedTensors> fetch(final EthAddress worker, final RecordKey key, final InputKind kind) {
    try {
      return inputs.fetch(worker, key, kind).orTimeout(fetchTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private List<InputKind> kindsFor(final StepRecord r) {
    final List<InputKind> kinds = new ArrayList<>(List.of(InputKind.PARAMS_BEFORE, InputKind.OPT_STATE_BEFORE));
    if (r.isFirstStage() || r.isLastStage()) {
      kinds.add(InputKind.BATCH);
    }
    if (!r.isFirstStage()) {
      kinds.add(InputKind.ACT_IN);
    }
    if (!r.isLastStage()) {
      kinds.add(InputKind.GRAD_IN);
    }
    if (job.spec().verifyMode() == VerifyMode.TOLERANT) {
      kinds.add(InputKind.PARAMS_AFTER);
    }
    return kinds;
  }

  private static NamedTensors unavailable(final CompletableFuture<NamedTensors> f, final InputKind kind,
      final EthAddress worker) {
    if (f.isCompletedExceptionally()) {
      final Throwable cause = f.exceptionNow();
      throw new Failed(Reason.INPUT_UNAVAILABLE, worker + " did not serve " + kind + ": " + cause.getMessage());
    }
    return f.join();
  }

  /** The re-execution proper, on a budgeted backend; returns a short description when every check passed. */
  private String run(final Backend backend, final StepRecord rec, final List<StepRecord> replicas,
      final Map<InputKind, NamedTensors> got, final List<NamedTensors> otherGrads,
      final Map<RecordKey, StepRecord> grid) {
    final int s = rec.stage();
    final NamedTensors params = shaped(got.get(InputKind.PARAMS_BEFORE), shapes.get(s)[0], InputKind.PARAMS_BEFORE);
    final NamedTensors state = shaped(got.get(InputKind.OPT_STATE_BEFORE), shapes.get(s)[1],
        InputKind.OPT_STATE_BEFORE);
    hashCheck(Links.root(params), rec.paramsBefore(), InputKind.PARAMS_BEFORE);
    hashCheck(Links.root(state), rec.optStateBefore(), InputKind.OPT_STATE_BEFORE);
    final boolean exact = job.spec().verifyMode() == VerifyMode.EXACT;
    // tolerant mode measures the update from the starting point, which the in-place update overwrites
    final NamedTensors paramsBefore = exact ? null : params.copy();
    Batch batch = null;
    if (got.containsKey(InputKind.BATCH)) {
      batch = batch(rec, got.get(InputKind.BATCH), grid);
    }
    final Tensor in = rec.isFirstStage() ? batch.inputs() : link(got.get(InputKind.ACT_IN), rec.actIn(),
        InputKind.ACT_IN);
    final Tensor gradIn = rec.isLastStage() ? null : link(got.get(InputKind.GRAD_IN), rec.gradIn(), InputKind.GRAD_IN);
    final StageCell cell = StageCell.begin(job, s, backend, params, rec.step(), rec.replica());
    final Tensor out;
    final Tensor gradOut;
    try {
      out = cell.forward(in);
      if (rec.isLastStage()) {
        final long loss = cell.loss(out, batch.labels());
        expect(exact, () -> loss == rec.lossBits(), Reason.LOSS_MISMATCH, () -> "lossBits " + Long.toHexString(loss)
            + " re-executed, " + Long.toHexString(rec.lossBits()) + " claimed");
      } else {
        expect(exact, () -> Links.of(out).equals(rec.actOut()), Reason.ACT_OUT_MISMATCH, () -> "actOut differs");
      }
      gradOut = cell.backward(gradIn);
    } catch (IllegalArgumentException e) {
      throw new Failed(Reason.INPUT_HASH_MISMATCH, "served inputs do not fit stage " + s + ": " + e.getMessage());
    }
    if (!rec.isFirstStage()) {
      expect(exact, () -> Links.of(gradOut).equals(rec.gradOut()), Reason.GRAD_OUT_MISMATCH, () -> "gradOut differs");
    }
    final NamedTensors mine = cell.grads();
    expect(exact, () -> Links.root(mine).equals(rec.gradRoot()), Reason.GRAD_ROOT_MISMATCH, () -> "gradRoot differs");
    final List<NamedTensors> all = new ArrayList<>();
    for (int r = 0; r < replicas.size(); r++) {
      if (r == rec.replica()) {
        all.add(mine);
      } else {
        final NamedTensors g = shaped(otherGrads.get(r), shapes.get(s)[0], InputKind.LOCAL_GRADS);
        hashCheck(Links.root(g), replicas.get(r).gradRoot(), InputKind.LOCAL_GRADS);
        all.add(g);
      }
    }
    final NamedTensors reduced = all.size() == 1 ? mine : GradientReducer.sum(all);
    expect(exact, () -> Links.root(reduced).equals(rec.reduceRoot()), Reason.REDUCE_ROOT_MISMATCH,
        () -> "the replicas' gradients summed in replica order differ from reduceRoot");
    // the update may scale the gradient in place; nothing reads it afterwards
    StageCell.update(job, backend, params, state, reduced, rec.step());
    if (exact) {
      expect(true, () -> Links.root(params).equals(rec.paramsAfter()), Reason.PARAMS_AFTER_MISMATCH,
          () -> "paramsAfter " + rec.paramsAfter() + " claimed, " + Links.root(params) + " re-executed");
      expect(true, () -> Links.root(state).equals(rec.optStateAfter()), Reason.OPT_STATE_AFTER_MISMATCH,
          () -> "optStateAfter differs");
      return "bitwise equal";
    }
    final NamedTensors claimed = shaped(got.get(InputKind.PARAMS_AFTER), shapes.get(s)[0], InputKind.PARAMS_AFTER);
    hashCheck(Links.root(claimed), rec.paramsAfter(), InputKind.PARAMS_AFTER);
    final double distance = ParamDistance.relativeUpdateL2(paramsBefore, claimed, params);
    final double delta = job.spec().tolerancePpmL2() / 1e6;
    expect(true, () -> distance <= delta, Reason.UPDATE_OUT_OF_TOLERANCE,
        () -> "relative L2 of the update " + distance + " > delta " + delta);
    return "update within delta (relative L2 " + distance + ")";
  }

  private Batch batch(final StepRecord rec, final NamedTensors served, final Map<RecordKey, StepRecord> grid) {
    final Batch batch;
    try {
      batch = BatchTensors.toBatch(served);
    } catch (IllegalArgumentException e) {
      throw new Failed(Reason.INPUT_HASH_MISMATCH, "BATCH: " + e.getMessage());
    }
    final StepRecord first = rec.isFirstStage() ? rec
        : grid.get(new RecordKey(rec.jobId(), rec.step(), 0, rec.replica()));
    if (first == null) {
      throw new Failed(Reason.INPUT_UNAVAILABLE, "no stage-0 record commits to this replica's batch");
    }
    final int[] indices = job.spec().batchPlan().indicesAtGlobalStep(rec.step(), rec.replica());
    final Bytes32 got;
    try {
      got = DatasetCommitment.batchCommitment(rec.step(), rec.replica(), indices, batch);
    } catch (IllegalArgumentException e) {
      throw new Failed(Reason.INPUT_HASH_MISMATCH, "BATCH: " + e.getMessage());
    }
    hashCheck(got, first.batchCommitment(), InputKind.BATCH);
    return batch;
  }

  private static Tensor link(final NamedTensors served, final Bytes32 committed, final InputKind kind) {
    if (served.count() != 1) {
      throw new Failed(Reason.INPUT_HASH_MISMATCH, kind + " must be one tensor, got " + served.names());
    }
    hashCheck(Links.of(served.get(0)), committed, kind);
    return served.get(0);
  }

  /** The served set must have the stage's names and shapes (a root alone cannot promise that). */
  private static NamedTensors shaped(final NamedTensors served, final NamedTensors expected, final InputKind kind) {
    if (!served.names().equals(expected.names())) {
      throw new Failed(Reason.INPUT_HASH_MISMATCH, kind + " names " + served.names() + " are not the stage's "
          + expected.names());
    }
    for (int i = 0; i < expected.count(); i++) {
      if (!served.get(i).sameShape(expected.get(i))) {
        throw new Failed(Reason.INPUT_HASH_MISMATCH, kind + " tensor " + expected.name(i) + " has the wrong shape");
      }
    }
    return served;
  }

  private static void hashCheck(final Bytes32 got, final Bytes32 committed, final InputKind kind) {
    if (!got.equals(committed)) {
      throw new Failed(Reason.INPUT_HASH_MISMATCH, kind + " hashes to " + got + ", the record committed to " + committed);
    }
  }

  /** Evaluates {@code ok} (hashing, mostly) only when the mode enforces it. */
  private static void expect(final boolean enforced, final java.util.function.BooleanSupplier ok,
      final Reason reason, final java.util.function.Supplier<String> message) {
    if (enforced && !ok.getAsBoolean()) {
      throw new Failed(reason, message.get());
    }
  }
}
