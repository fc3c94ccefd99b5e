package io.tensorlink.chain.pol.verify;

/** Why a record (or a block's set of records) was rejected; one constant per distinct check. */
public enum Reason {
  // ---- structural (every record, no ML) ----
  /** The signature is not the record's worker's in the job's domain. */
  SIGNATURE_INVALID,
  /** The record names another job (a record replayed across jobs). */
  WRONG_JOB,
  /** Its stages × replicas are not the job's. */
  WRONG_TOPOLOGY,
  /** Its worker is not the one assigned to its (stage, replica). */
  WORKER_NOT_ASSIGNED,
  /** Its step is outside the block's [stepFrom, stepTo). */
  STEP_OUT_OF_RANGE,
  /** The same record twice, or two different records for one (step, stage, replica). */
  DUPLICATE_RECORD,
  /** A (step, stage, replica) of the block has no record. */
  MISSING_RECORD,
  /** A link, batch commitment or loss that must be zero for its stage is not. */
  UNUSED_FIELD_NOT_ZERO,
  /** Stage 0's batch commitment is not the BatchPlan's batch. */
  BATCH_NOT_PLANNED,
  /** actIn of stage s differs from actOut of stage s−1 (same step and replica). */
  ACTIVATION_LINK_MISMATCH,
  /** gradOut of stage s differs from gradIn of stage s−1 (same step and replica). */
  GRADIENT_LINK_MISMATCH,
  /** Replicas of a stage disagree on reduceRoot, paramsAfter or optStateAfter (or their roots before). */
  REPLICAS_DISAGREE,
  /** Roots after step t differ from roots before step t+1. */
  ROOTS_DISCONTINUOUS,
  /** Roots before stepFrom differ from the previous block's checkpoint (or the job's initial state). */
  START_ROOTS_MISMATCH,

  // ---- sampled re-execution ----
  /** The worker did not serve an input of a sampled record (refused, timed out, malformed). */
  INPUT_UNAVAILABLE,
  /** A served input does not hash to the value the record committed to. */
  INPUT_HASH_MISMATCH,
  /** Re-executed activations out differ from actOut. */
  ACT_OUT_MISMATCH,
  /** Re-executed input gradient differs from gradOut. */
  GRAD_OUT_MISMATCH,
  /** Re-executed loss differs from lossBits. */
  LOSS_MISMATCH,
  /** Re-executed local gradient differs from gradRoot. */
  GRAD_ROOT_MISMATCH,
  /** The replicas' local gradients, summed in replica order, differ from reduceRoot. */
  REDUCE_ROOT_MISMATCH,
  /** Re-executed parameters after the update differ from paramsAfter. */
  PARAMS_AFTER_MISMATCH,
  /** Re-executed optimizer state after the update differs from optStateAfter. */
  OPT_STATE_AFTER_MISMATCH,
  /** Tolerant mode: the relative L2 distance of the parameter update exceeds the job's δ. */
  UPDATE_OUT_OF_TOLERANCE
}
