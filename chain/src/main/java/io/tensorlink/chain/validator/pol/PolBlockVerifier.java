package io.tensorlink.chain.validator.pol;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.PoLHeader;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.pol.verify.InputSource;
import io.tensorlink.chain.pol.verify.ReexecutionPool;
import io.tensorlink.chain.pol.verify.Reexecutor;
import io.tensorlink.chain.pol.verify.RecordVerdict;
import io.tensorlink.chain.pol.verify.SampledVerifier;
import io.tensorlink.chain.pol.verify.StructuralChecker;
import io.tensorlink.chain.pol.verify.VerdictCache;
import io.tensorlink.chain.pol.verify.Violation;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.store.CheckpointKey;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.store.StoredEntry;
import io.tensorlink.chain.validator.BlockCandidate;
import io.tensorlink.chain.validator.BlockVerifier;
import io.tensorlink.chain.validator.JobState;
import io.tensorlink.chain.validator.Verdict;
import java.time.Duration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The production {@link BlockVerifier}: pol-core's checks of a proposed header against the records
 * this validator stored, in order (the first failure is the verdict):
 *
 * <ol>
 *   <li>the job's {@link JobContext} is known, and every cell of the header's range has a record
 *       (else {@link Verdict.Incomplete}, asked again on the next tick);
 *   <li>the range is the spec's block length; stepsRoot, payoutsRoot and checkpointRoot are the ones
 *       {@link PolBlockFormat} builds over these records; the first step starts from the previous
 *       block's anchored checkpoint (the job's initial roots for step 0);
 *   <li>{@link StructuralChecker} on every record (assignment, links, continuity, batch plan...;
 *       signatures were verified once, when the record arrived);
 *   <li>this validator's mandatory sample ({@link SampledVerifier}) re-executed from inputs its
 *       workers serve ({@code inputs}: {@code P2pInputSource} over {@code /tl/verify/1.0.0} in a
 *       node). A sampled record that fails, including one whose worker does not serve an input, is
 *       {@link Verdict.Fraud}.
 * </ol>
 *
 * <p>Structural and header failures are {@link Verdict.Invalid}: they are refused outright and the
 * court has nothing to re-execute. Verdicts are cached by leaf, so a second proposal over the same
 * records and a committee seat on one of them re-execute nothing again.
 */
public final class PolBlockVerifier implements BlockVerifier {
  private final PolBlockFormat format;
  private final NodeStore store;
  private final InputSource inputs;
  private final ReexecutionPool pool;
  private final VerdictCache cache;
  private final Duration fetchTimeout;
  private final Map<JobContext, Reexecutor> reexecutors = new IdentityHashMap<>();
  private final Map<JobContext, List<Bytes32[]>> initialRoots = new IdentityHashMap<>();

  /**
   * @param store where the previous block's anchored checkpoint and a disputed record's neighbours are read
   * @param fetchTimeout how long one input may take to arrive before the record fails
   */
  public PolBlockVerifier(final PolBlockFormat format, final NodeStore store, final InputSource inputs,
      final ReexecutionPool pool, final VerdictCache cache, final Duration fetchTimeout) {
    this.format = format;
    this.store = store;
    this.inputs = inputs;
    this.pool = pool;
    this.cache = cache;
    this.fetchTimeout = fetchTimeout;
  }

