package io.tensorlink.chain.validator.suite;

import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.pol.wire.WireException;
import io.tensorlink.contracts.generated.DisputeCourt;
import java.math.BigInteger;
import org.apache.tuweni.bytes.Bytes;

/** pol-core's step records as the DisputeCourt binding takes them. */
public final class CourtRecords {
  private CourtRecords() {}

  /** The court binding's struct for {@code r}. */
  public static DisputeCourt.StepRecord forCourt(final StepRecord r) {
    return new DisputeCourt.StepRecord(r.jobId(), BigInteger.valueOf(r.step()), u32(r.stage()), u32(r.replica()),
        u32(r.stages()), u32(r.replicas()), r.worker().toString(), r.batchCommitment().toArray(), r.paramsBefore().toArray(),
        r.optStateBefore().toArray(), r.actIn().toArray(), r.actOut().toArray(), r.gradIn().toArray(), r.gradOut().toArray(),
        r.gradRoot().toArray(), r.reduceRoot().toArray(), r.paramsAfter().toArray(), r.optStateAfter().toArray(),
        new BigInteger(Long.toUnsignedString(r.lossBits())));
  }

  /**
   * Decodes a signed record's wire form ({@code /tl/steps/1/<jobId>}).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static SignedStepRecord decode(final byte[] wire) {
    try {
      return PolCodec.decodeSignedRecord(Bytes.wrap(wire));
    } catch (WireException e) {
      throw new IllegalArgumentException("not a signed step record: " + e.getMessage(), e);
    }
  }

  private static BigInteger u32(final int v) {
    return BigInteger.valueOf(Integer.toUnsignedLong(v));
  }
}
