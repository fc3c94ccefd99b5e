package io.tensorlink.compute.run;

import java.nio.file.Path;

/** Where a standalone run's parameters (and optimizer state) come from. */
public sealed interface StartFrom {

  /** The model's seeded initialization. */
  record Seeded() implements StartFrom {}

  /** Parameters imported from safetensors with the model's names and shapes; fresh optimizer state. */
  record Weights(Path safetensors) implements StartFrom {}

  /**
   * A checkpoint saved by an earlier run with the same model, optimizer and data settings:
   * parameters, optimizer state and step count, so the run continues exactly where that one
   * stopped.
   */
  record Resume(Path checkpoint) implements StartFrom {}
}
