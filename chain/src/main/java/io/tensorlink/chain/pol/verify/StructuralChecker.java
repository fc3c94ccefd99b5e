package io.tensorlink.chain.pol.verify;

import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.RecordKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The structural check of design.md §7, run on every record of a block (no ML, only hashes and
 * signatures). Per record: signature, job, topology, assigned worker, step range, duplicates,
 * unused fields zero. Across records (only those that passed): every (step, stage, replica) of
 * the range present; links agree across stages in both directions; replicas of a stage agree on
 * reduceRoot and the roots after (and before); roots after t = roots before t+1; stage 0's batch
 * commitment is the BatchPlan's; the first step starts from the given roots. Every failure is a
 * {@link Violation} with its {@link Reason}; the check never stops at the first one.
 */
public final class StructuralChecker {
  /** Whether the check recovers every record's signature or relies on an earlier check of it. */
  public enum Signatures {
    /** Recover and compare each record's signature ({@link Reason#SIGNATURE_INVALID}). */
    CHECK,
    /**
     * Every record was already checked on arrival (the validator stores only records whose
     * signature its inspector verified): skip the recovery, which is most of this check's cost.
     */
    ALREADY_VERIFIED
  }

  private final JobContext job;
  private final Signatures signatures;

  public StructuralChecker(final JobContext job) {
    this(job, Signatures.CHECK);
  }

  public StructuralChecker(final JobContext job, final Signatures signatures) {
    this.job = job;
    this.signatures = signatures;
  }

  /**
   * @param startRoots for each stage {paramsRoot, optStateRoot} before {@code stepFrom}: the previous
   *     block's checkpoint or the job's initial roots; empty to skip that check
   */
  public List<Violation> check(final long stepFrom, final long stepTo, final List<SignedStepRecord> records,
      final Optional<List<Bytes32[]>> startRoots) {
    if (stepFrom < 0 || stepTo <= stepFrom || stepTo - stepFrom > job.spec().blockSteps()) {
      throw new IllegalArgumentException("block range [" + stepFrom + ", " + stepTo + ") is not 1.."
          + job.spec().blockSteps() + " steps");
    }
    final List<Violation> out = new ArrayList<>();
    final Map<RecordKey, StepRecord> grid = new HashMap<>();
    final Set<Bytes32> seen = new HashSet<>();
    final Set<RecordKey> conflicted = new HashSet<>();
    for (final SignedStepRecord s : records) {
      final StepRecord r = s.record();
      final Bytes32 leaf = s.leaf();
      final RecordKey key = RecordKey.of(r);
      if (!seen.add(leaf)) {
        out.add(v(Reason.DUPLICATE_RECORD, r, "the same record appears twice"));
        continue;
      }
      if (!perRecord(s, stepFrom, stepTo, out)) {
        continue;
      }
      final StepRecord prior = grid.putIfAbsent(key, r);
      if (prior != null) {
        out.add(v(Reason.DUPLICATE_RECORD, r, "a second, different record for this cell (first: "
            + prior.recordHash() + ")"));
        conflicted.add(key);
      }
    }
    // An equivocating cell has no single truth to check links against.
    conflicted.forEach(grid::remove);
    final int stages = job.spec().stages();
    final int replicas = job.spec().replicas();
    for (long t = stepFrom; t < stepTo; t++) {
      for (int s = 0; s < stages; s++) {
        for (int r = 0; r < replicas; r++) {
          final RecordKey key = new RecordKey(job.jobId(), t, s, r);
          final StepRecord rec = grid.get(key);
          if (rec == null) {
            if (!conflicted.contains(key)) {
              out.add(new Violation(Reason.MISSING_RECORD, Optional.empty(), key, "no record for this cell"));
            }
            continue;
          }
          crossChecks(rec, grid, t, stepFrom, stepTo, startRoots, out);
        }
      }
    }
    return out;
  }

