package io.tensorlink.chain.validator;

import io.tensorlink.chain.store.StoredEntry;
import io.tensorlink.chain.store.RecordKey;
import java.util.List;
import java.util.Optional;

/** The leader's side of the PoL header: how many steps a block covers, how to build and decode one. */
public interface BlockFormat {
  /** Steps per block for {@code job} (from its spec). */
  long blockSteps(JobState job);

  /** Whether {@code records} (the job's stored records of the block's step range) are all the block needs. */
  boolean isComplete(JobState job, long stepFrom, List<StoredEntry<RecordKey>> records);

  /**
   * Builds the header of block {@code index} over {@code records} (the job's stored records with
   * {@code stepFrom <= step < stepFrom + blockSteps}), or empty while some record is missing.
   *
   * @param randomness a recent chain block the header's sample is derived from
   */
  Optional<BlockCandidate> build(JobState job, long index, byte[] parent, long stepFrom, List<StoredEntry<RecordKey>> records,
      ChainRandomness randomness);

  /**
   * Decodes a proposed header's wire form.
   *
   * @throws MalformedMessageException if it is not a header
   */
  BlockCandidate decode(byte[] encoded);
}
