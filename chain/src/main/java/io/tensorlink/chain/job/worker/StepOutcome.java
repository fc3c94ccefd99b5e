package io.tensorlink.chain.job.worker;

import io.tensorlink.compute.data.Batch;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;

/**
 * What one step of a cell computed, for its record: the whole-batch link tensors (null where the
 * stage has none), the replica's and the reduced gradients, and the loss bits (last stage).
 */
record StepOutcome(long step, int[] indices, Batch batch, Tensor actIn, Tensor actOut, Tensor gradIn,
    Tensor gradOut, NamedTensors localGrads, NamedTensors reducedGrads, long lossBits) {}
