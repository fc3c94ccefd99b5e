package io.tensorlink.chain.validator;

import io.tensorlink.chain.store.RecordKey;
import java.util.List;

/** A validator's judgement of a proposed header against the records it holds. */
public sealed interface Verdict {
  /** Structure checks pass and every record of this validator's mandatory sample re-executed correctly. */
  record Valid(List<byte[]> sampled) implements Verdict {
    public Valid {
      sampled = sampled.stream().map(byte[]::clone).toList();
    }
  }

  /** Some record the header covers has not arrived yet: ask again later. */
  record Incomplete(String missing) implements Verdict {}

  /** The header is wrong for a reason that is nobody's provable fraud (bad roots, wrong range, stale randomness). */
  record Invalid(String reason) implements Verdict {}

  /** Re-executing {@code record} proves its worker cheated: the header must not be signed, and if anchored, disputed. */
  record Fraud(RecordKey record, String reason) implements Verdict {}
}
