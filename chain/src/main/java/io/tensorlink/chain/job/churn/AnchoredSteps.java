package io.tensorlink.chain.job.churn;

import io.tensorlink.chain.validator.JobState;
import io.tensorlink.chain.validator.Validator;
import java.math.BigInteger;

/**
 * Where a job resumes after a takeover: the first step after its last anchored block (0 before
 * the first). Payouts come only from anchored blocks, so redoing every step from here pays nothing
 * twice and loses no step.
 */
@FunctionalInterface
public interface AnchoredSteps {
  long resumeStep(BigInteger jobId);

  /** From a validator's store (its {@code JobState.nextStep}, advanced by each {@code BlockAnchored} event). */
  static AnchoredSteps of(final Validator validator) {
    return jobId -> validator.job(jobId).map(JobState::nextStep).orElse(0L);
  }
}
