package io.tensorlink.chain.pol.work;

/**
 * The inputs (and two outputs) of one record a validator may ask its worker for on
 * {@code /tl/verify/1.0.0}; each is hash-checked against a field of a record.
 */
public enum InputKind {
  /** The stage's parameters before the step: {@code paramsBefore}. */
  PARAMS_BEFORE,
  /** The stage's optimizer state before the step: {@code optStateBefore}. */
  OPT_STATE_BEFORE,
  /** The replica's batch (tensors {@code inputs}, {@code labels}): stage 0's {@code batchCommitment}. */
  BATCH,
  /** The activations received from the previous stage: {@code actIn}. */
  ACT_IN,
  /** The gradient received from the next stage: {@code gradIn}. */
  GRAD_IN,
  /** The replica's own parameter gradients, before the reduction: {@code gradRoot}. */
  LOCAL_GRADS,
  /** The parameters after the step (tolerant mode compares updates): {@code paramsAfter}. */
  PARAMS_AFTER
}
