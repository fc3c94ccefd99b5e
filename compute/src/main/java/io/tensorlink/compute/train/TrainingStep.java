package io.tensorlink.compute.train;

import io.tensorlink.compute.backend.Backend;
import io.tensorlink.compute.data.Batch;
import io.tensorlink.compute.loss.Targets;
import io.tensorlink.compute.nn.Model;
import io.tensorlink.compute.nn.Pass;
import io.tensorlink.compute.optim.GradClip;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The step function of design §4:
 * {@code (params_t, optState_t, batch, hyperparams, step) → (params_t+1, optState_t+1, loss, gradRoot)}.
 *
 * <p>Definition, in order: split the global batch into {@code hp.shards} equal contiguous shards;
 * for each shard run forward, loss (summed, divided by the global unit count) and backward from
 * zero gradients; sum shard gradients left to right ({@link GradientReducer}); gradRoot over
 * that sum (computed lazily by {@link StepResult#gradRoot()}); clip by global norm; optimizer update at {@code schedule.lr(step)}.
 *
 * <p>On {@code CpuBackend} the result is bitwise reproducible for any thread count and SIMD
 * setting. Not thread-safe: one step at a time per backend.
 */
public final class TrainingStep {
  private final Model model;
  private final Backend backend;

  public TrainingStep(final Model model, final Backend backend) {
    this.model = model;
    this.backend = backend;
  }

  public Model model() {
    return model;
  }

  /** Pure form: inputs are not modified; the result holds fresh tensors. */
  public StepResult apply(final NamedTensors params, final NamedTensors optState, final Batch batch,
      final HyperParams hp, final long step) {
    return applyInPlace(params.copy(), optState.copy(), batch, hp, step);
  }

  /** Same result as {@link #apply}, updating {@code params} and {@code optState} in place (no copies). */
  public StepResult applyInPlace(final NamedTensors params, final NamedTensors optState, final Batch batch,
      final HyperParams hp, final long step) {
    model.checkParams(params);
    final int global = batch.size();
    if (global % hp.shards() != 0) {
      throw new IllegalArgumentException("batch of " + global + " does not split into " + hp.shards() + " equal shards");
    }
    final Targets targets = Targets.labels(batch.labels());
    final int per = global / hp.shards();
    final List<ShardGradients> shards = new ArrayList<>();
    for (int s = 0; s < hp.shards(); s++) {
      shards.add(shardGradients(params, slice(batch.inputs(), s * per, per),
          targets.slice(s * per, per, model.loss().targetsPerSample(model.outputShape())), s * per, global, step,
          hp.seed()));
    }
    final NamedTensors grads = shards.size() == 1 ? shards.get(0).grads()
        : GradientReducer.sum(shards.stream().map(ShardGradients::grads).toList());
    final double lossSum = GradientReducer.lossSum(shards);
    return update(params, optState, grads, lossSum / divisor(global), hp, step);
  }

  /**
   * Forward, loss and backward for one shard of the global batch.
   *
   * @param sampleOffset index of the shard's first sample in the global batch
   * @param globalBatch samples in the whole step (the loss divisor's basis)
   */
  public ShardGradients shardGradients(final NamedTensors params, final Tensor inputs, final Targets targets,
      final long sampleOffset, final int globalBatch, final long step, final long seed) {
    final NamedTensors grads = params.zerosLike();
    final Pass pass = new Pass(backend, params, grads, true, seed, step, sampleOffset);
    final Tensor out = model.stack().forward(pass, inputs);
    final Tensor dOut = Tensor.zeros(out.shape());
    final double lossSum = model.loss().forwardBackward(backend, out, targets, divisor(globalBatch), dOut);
    model.stack().backward(pass, dOut, false);
    return new ShardGradients(grads, lossSum);
  }

  /** Clipping and the optimizer update, in place; the tail of every step. */
  public StepResult update(final NamedTensors params, final NamedTensors optState, final NamedTensors grads,
      final double loss, final HyperParams hp, final long step) {
    final boolean clipping = hp.gradClip() > 0;
    final NamedTensors committed = clipping ? grads.copy() : grads;
    final double norm = clipping ? GradClip.clip(grads, hp.gradClip()) : Double.NaN;
    hp.optimizer().update(backend, params, grads, optState, hp.schedule().lr(step), step);
    return new StepResult(params, optState, (float) loss, committed, norm);
  }

  /** Loss averaging units in a global batch of {@code globalBatch} samples. */
  public double divisor(final int globalBatch) {
    return (double) globalBatch * model.loss().unitsPerSample(model.outputShape());
  }

  /** Samples {@code [from, from + count)} of a batch tensor (copied unless it is the whole batch). */
  public static Tensor slice(final Tensor batch, final int from, final int count) {
    if (from == 0 && count == batch.dim(0)) {
      return batch;
    }
    final int per = batch.size() / batch.dim(0);
    final float[] d = new float[count * per];
    System.arraycopy(batch.data(), from * per, d, 0, d.length);
    final int[] shape = batch.shape();
    shape[0] = count;
    return Tensor.of(d, shape);
  }
}
