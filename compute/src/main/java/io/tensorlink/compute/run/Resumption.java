package io.tensorlink.compute.run;

import io.tensorlink.compute.checkpoint.Checkpoint;
import io.tensorlink.compute.checkpoint.CheckpointException;
import io.tensorlink.compute.checkpoint.CheckpointFile;
import io.tensorlink.compute.tensor.NamedTensors;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Loads a checkpoint to resume from and refuses one that would not continue the same run: a
 * different spec, optimizer, seed, dataset, batch or shuffle setting would silently change what
 * the remaining steps compute.
 */
final class Resumption {
  /** Settings every checkpoint records; others (batch, shuffle) are checked when present, older files lack them. */
  private static final List<String> REQUIRED = List.of("specHash", "optimizer");

  private Resumption() {}

  /**
   * @param template the model's parameters (names and shapes)
   * @param freshOptState the optimizer state a fresh start would have (names and shapes)
   * @param settings this run's metadata; every key the checkpoint also has must agree
   */
  static Checkpoint load(final Path file, final NamedTensors template, final NamedTensors freshOptState,
      final Map<String, String> settings) {
    final Checkpoint c = CheckpointFile.load(file);
    for (final String key : REQUIRED) {
      if (!c.metadata().containsKey(key)) {
        throw new CheckpointException(file + ": no '" + key + "' recorded, so it cannot be checked for resuming");
      }
    }
    for (final Map.Entry<String, String> e : settings.entrySet()) {
      final String saved = c.metadata().get(e.getKey());
      if (saved != null && !saved.equals(e.getValue())) {
        throw new CheckpointException(file + ": saved with " + e.getKey() + "=" + saved + " but this run has "
            + e.getKey() + "=" + e.getValue() + "; resuming needs the same settings");
      }
    }
    requireSameLayout(file, "parameters", c.params(), template);
    requireSameLayout(file, "optimizer state", c.optimizerState(), freshOptState);
    return new Checkpoint(c.step(), c.params(), c.optimizerState(), settings);
  }

  private static void requireSameLayout(final Path file, final String what, final NamedTensors found,
      final NamedTensors expected) {
    if (!found.names().equals(expected.names())) {
      throw new CheckpointException(file + ": " + what + " " + found.names() + " do not match the run's "
          + expected.names());
    }
    for (final String name : expected.names()) {
      if (!found.get(name).sameShape(expected.get(name))) {
        throw new CheckpointException(file + ": " + what + " tensor '" + name + "' has shape "
            + Arrays.toString(found.get(name).shape()) + " but the run expects "
            + Arrays.toString(expected.get(name).shape()));
      }
    }
  }
}
