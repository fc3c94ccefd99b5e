package io.tensorlink.compute.run;

import io.tensorlink.compute.cuda.BackendKind;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything a standalone training run is configured by (the options of {@code tl-cli train}).
 *
 * @param model model spec JSON file
 * @param dataset dataset description, see {@link io.tensorlink.compute.data.DatasetSource}
 * @param steps steps to run; exactly one of steps and epochs is present. When resuming, both
 *     count from the checkpoint on
 * @param epochs whole passes over the training set (each {@code size / batch} steps)
 * @param start where parameters and optimizer state come from
 * @param out where to save the final checkpoint (parameters + optimizer state)
 * @param export where to export the final parameters as safetensors
 */
public record RunSpec(
    Path model, String dataset, OptionalLong steps, OptionalLong epochs, int batch, float lr,
    OptimizerChoice optimizer, int threads, long seed, BackendKind backend, StartFrom start,
    boolean shuffle, Optional<Path> out, Optional<Path> export) {

  public RunSpec {
    if (steps.isPresent() == epochs.isPresent()) {
      throw new IllegalArgumentException("give exactly one of steps or epochs");
    }
    if (steps.orElse(1) < 0 || epochs.orElse(1) < 0) {
      throw new IllegalArgumentException("steps and epochs must be >= 0");
    }
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    }
    if (!(lr > 0f) || !Float.isFinite(lr)) {
      throw new IllegalArgumentException("learning rate must be a positive number, got " + lr);
    }
    Objects.requireNonNull(start, "start");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
  }
}
