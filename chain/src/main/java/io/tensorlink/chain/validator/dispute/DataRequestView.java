package io.tensorlink.chain.validator.dispute;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A data-availability request as the court holds it, read with the chain's latest block time.
 *
 * @param id the request id
 * @param jobId the job
 * @param blockIndex the anchored block whose record is demanded
 * @param open still waiting for an answer
 * @param deadline when the answer window closes (unix seconds)
 * @param chainTime the latest block's timestamp
 */
public record DataRequestView(BigInteger id, BigInteger jobId, long blockIndex, boolean open, long deadline, long chainTime) {
  public DataRequestView {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(jobId, "jobId");
  }

  /** An answer sent now can still be accepted. */
  public boolean answerable() {
    return open && chainTime < deadline;
  }
}
