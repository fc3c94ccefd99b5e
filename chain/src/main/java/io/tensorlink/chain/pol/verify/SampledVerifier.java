package io.tensorlink.chain.pol.verify;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.PoLHeader;
import io.tensorlink.chain.pol.Sampling;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.RecordKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A validator's mandatory sample of a block and its re-execution: exactly the records
 * {@link Sampling#mandatory} selects for (header randomness, this validator, leaf) at the job's
 * rate, no more and no fewer, each re-executed once per leaf ({@link VerdictCache}).
 */
public final class SampledVerifier {
  private final JobContext job;
  private final Reexecutor reexecutor;
  private final VerdictCache cache;

  public SampledVerifier(final JobContext job, final Reexecutor reexecutor, final VerdictCache cache) {
    this.job = job;
    this.reexecutor = reexecutor;
    this.cache = cache;
  }

  /** The records of {@code records} that {@code validator} must re-execute under {@code header}. */
  public static List<StepRecord> sample(final JobContext job, final PoLHeader header, final EthAddress validator,
      final List<SignedStepRecord> records) {
    return records.stream().map(SignedStepRecord::record)
        .filter(r -> Sampling.mandatory(header.randomness(), validator, r.recordHash(), job.spec().verifyRatePpm()))
        .toList();
  }

  /**
   * Re-executes the sample of structurally valid {@code records} (run {@link StructuralChecker}
   * first); completes with one verdict per sampled record, in the sample's order.
   */
  public CompletableFuture<List<RecordVerdict>> verify(final PoLHeader header, final EthAddress validator,
      final List<SignedStepRecord> records) {
    if (!header.jobId().equals(job.jobId())) {
      throw new IllegalArgumentException("header is for job " + header.jobId() + ", this verifier for " + job.jobId());
    }
    final Map<RecordKey, StepRecord> grid = new HashMap<>();
    records.forEach(s -> grid.put(RecordKey.of(s.record()), s.record()));
    final List<CompletableFuture<RecordVerdict>> verdicts = sample(job, header, validator, records).stream()
        .map(r -> cache.get(r.recordHash(), () -> reexecutor.reexecute(r, grid))).toList();
    return CompletableFuture.allOf(verdicts.toArray(CompletableFuture[]::new))
        .thenApply(v -> verdicts.stream().map(CompletableFuture::join).toList());
  }
}
