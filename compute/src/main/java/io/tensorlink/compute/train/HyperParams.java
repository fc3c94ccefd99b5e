package io.tensorlink.compute.train;

import io.tensorlink.compute.optim.LrSchedule;
import io.tensorlink.compute.optim.Optimizer;

/**
 * Everything besides parameters, state, data and step index that a training step depends on.
 *
 * @param optimizer update rule and its hyperparameters
 * @param schedule learning rate per step
 * @param gradClip maximum global gradient L2 norm; 0 disables clipping
 * @param shards canonical micro-batches per step: the step gradient is the left-to-right sum of
 *     the shards' gradients. Data-parallel replicas each compute whole shards, which is why
 *     {@code r} replicas reproduce one process's bits when {@code shards} is a multiple of r.
 * @param seed job seed (dropout masks)
 */
public record HyperParams(Optimizer optimizer, LrSchedule schedule, float gradClip, int shards, long seed) {

  public HyperParams {
    if (optimizer == null || schedule == null) {
      throw new IllegalArgumentException("optimizer and schedule are required");
    }
    if (!(gradClip >= 0f)) {
      throw new IllegalArgumentException("gradClip must be >= 0 (0 disables), got " + gradClip);
    }
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be >= 1, got " + shards);
    }
  }

  /** One shard, no clipping. */
  public static HyperParams of(final Optimizer optimizer, final LrSchedule schedule, final long seed) {
    return new HyperParams(optimizer, schedule, 0f, 1, seed);
  }

  public HyperParams withShards(final int n) {
    return new HyperParams(optimizer, schedule, gradClip, n, seed);
  }

  public HyperParams withGradClip(final float clip) {
    return new HyperParams(optimizer, schedule, clip, shards, seed);
  }
}
