package io.tensorlink.compute.run;

import io.tensorlink.compute.cuda.BackendKind;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything a standalone training run is configured by (the options of {@code tl-cli train}).
 *
 * @param model model spec JSON file
 * @param dataset dataset description, see {@link io.tensorlink.compute.data.DatasetSource}
 * @param steps steps to run; exactly one of steps and epochs is present
 * @param epochs whole passes over the training set (each {@code size / batch} steps)
 * @param init parameters to start from (safetensors with the model's names and shapes); else
 *     the model's seeded initialization
 * @param out where to save the final checkpoint (parameters + optimizer state)
 * @param export where to export the final parameters as safetensors
 */
public record RunSpec(
    Path model, String dataset, OptionalLong steps, OptionalLong epochs, int batch, float lr,
    OptimizerChoice optimizer, int threads, long seed, BackendKind backend, Optional<Path> init,
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
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
  }
}
