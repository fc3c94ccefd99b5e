package io.tensorlink.chain.job.churn;

import io.tensorlink.compute.checkpoint.Checkpoint;
import io.tensorlink.compute.checkpoint.CheckpointFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Checkpoints in the directories workers write them to ({@code job-<id>-s<stage>-r<replica>-step<n>.tlck}),
 * looked up in the given order, any replica of the stage.
 */
public record DirectoryCheckpoints(List<Path> dirs) implements CheckpointSource {
  public DirectoryCheckpoints {
    dirs = List.copyOf(dirs);
  }

  @Override
  public Optional<Checkpoint> fetch(final BigInteger jobId, final int stage, final long step) {
    final String prefix = "job-" + jobId + "-s" + stage + "-r";
    final String suffix = "-step" + step + ".tlck";
    for (final Path dir : dirs) {
      if (!Files.isDirectory(dir)) {
        continue; // a replica that never wrote one
      }
      try (Stream<Path> files = Files.list(dir)) {
        final Optional<Path> hit = files.filter(f -> {
          final String name = f.getFileName().toString();
          return name.startsWith(prefix) && name.endsWith(suffix)
              && name.substring(prefix.length(), name.length() - suffix.length()).matches("[0-9]+");
        }).sorted().findFirst();
        if (hit.isPresent()) {
          return Optional.of(CheckpointFile.load(hit.get()));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list checkpoints in " + dir, e);
      }
    }
    return Optional.empty();
  }
}
