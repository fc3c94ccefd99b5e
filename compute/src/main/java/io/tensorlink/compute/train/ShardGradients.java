package io.tensorlink.compute.train;

import io.tensorlink.compute.tensor.NamedTensors;

/**
 * One shard's contribution: gradients (already divided by the global divisor) and the sum of its
 * per-unit losses.
 */
public record ShardGradients(NamedTensors grads, double lossSum) {}
