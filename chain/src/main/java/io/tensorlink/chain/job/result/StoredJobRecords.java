package io.tensorlink.chain.job.result;

import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.rpc.JobRecords;
import io.tensorlink.chain.store.JobKey;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.validator.pol.BlockRecords;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * {@code tl_jobRecords} over a node's record store (signed records in pol-core's wire form: those its
 * validator role received, its worker role published, or, on a client node, its own jobs'), so a node
 * implements {@code TlNode.jobRecords} with one call.
 */
public final class StoredJobRecords {
  private StoredJobRecords() {}

  /**
   * @param totalSteps the job's steps when its spec is known, else -1
   * @return empty when the store neither follows the job nor holds any of its records; the shape (stages, replicas) comes from
   *     the records in range (0 × 0 when there are none)
   * @throws IllegalArgumentException when a stored record does not decode
   */
  public static Optional<JobRecords> read(final NodeStore store, final BigInteger jobId, final long fromStep,
      final long toStep, final long totalSteps) {
    if (toStep - fromStep > JobRecords.MAX_STEPS) {
      throw new IllegalArgumentException("at most " + JobRecords.MAX_STEPS + " steps per read, got " + fromStep + ".."
          + toStep);
    }
    final var stored = store.records(jobId, fromStep, toStep);
    // A validator follows the job (its state is in the store); a client or worker only has records.
    if (stored.isEmpty() && store.job(new JobKey(jobId)).isEmpty() && store.records(jobId, 0, 1).isEmpty()) {
      return Optional.empty();
    }
    final List<StepRecord> records = BlockRecords.decode(stored).signed().stream()
        .map(SignedStepRecord::record).toList();
    final int stages = records.isEmpty() ? 0 : records.get(0).stages();
    final int replicas = records.isEmpty() ? 0 : records.get(0).replicas();
    return Optional.of(new JobRecords(jobId, totalSteps, stages, replicas,
        records.stream().map(JobRecords.Entry::of).toList()));
  }
}
