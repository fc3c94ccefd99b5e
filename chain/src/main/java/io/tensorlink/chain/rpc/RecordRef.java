package io.tensorlink.chain.rpc;

import java.math.BigInteger;
import java.util.Objects;

/** Names one step record: job, step, pipeline stage and data-parallel replica. */
public record RecordRef(BigInteger jobId, long step, int stage, int replica) {
  public RecordRef {
    Objects.requireNonNull(jobId, "jobId");
    if (jobId.signum() < 0 || step < 0 || stage < 0 || replica < 0) {
      throw new IllegalArgumentException("jobId, step, stage and replica must be >= 0");
    }
  }
}
