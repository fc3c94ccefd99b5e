package io.tensorlink.chain.pol.work;

import io.tensorlink.chain.pol.StepRecord;
import java.math.BigInteger;

/** The grid position of a record: one per (job, step, stage, replica). */
public record RecordKey(BigInteger jobId, long step, int stage, int replica) {
  public static RecordKey of(final StepRecord r) {
    return new RecordKey(r.jobId(), r.step(), r.stage(), r.replica());
  }

  @Override
  public String toString() {
    return "job " + jobId + " step " + step + " stage " + stage + " replica " + replica;
  }
}
