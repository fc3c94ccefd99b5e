package io.tensorlink.chain.job.worker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How a worker runs its cell.
 *
 * @param microBatches micro-batches per replica batch (pipeline fill/drain); 1 turns micro-batching off
 * @param checkpointEvery a checkpoint after every this many steps (and after the job's last step)
 * @param checkpointDir where checkpoints go; empty: none are written
 * @param frameTimeout how long the worker waits for a neighbour's frame before giving up the step
 * @param archiveBlocks how many PoL blocks of steps the worker keeps inputs of for
 *     {@code /tl/verify} (each step of an MLP stage holds megabytes); older steps are forgotten
 * @param fault the test-only fault injector, empty for an honest worker
 */
public record WorkerOptions(int microBatches, int checkpointEvery, Optional<Path> checkpointDir,
    Duration frameTimeout, int archiveBlocks, Optional<LazyFault> fault) {

  public WorkerOptions {
    if (microBatches < 1 || checkpointEvery < 1 || archiveBlocks < 1) {
      throw new IllegalArgumentException("microBatches, checkpointEvery and archiveBlocks must be >= 1, got "
          + microBatches + ", " + checkpointEvery + ", " + archiveBlocks);
    }
    if (frameTimeout.isNegative() || frameTimeout.isZero()) {
      throw new IllegalArgumentException("frameTimeout must be positive, got " + frameTimeout);
    }
  }

  /** One micro-batch, no checkpoints, 60 s frame timeout, inputs of the last 4 blocks, honest. */
  public static WorkerOptions defaults() {
    return new WorkerOptions(1, 100, Optional.empty(), Duration.ofSeconds(60), 4, Optional.empty());
  }

  public WorkerOptions withMicroBatches(final int n) {
    return new WorkerOptions(n, checkpointEvery, checkpointDir, frameTimeout, archiveBlocks, fault);
  }

  public WorkerOptions withCheckpoints(final Path dir, final int every) {
    return new WorkerOptions(microBatches, every, Optional.of(dir), frameTimeout, archiveBlocks, fault);
  }

  public WorkerOptions withFault(final LazyFault f) {
    return new WorkerOptions(microBatches, checkpointEvery, checkpointDir, frameTimeout, archiveBlocks,
        Optional.of(f));
  }

  public WorkerOptions withFrameTimeout(final Duration timeout) {
    return new WorkerOptions(microBatches, checkpointEvery, checkpointDir, timeout, archiveBlocks, fault);
  }

  public WorkerOptions withArchiveBlocks(final int blocks) {
    return new WorkerOptions(microBatches, checkpointEvery, checkpointDir, frameTimeout, blocks, fault);
  }
}
