package io.tensorlink.compute.train;

import io.tensorlink.compute.checkpoint.ParamsRoot;
import io.tensorlink.compute.optim.GradClip;
import io.tensorlink.compute.tensor.NamedTensors;

/**
 * The outputs of one training step: new parameters and optimizer state, the loss and the
 * gradient commitment.
 *
 * <p>{@link #gradRoot()} is computed on first use: hashing every gradient costs about as much as
 * the MLP's GEMMs, and plain training never asks for it. The result keeps the reduced gradient
 * (a pre-clipping copy when clipping is on) until then.
 */
public final class StepResult {
  private final NamedTensors params;
  private final NamedTensors optState;
  private final float loss;
  private double gradNorm;
  private boolean normKnown;
  private NamedTensors grads;
  private byte[] gradRoot;

  StepResult(final NamedTensors params, final NamedTensors optState, final float loss, final NamedTensors grads,
      final double gradNorm) {
    this.params = params;
    this.optState = optState;
    this.loss = loss;
    this.grads = grads;
    this.gradNorm = gradNorm;
    this.normKnown = !Double.isNaN(gradNorm);
  }

  public NamedTensors params() {
    return params;
  }

  public NamedTensors optState() {
    return optState;
  }

  /** Mean loss over the global batch, before the update. */
  public float loss() {
    return loss;
  }

  /** Global L2 norm of the reduced, unclipped gradient (computed on first use when clipping was off). */
  public synchronized double gradNorm() {
    if (!normKnown) {
      gradNorm = GradClip.globalNorm(grads);
      normKnown = true;
    }
    return gradNorm;
  }

  /** paramsRoot-style Merkle root (keccak256) over the reduced, unclipped gradient, in spec order. */
  public synchronized byte[] gradRoot() {
    if (gradRoot == null) {
      gradNorm();
      gradRoot = ParamsRoot.of(grads);
      grads = null;
    }
    return gradRoot.clone();
  }
}
