package io.tensorlink.chain.pol.work;

import io.tensorlink.compute.backend.Backend;
import io.tensorlink.compute.dist.Stage;
import io.tensorlink.compute.loss.Targets;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import io.tensorlink.compute.train.TrainingStep;

/**
 * One (step, stage, replica) cell of the step function, as a worker runs it and a validator
 * re-executes it: forward the incoming activations, (last stage) the loss of the replica's labels,
 * backward the incoming gradient; then {@link #update} with the reduced gradient. Both sides run
 * this same code on compute's {@link Stage}, which is what makes exact mode bitwise.
 */
public final class StageCell {
  private final JobContext job;
  private final Stage stage;
  private final Stage.Run run;
  private Tensor lossGrad;

  private StageCell(final JobContext job, final Stage stage, final Stage.Run run) {
    this.job = job;
    this.stage = stage;
    this.run = run;
  }

  public static StageCell begin(final JobContext job, final int stage, final Backend backend,
      final NamedTensors stageParams, final long step, final int replica) {
    final Stage s = job.stages().get(stage);
    return new StageCell(job, s, s.begin(backend, stageParams, job.spec().seed(), step, job.sampleOffset(replica)));
  }

  public Tensor forward(final Tensor activations) {
    return run.forward(activations);
  }

  /** Last stage: the replica's loss over {@code output}; keeps the loss gradient for {@link #backward}. */
  public long loss(final Tensor output, final int[] labels) {
    final Stage.LossAndGrad lg = run.loss(output, Targets.labels(labels), job.spec().globalBatch());
    lossGrad = lg.grad();
    return lossBits(lg.lossSum());
  }

  /** The record's {@code lossBits}: the replica's share of the step's mean loss, as double bits. */
  private long lossBits(final double sum) {
    final double divisor = (double) job.spec().globalBatch()
        * job.model().loss().unitsPerSample(job.model().outputShape());
    return Double.doubleToRawLongBits(sum / divisor);
  }

  /**
   * Backward from {@code gradIn} (null on the last stage, which uses its loss gradient); returns
   * the gradient of the stage input (null on stage 0).
   */
  public Tensor backward(final Tensor gradIn) {
    if (stage.isLast() != (gradIn == null)) {
      throw new IllegalArgumentException("the last stage and only it backpropagates its own loss gradient");
    }
    return run.backward(stage.isLast() ? lossGrad : gradIn);
  }

  /** The replica's parameter gradients of this stage (valid after {@link #backward}). */
  public NamedTensors grads() {
    return run.grads();
  }

  /** The optimizer step on one stage's parameters and state, in place, with the reduced gradient. */
  public static void update(final JobContext job, final Backend backend, final NamedTensors params,
      final NamedTensors state, final NamedTensors reduced, final long step) {
    new TrainingStep(job.model(), backend).update(params, state, reduced, 0, job.spec().hyperParams(), step);
  }
}