  private boolean perRecord(final SignedStepRecord s, final long stepFrom, final long stepTo,
      final List<Violation> out) {
    final StepRecord r = s.record();
    final int before = out.size();
    if (!r.jobId().equals(job.jobId())) {
      out.add(v(Reason.WRONG_JOB, r, "record is for job " + r.jobId() + ", the block for job " + job.jobId()));
    }
    if (r.stages() != job.spec().stages() || r.replicas() != job.spec().replicas()) {
      out.add(v(Reason.WRONG_TOPOLOGY, r, "record says " + r.stages() + "x" + r.replicas() + ", the job is "
          + job.spec().stages() + "x" + job.spec().replicas()));
    } else if (!job.assignment().worker(r.stage(), r.replica()).equals(r.worker())) {
      out.add(v(Reason.WORKER_NOT_ASSIGNED, r, "worker " + r.worker() + " is not assigned; the cell belongs to "
          + job.assignment().worker(r.stage(), r.replica())));
    }
    if (r.step() < stepFrom || r.step() >= stepTo) {
      out.add(v(Reason.STEP_OUT_OF_RANGE, r, "step " + r.step() + " outside [" + stepFrom + ", " + stepTo + ")"));
    }
    if (signatures == Signatures.CHECK && !s.signatureValid(job.domain())) {
      out.add(v(Reason.SIGNATURE_INVALID, r, "signature does not recover to " + r.worker()));
    }
    final List<String> nonZero = new ArrayList<>();
    if (!r.isFirstStage()) {
      zero(r.batchCommitment(), "batchCommitment", nonZero);
    } else {
      zero(r.actIn(), "actIn", nonZero);
      zero(r.gradOut(), "gradOut", nonZero);
    }
    if (r.isLastStage()) {
      zero(r.actOut(), "actOut", nonZero);
      zero(r.gradIn(), "gradIn", nonZero);
    } else if (r.lossBits() != 0) {
      nonZero.add("lossBits");
    }
    if (!nonZero.isEmpty()) {
      out.add(v(Reason.UNUSED_FIELD_NOT_ZERO, r, "stage " + r.stage() + " of " + r.stages() + " must leave "
          + nonZero + " zero"));
    }
    return out.size() == before;
  }

  private static void zero(final Bytes32 h, final String name, final List<String> bad) {
    if (!h.isZero()) {
      bad.add(name);
    }
  }

  private void crossChecks(final StepRecord rec, final Map<RecordKey, StepRecord> grid, final long t,
      final long stepFrom, final long stepTo, final Optional<List<Bytes32[]>> startRoots, final List<Violation> out) {
    final int s = rec.stage();
    final int r = rec.replica();
    if (s == 0) {
      final Bytes32 expected = job.data().batchCommitment(t, r, job.spec().batchPlan().indicesAtGlobalStep(t, r));
      if (!expected.equals(rec.batchCommitment())) {
        out.add(v(Reason.BATCH_NOT_PLANNED, rec, "batchCommitment " + rec.batchCommitment()
            + " is not the BatchPlan's batch " + expected));
      }
    } else {
      final StepRecord prev = grid.get(new RecordKey(job.jobId(), t, s - 1, r));
      if (prev != null) {
        if (!prev.actOut().equals(rec.actIn())) {
          out.add(v(Reason.ACTIVATION_LINK_MISMATCH, rec, "actIn " + rec.actIn() + " != stage " + (s - 1)
              + " actOut " + prev.actOut() + " (leaf " + prev.recordHash() + ")"));
        }
        if (!prev.gradIn().equals(rec.gradOut())) {
          out.add(v(Reason.GRADIENT_LINK_MISMATCH, rec, "gradOut " + rec.gradOut() + " != stage " + (s - 1)
              + " gradIn " + prev.gradIn() + " (leaf " + prev.recordHash() + ")"));
        }
      }
    }
    if (r > 0) {
      final StepRecord first = grid.get(new RecordKey(job.jobId(), t, s, 0));
      if (first != null) {
        agree(rec, first, "reduceRoot", StepRecord::reduceRoot, out);
        agree(rec, first, "paramsAfter", StepRecord::paramsAfter, out);
        agree(rec, first, "optStateAfter", StepRecord::optStateAfter, out);
        agree(rec, first, "paramsBefore", StepRecord::paramsBefore, out);
        agree(rec, first, "optStateBefore", StepRecord::optStateBefore, out);
      }
    }
    if (t + 1 < stepTo) {
      final StepRecord next = grid.get(new RecordKey(job.jobId(), t + 1, s, r));
      if (next != null && (!next.paramsBefore().equals(rec.paramsAfter())
          || !next.optStateBefore().equals(rec.optStateAfter()))) {
        out.add(v(Reason.ROOTS_DISCONTINUOUS, next, "roots before step " + (t + 1) + " are not the roots after step "
            + t + " (leaf " + rec.recordHash() + ")"));
      }
    }
    if (startRoots.isPresent() && t == stepFrom) {
      final Bytes32[] roots = startRoots.get().get(s);
      if (!roots[0].equals(rec.paramsBefore()) || !roots[1].equals(rec.optStateBefore())) {
        out.add(v(Reason.START_ROOTS_MISMATCH, rec, "roots before step " + t + " are not the checkpoint's ("
            + roots[0] + ", " + roots[1] + ")"));
      }
    }
  }

  private static void agree(final StepRecord rec, final StepRecord first, final String field,
      final Function<StepRecord, Bytes32> get, final List<Violation> out) {
    if (!get.apply(rec).equals(get.apply(first))) {
      out.add(v(Reason.REPLICAS_DISAGREE, rec, field + " " + get.apply(rec) + " != replica 0's " + get.apply(first)
          + " (leaf " + first.recordHash() + ")"));
    }
  }

  private static Violation v(final Reason reason, final StepRecord r, final String message) {
    return new Violation(reason, Optional.of(r.recordHash()), RecordKey.of(r), message);
  }
}
