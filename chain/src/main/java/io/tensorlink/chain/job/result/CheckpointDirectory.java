package io.tensorlink.chain.job.result;

import io.tensorlink.compute.checkpoint.Checkpoint;
import io.tensorlink.compute.checkpoint.CheckpointFile;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The checkpoints a {@code WorkerRuntime} writes into its checkpoint directory:
 * {@code job-<id>-s<stage>-r<replica>-step<n>.tlck} (compute's {@link CheckpointFile}, which checks
 * its own checksum on load).
 */
public record CheckpointDirectory(Path dir) implements CheckpointSource {
  /** The file name {@code WorkerRuntime} gives the checkpoint of a cell after {@code step} steps. */
  public static String fileName(final BigInteger jobId, final int stage, final int replica, final long step) {
    return "job-" + jobId + "-s" + stage + "-r" + replica + "-step" + step + ".tlck";
  }

  @Override
  public Optional<Checkpoint> find(final BigInteger jobId, final int stage, final int replica, final long step) {
    final Path file = dir.resolve(fileName(jobId, stage, replica, step));
    return Files.isRegularFile(file) ? Optional.of(CheckpointFile.load(file)) : Optional.empty();
  }
}