  @Override
  public Verdict verify(final JobState job, final BlockCandidate candidate, final List<StoredEntry<RecordKey>> stored,
      final String validator) {
    final Optional<JobContext> known = format.contexts().of(job);
    if (known.isEmpty()) {
      return new Verdict.Incomplete("the job's spec, model or dataset is not known yet");
    }
    final JobContext ctx = known.get();
    final PoLHeader header = PolHeaders.decode(candidate.encoded());
    final long stepFrom = header.stepFrom();
    final long stepTo = header.stepTo();
    if (stepTo - stepFrom != PolBlockFormat.blockLength(ctx, stepFrom)) {
      return new Verdict.Invalid("covers steps [" + stepFrom + ", " + stepTo + "), the job's block from step " + stepFrom
          + " has " + PolBlockFormat.blockLength(ctx, stepFrom) + " steps");
    }
    final BlockRecords records = BlockRecords.decode(stored);
    final long missing = records.missing(ctx, stepFrom, stepTo);
    if (missing > 0) {
      return new Verdict.Incomplete(missing + " of the block's records");
    }
    final PoLHeader expected = format.header(ctx, header.index(), header.parent(), stepFrom, stepTo, records,
        header.randomness(), header.randomnessBlock());
    final Optional<String> rootProblem = compare(header, expected);
    if (rootProblem.isPresent()) {
      return new Verdict.Invalid(rootProblem.get());
    }
    final Optional<List<Bytes32[]>> startRoots;
    if (stepFrom == 0) {
      startRoots = Optional.of(initialRoots.computeIfAbsent(ctx, JobContext::initialRoots));
    } else {
      final Optional<byte[]> anchored = store.checkpoint(new CheckpointKey(job.jobId(), stepFrom - 1));
      if (anchored.isEmpty()) {
        return new Verdict.Incomplete("the anchored checkpoint after step " + (stepFrom - 1));
      }
      final List<Bytes32[]> before = records.rootsBefore(ctx, stepFrom);
      if (!BlockRecords.checkpointRoot(before).equals(Bytes32.wrap(anchored.get()))) {
        return new Verdict.Invalid("START_ROOTS_MISMATCH: step " + stepFrom + " does not start from the anchored checkpoint "
            + Bytes.wrap(anchored.get()));
      }
      startRoots = Optional.of(before);
    }
    // every stored record passed SignedRecordInspector (its worker's signature) when it arrived
    final List<Violation> violations = new StructuralChecker(ctx, StructuralChecker.Signatures.ALREADY_VERIFIED)
        .check(stepFrom, stepTo, records.signed(), startRoots);
    if (!violations.isEmpty()) {
      final Violation first = violations.get(0);
      return new Verdict.Invalid(first.reason() + " at " + first.at() + ": " + first.message()
          + (violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : ""));
    }
    final List<RecordVerdict> sample = sampler(ctx).verify(header, EthAddress.of(validator), records.signed()).join();
    for (final RecordVerdict v : sample) {
      if (!v.isValid()) {
        return new Verdict.Fraud(storeKey(v.at()), v.reason().orElseThrow() + ": " + v.detail());
      }
    }
    return new Verdict.Valid(sample.stream().map(v -> v.leaf().toArray()).toList());
  }

  @Override
  public boolean isFraud(final JobState job, final RecordKey key, final byte[] wire) {
    final JobContext ctx = format.contexts().of(job)
        .orElseThrow(() -> new IllegalStateException("job " + job.jobId() + "'s context is not known: cannot re-execute"));
    final StepRecord record = BlockRecords.decode(List.of(new StoredEntry<>(key, wire))).signed().get(0).record();
    // the record's step: the other replicas' gradient roots and stage 0's batch commitment
    final Map<io.tensorlink.chain.pol.work.RecordKey, StepRecord> grid = new HashMap<>();
    for (final SignedStepRecord s : BlockRecords.decode(store.records(job.jobId(), key.step(), key.step() + 1)).signed()) {
      grid.put(io.tensorlink.chain.pol.work.RecordKey.of(s.record()), s.record());
    }
    grid.put(io.tensorlink.chain.pol.work.RecordKey.of(record), record);
    return !cache.get(record.recordHash(), () -> reexecutor(ctx).reexecute(record, grid)).join().isValid();
  }

  private static Optional<String> compare(final PoLHeader got, final PoLHeader expected) {
    return check("stepsRoot", got.stepsRoot(), expected.stepsRoot(), "the records")
        .or(() -> check("payoutsRoot", got.payoutsRoot(), expected.payoutsRoot(), "the records' shares of the pool"))
        .or(() -> check("checkpointRoot", got.checkpointRoot(), expected.checkpointRoot(), "the roots after the last step"));
  }

  private static Optional<String> check(final String field, final Bytes32 got, final Bytes32 expected, final String of) {
    return got.equals(expected) ? Optional.empty()
        : Optional.of(field + " " + got + " is not the one built from " + of + " (" + expected + ")");
  }

  private synchronized SampledVerifier sampler(final JobContext ctx) {
    return new SampledVerifier(ctx, reexecutor(ctx), cache);
  }

  private synchronized Reexecutor reexecutor(final JobContext ctx) {
    return reexecutors.computeIfAbsent(ctx, c -> new Reexecutor(c, inputs, pool, fetchTimeout));
  }

  private static RecordKey storeKey(final io.tensorlink.chain.pol.work.RecordKey k) {
    return new RecordKey(k.jobId(), k.step(), k.stage(), k.replica());
  }
}
