package io.tensorlink.chain.validator;

import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.store.StoredEntry;
import java.util.List;

/** Checks headers and records (structural checks, sampled re-execution): pol-core's side. */
public interface BlockVerifier {
  /**
   * Judges {@code header} as validator {@code validator} (whose address selects its mandatory
   * sample) against {@code records}, the job's stored records in the header's step range.
   */
  Verdict verify(JobState job, BlockCandidate header, List<StoredEntry<RecordKey>> records, String validator);

  /** As a dispute committee member: re-executes one record; true if it is fraudulent. */
  boolean isFraud(JobState job, RecordKey record, byte[] wire);
}
