package io.tensorlink.chain.validator;

/**
 * Checks a step record received on {@code /tl/steps/1/<jobId>} on its own (pol-core's wire form,
 * worker signature, worker assigned to that stage/replica) before the validator stores it.
 */
@FunctionalInterface
public interface RecordInspector {
  /**
   * @throws MalformedMessageException naming what is wrong if the record is malformed, for another
   *     job, or not signed by a worker the job assigned
   */
  InspectedRecord inspect(JobState job, byte[] wire);
}
