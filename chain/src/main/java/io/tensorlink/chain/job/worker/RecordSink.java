package io.tensorlink.chain.job.worker;

import io.tensorlink.chain.pol.SignedStepRecord;

/** Where a worker's signed step records go (gossip {@code /tl/steps/1/<jobId>} in a node). */
@FunctionalInterface
public interface RecordSink {
  void publish(SignedStepRecord record);
}
