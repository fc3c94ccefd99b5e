package io.tensorlink.chain.job.tensor;

/**
 * How a replica's batch of {@code batch} samples is cut into {@code count} contiguous
 * micro-batches: the first {@code batch mod count} get one sample more. Sender and receiver of a
 * frame derive the same row counts from it.
 */
public record MicroBatchPlan(int batch, int count) {

  public MicroBatchPlan {
    if (batch < 1 || count < 1 || count > batch) {
      throw new IllegalArgumentException("cannot cut a batch of " + batch + " samples into " + count + " micro-batches");
    }
  }

  /** Samples of micro-batch {@code m}. */
  public int rows(final int m) {
    check(m);
    return batch / count + (m < batch % count ? 1 : 0);
  }

  /** Index of micro-batch {@code m}'s first sample within the replica's batch. */
  public int start(final int m) {
    check(m);
    return m * (batch / count) + Math.min(m, batch % count);
  }

  private void check(final int m) {
    if (m < 0 || m >= count) {
      throw new IndexOutOfBoundsException("micro-batch " + m + " of " + count);
    }
  }
}
