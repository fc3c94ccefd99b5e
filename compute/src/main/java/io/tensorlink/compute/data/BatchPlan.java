package io.tensorlink.compute.data;

/**
 * Which dataset samples each (epoch, step, replica) trains on.
 *
 * <p>An epoch's order is {@link IndexPermutation} keyed by (seed, epoch); step {@code s} of an
 * epoch takes positions {@code [s·G, (s+1)·G)} of that order, where {@code G = batch·replicas}
 * is the global batch, and replica {@code r} takes the {@code r}-th contiguous slice of
 * {@code batch} positions. The trailing {@code size mod G} positions of an epoch are dropped so
 * every step has a full batch. Without shuffling the order is the identity. Everything is a pure
 * function of the plan and (epoch, step, replica): no generator state is shared or advanced, which
 * is what lets a validator recompute one worker's batch for any step.
 *
 * @param datasetSize number of samples in the dataset
 * @param batch samples per replica per step
 * @param replicas data-parallel replicas sharing one global batch
 * @param seed the job seed
 * @param shuffle false for the identity order ({@code --no-shuffle})
 */
public record BatchPlan(long datasetSize, int batch, int replicas, long seed, boolean shuffle) {

  /** Separates the permutation keys from every other use of the job seed. */
  private static final long PURPOSE_SHUFFLE = 0x5348_5546_464C_4531L;

  public BatchPlan {
    if (batch <= 0 || replicas <= 0) {
      throw new IllegalArgumentException(
          "batch and replicas must be positive, got batch=" + batch + " replicas=" + replicas);
    }
    if (datasetSize < (long) batch * replicas) {
      throw new IllegalArgumentException(
          "dataset of " + datasetSize + " samples is smaller than one global batch of "
              + (long) batch * replicas);
    }
  }

  public static BatchPlan single(final long datasetSize, final int batch, final long seed) {
    return new BatchPlan(datasetSize, batch, 1, seed, true);
  }

  public int globalBatch() {
    return batch * replicas;
  }

  public long stepsPerEpoch() {
    return datasetSize / globalBatch();
  }

  /** Indices for replica {@code replica} at step {@code step} (counted within {@code epoch}). */
  public int[] indices(final long epoch, final long step, final int replica) {
    if (step < 0 || step >= stepsPerEpoch()) {
      throw new IndexOutOfBoundsException(
          "step " + step + " outside [0, " + stepsPerEpoch() + ") steps per epoch");
    }
    if (replica < 0 || replica >= replicas) {
      throw new IndexOutOfBoundsException("replica " + replica + " outside [0, " + replicas + ")");
    }
    if (epoch < 0) {
      throw new IndexOutOfBoundsException("epoch " + epoch + " is negative");
    }
    final IndexPermutation order =
        shuffle ? new IndexPermutation(datasetSize, Mix.hash(seed, PURPOSE_SHUFFLE, epoch)) : null;
    final long first = step * globalBatch() + (long) replica * batch;
    final int[] out = new int[batch];
    for (int i = 0; i < batch; i++) {
      out[i] = (int) (order == null ? first + i : order.apply(first + i));
    }
    return out;
  }

  /** Indices for a global step counted from the start of training, across epochs. */
  public int[] indicesAtGlobalStep(final long globalStep, final int replica) {
    return indices(globalStep / stepsPerEpoch(), globalStep % stepsPerEpoch(), replica);
  }
}
