package io.tensorlink.chain.job.churn;

import io.tensorlink.compute.checkpoint.Checkpoint;
import java.math.BigInteger;
import java.util.Optional;

/**
 * Where a standby gets the stage checkpoint it resumes from: parameters and optimizer state of
 * {@code stage} after {@code step} steps (any replica's: replicas hold the same after every step).
 * The seam for {@code /tl/checkpoint/1.0.0} (another replica, or the gone worker's published
 * checkpoint); {@link DirectoryCheckpoints} reads them from disk.
 */
@FunctionalInterface
public interface CheckpointSource {
  Optional<Checkpoint> fetch(BigInteger jobId, int stage, long step);
}
