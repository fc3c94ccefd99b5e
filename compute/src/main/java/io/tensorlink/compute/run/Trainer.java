package io.tensorlink.compute.run;

import io.tensorlink.compute.backend.Backend;
import io.tensorlink.compute.checkpoint.Checkpoint;
import io.tensorlink.compute.data.Batch;
import io.tensorlink.compute.data.BatchPlan;
import io.tensorlink.compute.data.Dataset;
import io.tensorlink.compute.nn.Model;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.train.HyperParams;
import io.tensorlink.compute.train.StepResult;
import io.tensorlink.compute.train.TrainingStep;

/**
 * Drives {@link TrainingStep} over a dataset: global step {@code s} trains on
 * {@code plan.indicesAtGlobalStep(s, 0)}, so a run resumed from a checkpoint at step {@code s}
 * continues exactly as if it had never stopped. Single process, one replica.
 */
public final class Trainer {

  private final Model model;
  private final TrainingStep step;
  private final Dataset train;
  private final BatchPlan plan;
  private final HyperParams hp;

  public Trainer(final Model model, final Backend backend, final Dataset train, final BatchPlan plan,
      final HyperParams hp) {
    InputShapes.check(train, model.inputShape(), model.outputShape()[model.outputShape().length - 1]);
    if (plan.datasetSize() != train.size() || plan.replicas() != 1) {
      throw new IllegalArgumentException("batch plan for " + plan.datasetSize() + " samples and " + plan.replicas()
          + " replicas does not fit a single-process run over " + train.size() + " samples");
    }
    this.model = model;
    this.step = new TrainingStep(model, backend);
    this.train = train;
    this.plan = plan;
    this.hp = hp;
  }

  /** Result of {@link #run}: the state after the last step. */
  public record Result(Checkpoint state, float lastLoss, double samplesPerSecond, long elapsedNanos) {}

  /**
   * Runs {@code steps} steps from {@code start} (which is not modified) and returns the new
   * state, carrying {@code start}'s metadata.
   */
  public Result run(final Checkpoint start, final long steps, final ProgressListener listener) {
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    }
    final NamedTensors params = start.params().copy();
    final NamedTensors optState = start.optimizerState().copy();
    final long t0 = System.nanoTime();
    float loss = Float.NaN;
    double samplesPerSecond = 0;
    for (long i = 0; i < steps; i++) {
      final long global = start.step() + i;
      final Batch raw = train.batch(plan.indicesAtGlobalStep(global, 0));
      final Batch batch = new Batch(InputShapes.fit(raw.inputs(), model.inputShape(), train.name()), raw.labels());
      final StepResult r = step.applyInPlace(params, optState, batch, hp, global);
      loss = r.loss();
      if (!Float.isFinite(loss)) {
        throw new IllegalStateException("loss became " + loss + " at step " + global
            + " (learning rate too high?)");
      }
      final long elapsed = System.nanoTime() - t0;
      samplesPerSecond = (i + 1) * (double) plan.batch() / (elapsed / 1e9);
      listener.onStep(new ProgressListener.Progress(i + 1, steps, loss, samplesPerSecond, elapsed));
      final long done = global + 1;
      listener.afterStep(() -> new Checkpoint(done, params, optState, start.metadata()));
    }
    final Checkpoint end = new Checkpoint(start.step() + steps, params, optState, start.metadata());
    return new Result(end, loss, samplesPerSecond, System.nanoTime() - t0);
  }
}
