package io.tensorlink.chain.validator.pol;

import io.tensorlink.chain.pol.PoLHeader;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.store.StoredEntry;
import io.tensorlink.chain.validator.BlockCandidate;
import io.tensorlink.chain.validator.BlockFormat;
import io.tensorlink.chain.validator.ChainRandomness;
import io.tensorlink.chain.validator.JobState;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes32;

/**
 * pol-core's block as the leader builds it: a block covers the spec's {@code blockSteps} steps (the
 * last block of a job the steps that remain), is complete when every (step, stage, replica) cell
 * has a record, and its header commits to the roots {@link BlockRecords} defines. A job whose
 * {@link JobContext} is not known yet never completes, so this node neither proposes nor signs for it.
 */
public final class PolBlockFormat implements BlockFormat {
  private final JobContexts contexts;
  private final int validatorFeeBps;
  private final int protocolFeeBps;

  /**
   * @param validatorFeeBps the escrow's validator fee (the suite's {@code validatorFeeBps})
   * @param protocolFeeBps the escrow's protocol fee
   */
  public PolBlockFormat(final JobContexts contexts, final int validatorFeeBps, final int protocolFeeBps) {
    if (validatorFeeBps < 0 || protocolFeeBps < 0 || validatorFeeBps + protocolFeeBps > 10_000) {
      throw new IllegalArgumentException("fees must be >= 0 and sum to <= 10000 bps, got " + validatorFeeBps + " + "
          + protocolFeeBps);
    }
    this.contexts = contexts;
    this.validatorFeeBps = validatorFeeBps;
    this.protocolFeeBps = protocolFeeBps;
  }

  public JobContexts contexts() {
    return contexts;
  }

  /** Steps of the block starting at {@code stepFrom}: the spec's block length, less at the job's end (0 past it). */
  public static long blockLength(final JobContext job, final long stepFrom) {
    return Math.max(0, Math.min(job.spec().blockSteps(), job.spec().steps() - stepFrom));
  }

  @Override
  public long blockSteps(final JobState job) {
    // at least 1: the validator reads the record range [nextStep, nextStep + blockSteps)
    return contexts.of(job).map(c -> Math.max(1, blockLength(c, job.nextStep()))).orElse(1L);
  }

  @Override
  public boolean isComplete(final JobState job, final long stepFrom, final List<StoredEntry<RecordKey>> records) {
    final Optional<JobContext> ctx = contexts.of(job);
    if (ctx.isEmpty() || blockLength(ctx.get(), stepFrom) == 0) {
      return false;
    }
    return BlockRecords.decode(records).complete(ctx.get(), stepFrom, stepFrom + blockLength(ctx.get(), stepFrom));
  }

  @Override
  public Optional<BlockCandidate> build(final JobState job, final long index, final byte[] parent, final long stepFrom,
      final List<StoredEntry<RecordKey>> records, final ChainRandomness randomness) {
    if (!isComplete(job, stepFrom, records)) {
      return Optional.empty();
    }
    final JobContext ctx = contexts.of(job).orElseThrow();
    final long stepTo = stepFrom + blockLength(ctx, stepFrom);
    return Optional.of(PolHeaders.candidate(header(ctx, index, Bytes32.wrap(parent), stepFrom, stepTo,
        BlockRecords.decode(records), Bytes32.wrap(randomness.blockHash()), randomness.blockNumber())));
  }

  /** The header every honest node builds over {@code records} with this randomness. */
  PoLHeader header(final JobContext ctx, final long index, final Bytes32 parent, final long stepFrom, final long stepTo,
      final BlockRecords records, final Bytes32 randomness, final long randomnessBlock) {
    return new PoLHeader(ctx.jobId(), index, parent, stepFrom, stepTo, records.stepsRoot(),
        records.payoutsRoot(ctx, stepTo - stepFrom, validatorFeeBps, protocolFeeBps), records.checkpointRoot(ctx, stepTo),
        randomness, randomnessBlock);
  }

  @Override
  public BlockCandidate decode(final byte[] encoded) {
    return PolHeaders.candidate(PolHeaders.decode(encoded));
  }
}
