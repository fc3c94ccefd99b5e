package io.tensorlink.chain.validator.dispute;

import java.util.Set;

/**
 * What a court refusal means for the duty that got it: wait (the condition is time, and later
 * blocks meet it), give up (retrying cannot help), or count it and give up after
 * {@link #MAX_REJECTIONS}.
 */
final class Rejections {
  /** Refusals of one phase after which the duty is given up, with the last error logged. */
  static final int MAX_REJECTIONS = 5;

  private static final Set<String> WAIT = Set.of(
      "DisputeCourtNoCommitment", // the commitment's block is the head: reveal in the next one
      "DisputeCourtDrawTooEarly",
      "DisputeCourtVotingOpen");

  private static final Set<String> FINAL = Set.of(
      "DisputeCourtAlreadyDisputed",
      "DisputeCourtChallengeWindowClosed",
      "DisputeCourtSelfChallenge",
      "DisputeCourtBadWorkerSignature",
      "DisputeCourtInvalidStepProof",
      "DisputeCourtInvalidPayoutProof",
      "DisputeCourtStepOutOfBlock",
      "DisputeCourtJobMismatch",
      "DisputeCourtNotCommitteeMember",
      "DisputeCourtAlreadyVoted",
      "DisputeCourtVotingClosed",
      "DisputeCourtRequestNotOpen",
      "DisputeCourtDataWindowClosed",
      "DisputeCourtWrongRecord",
      "DisputeCourtWorkerNotAssigned");

  private Rejections() {}

  static boolean isWait(final CourtRejectedException e) {
    return WAIT.contains(e.error());
  }

  /** Retrying cannot succeed: the evidence, the window or the block itself is refused (the anchor's errors). */
  static boolean isFinal(final CourtRejectedException e) {
    return FINAL.contains(e.error()) || e.error().startsWith("PoLAnchor");
  }
}
