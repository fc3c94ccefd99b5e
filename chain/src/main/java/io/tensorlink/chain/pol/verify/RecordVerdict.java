package io.tensorlink.chain.pol.verify;

import io.tensorlink.chain.pol.Attestation;
import io.tensorlink.chain.pol.work.RecordKey;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes32;

/** The outcome of re-executing one sampled record; {@code reason} is present iff it is INVALID. */
public record RecordVerdict(Bytes32 leaf, RecordKey at, Attestation.Verdict verdict, Optional<Reason> reason,
    String detail) {

  public static RecordVerdict valid(final Bytes32 leaf, final RecordKey at, final String detail) {
    return new RecordVerdict(leaf, at, Attestation.Verdict.VALID, Optional.empty(), detail);
  }

  public static RecordVerdict invalid(final Bytes32 leaf, final RecordKey at, final Reason reason, final String detail) {
    return new RecordVerdict(leaf, at, Attestation.Verdict.INVALID, Optional.of(reason), detail);
  }

  public boolean isValid() {
    return verdict == Attestation.Verdict.VALID;
  }

  public Attestation.SampleVerdict toSampleVerdict() {
    return new Attestation.SampleVerdict(leaf, verdict);
  }
}
