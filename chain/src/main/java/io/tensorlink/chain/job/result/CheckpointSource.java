package io.tensorlink.chain.job.result;

import io.tensorlink.compute.checkpoint.Checkpoint;
import java.math.BigInteger;
import java.util.Optional;

/** Where a worker's checkpoints are: the one of cell (stage, replica) of a job after exactly {@code step} steps. */
@FunctionalInterface
public interface CheckpointSource {
  Optional<Checkpoint> find(BigInteger jobId, int stage, int replica, long step);
}
