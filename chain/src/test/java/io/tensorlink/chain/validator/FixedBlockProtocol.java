package io.tensorlink.chain.validator;

import io.tensorlink.chain.pol.PoLHeader;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.store.StoredEntry;
import io.tensorlink.chain.validator.pol.PolHeaders;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes32;

/**
 * What the test protocols share: a 2-stage × 1-replica job, blocks of 4 steps that are complete once
 * every (step, stage) record is in, and pol-core {@link PoLHeader}s. A subclass says only how a
 * complete block's roots come from its records ({@link #roots}) and how a header is verified.
 */
public abstract class FixedBlockProtocol implements BlockFormat, BlockVerifier {
  static final int STAGES = 2;
  static final long BLOCK_STEPS = 4;

  /** A block's stepsRoot, payoutsRoot and checkpointRoot. */
  protected record Roots(Bytes32 steps, Bytes32 payouts, Bytes32 checkpoint) {}

  /** The roots of a complete block over {@code records}, proposed with {@code randomness}. */
  protected abstract Roots roots(JobState job, List<StoredEntry<RecordKey>> records, ChainRandomness randomness);

  @Override
  public final long blockSteps(final JobState job) {
    return BLOCK_STEPS;
  }

  @Override
  public final boolean isComplete(final JobState job, final long stepFrom, final List<StoredEntry<RecordKey>> records) {
    return records.size() == BLOCK_STEPS * STAGES;
  }

  @Override
  public final Optional<BlockCandidate> build(final JobState job, final long index, final byte[] parent,
      final long stepFrom, final List<StoredEntry<RecordKey>> records, final ChainRandomness randomness) {
    if (!isComplete(job, stepFrom, records)) {
      return Optional.empty();
    }
    final Roots r = roots(job, records, randomness);
    return Optional.of(PolHeaders.candidate(new PoLHeader(job.jobId(), index, Bytes32.wrap(parent), stepFrom,
        stepFrom + BLOCK_STEPS, r.steps(), r.payouts(), r.checkpoint(), Bytes32.wrap(randomness.blockHash()),
        randomness.blockNumber())));
  }

  @Override
  public final BlockCandidate decode(final byte[] encoded) {
    return PolHeaders.candidate(PolHeaders.decode(encoded));
  }
}
