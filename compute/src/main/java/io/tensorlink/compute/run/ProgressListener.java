package io.tensorlink.compute.run;

import io.tensorlink.compute.checkpoint.Checkpoint;
import java.util.function.Supplier;

/** Told after every training step; called on the training thread, so keep it cheap. */
@FunctionalInterface
public interface ProgressListener {

  ProgressListener NONE = p -> { };

  void onStep(Progress progress);

  /**
   * After {@link #onStep}, the live training state, for periodic or interrupted checkpoints. The
   * checkpoint shares the tensors training goes on with: save it before returning. Throwing stops
   * the run. Built only when asked for.
   */
  default void afterStep(final Supplier<Checkpoint> live) {}

  /**
   * @param step steps completed so far in this run (1-based after the first step)
   * @param totalSteps steps this run will take
   * @param loss the last step's mean batch loss
   * @param samplesPerSecond throughput since the run started
   * @param elapsedNanos wall time since the run started
   */
  record Progress(long step, long totalSteps, float loss, double samplesPerSecond, long elapsedNanos) {

    /** Estimated nanoseconds left at the average pace so far. */
    public long etaNanos() {
      return step == 0 ? 0 : (long) ((double) elapsedNanos / step * (totalSteps - step));
    }
  }
}
