package io.tensorlink.compute.train;

import io.tensorlink.compute.tensor.NamedTensors;

/**
 * The outputs of one training step.
 *
 * @param loss mean loss over the global batch, before the update
 * @param gradRoot paramsRoot-style Merkle root (keccak256) over the reduced, unclipped gradient
 * @param gradNorm global L2 norm of that gradient
 */
public record StepResult(NamedTensors params, NamedTensors optState, float loss, byte[] gradRoot, double gradNorm) {

  public StepResult {
    gradRoot = gradRoot.clone();
  }

  @Override
  public byte[] gradRoot() {
    return gradRoot.clone();
  }
}
