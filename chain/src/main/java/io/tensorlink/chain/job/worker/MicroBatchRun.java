package io.tensorlink.chain.job.worker;

import io.tensorlink.chain.job.tensor.MicroBatchPlan;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.compute.backend.Backend;
import io.tensorlink.compute.dist.Stage;
import io.tensorlink.compute.nn.ActivationLayer;
import io.tensorlink.compute.nn.Dropout;
import io.tensorlink.compute.nn.Flatten;
import io.tensorlink.compute.nn.Layer;
import io.tensorlink.compute.nn.Linear;
import io.tensorlink.compute.nn.Pass;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;

/**
 * One step of one stage over a replica's batch cut into micro-batches: forward each micro-batch as
 * it comes, then backward them in sample order into one set of gradients. With one micro-batch it
 * is compute's {@code Stage.Run}; with more, {@link AccumulatingBackend} continues the gradient
 * chains so the gradients are bitwise those of one pass over the whole batch.
 */
final class MicroBatchRun {
  private final Stage stage;
  private final Backend backend;
  private final NamedTensors params;
  private final NamedTensors grads;
  private final MicroBatchPlan plan;
  private final long seed;
  private final long step;
  private final long sampleOffset;
  private final Pass[] passes;
  private int nextBackward;

  MicroBatchRun(final JobContext job, final int stage, final Backend backend, final NamedTensors params,
      final long step, final int replica, final MicroBatchPlan plan) {
    this.stage = job.stages().get(stage);
    this.params = params;
    this.grads = params.zerosLike();
    this.backend = plan.count() > 1 ? new AccumulatingBackend(backend, grads) : backend;
    this.plan = plan;
    this.seed = job.spec().seed();
    this.step = step;
    this.sampleOffset = job.sampleOffset(replica);
    this.passes = new Pass[plan.count()];
  }

  /**
   * @throws IllegalArgumentException when {@code microBatches > 1} and a layer of the stage has
   *     gradients that are not GEMMs over the batch rows (their micro-batch sums would differ)
   */
  static void check(final Stage stage, final int microBatches) {
    if (microBatches == 1) {
      return;
    }
    for (final Layer l : stage.stack().layers()) {
      if (!(l instanceof Linear || l instanceof ActivationLayer || l instanceof Flatten || l instanceof Dropout)) {
        throw new IllegalArgumentException("stage " + stage.index() + " has layer '" + l.name() + "' ("
            + l.getClass().getSimpleName() + "): micro-batching keeps the bits only for linear, activation, "
            + "flatten and dropout layers; use 1 micro-batch");
      }
    }
  }

  Tensor forward(final int m, final Tensor x) {
    passes[m] = new Pass(backend, params, grads, true, seed, step, sampleOffset + plan.start(m));
    return stage.stack().forward(passes[m], x);
  }

  /** Backward of micro-batch {@code m}; micro-batches go in order. Returns the input gradient (null on stage 0). */
  Tensor backward(final int m, final Tensor dy) {
    if (m != nextBackward) {
      throw new IllegalStateException("micro-batch " + m + " backward before " + nextBackward);
    }
    nextBackward++;
    final Tensor dx = stage.stack().backward(passes[m], dy, !stage.isFirst());
    passes[m] = null;
    return dx;
  }

  /** The stage's parameter gradients over the whole batch (after every backward). */
  NamedTensors grads() {
    return grads;
  }
}
