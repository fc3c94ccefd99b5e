package io.tensorlink.chain.pol.work;

import io.tensorlink.compute.checkpoint.MerkleTree;
import io.tensorlink.compute.data.Batch;
import io.tensorlink.compute.data.Dataset;
import io.tensorlink.compute.hash.Keccak;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Per-sample hashes of a dataset and their root (the job spec's {@code datasetRoot}).
 *
 * <p>{@code sampleHash(i) = keccak256(u64be(i) ‖ f32le(inputs of i) ‖ i32le(labels of i))}; the
 * root is compute's ordered {@link MerkleTree} over the sample hashes in index order. A batch
 * commitment ({@link #batchCommitment}) names the samples of one (step, replica) by their hashes,
 * so a validator that knows the sample hashes checks stage 0's commitment against the BatchPlan
 * without touching the data, and a batch fetched for re-execution is checked sample by sample.
 */
public final class DatasetCommitment {
  private static final int CHUNK = 1024;
  private final byte[][] sampleHashes;
  private final Bytes32 root;

  private DatasetCommitment(final byte[][] sampleHashes) {
    this.sampleHashes = sampleHashes;
    this.root = Bytes32.wrap(MerkleTree.of(List.of(sampleHashes)).root());
  }

  /** Hashes every sample of {@code dataset} (reads it in chunks). */
  public static DatasetCommitment of(final Dataset dataset) {
    final byte[][] hashes = new byte[dataset.size()][];
    for (int from = 0; from < dataset.size(); from += CHUNK) {
      final int[] idx = new int[Math.min(CHUNK, dataset.size() - from)];
      for (int i = 0; i < idx.length; i++) {
        idx[i] = from + i;
      }
      final List<byte[]> chunk = sampleHashes(idx, dataset.batch(idx));
      for (int i = 0; i < idx.length; i++) {
        hashes[from + i] = chunk.get(i);
      }
    }
    return new DatasetCommitment(hashes);
  }

  public Bytes32 root() {
    return root;
  }

  public int size() {
    return sampleHashes.length;
  }

  /** The commitment a stage-0 record must carry for these BatchPlan indices. */
  public Bytes32 batchCommitment(final long step, final int replica, final int[] indices) {
    final List<byte[]> hashes = new ArrayList<>(indices.length);
    for (final int i : indices) {
      if (i < 0 || i >= sampleHashes.length) {
        throw new IndexOutOfBoundsException("sample " + i + " outside the dataset of " + sampleHashes.length);
      }
      hashes.add(sampleHashes[i]);
    }
    return commit(step, replica, hashes);
  }

  /** The same commitment computed from the batch's own data (worker side, or a fetched batch). */
  public static Bytes32 batchCommitment(final long step, final int replica, final int[] indices, final Batch batch) {
    return commit(step, replica, sampleHashes(indices, batch));
  }

  /** {@code keccak256(u64be(step) ‖ u32be(replica) ‖ sampleHash_0 ‖ …)}. */
  private static Bytes32 commit(final long step, final int replica, final List<byte[]> hashes) {
    final ByteBuffer b = ByteBuffer.allocate(12 + 32 * hashes.size()).putLong(step).putInt(replica);
    hashes.forEach(b::put);
    return Bytes32.wrap(Keccak.keccak256(b.array()));
  }

  static List<byte[]> sampleHashes(final int[] indices, final Batch batch) {
    final int n = batch.size();
    if (indices.length != n || batch.labels().length % n != 0) {
      throw new IllegalArgumentException("batch of " + n + " samples with " + batch.labels().length
          + " labels does not match " + indices.length + " indices");
    }
    final float[] x = batch.inputs().data();
    final int per = x.length / n;
    final int labelsPer = batch.labels().length / n;
    final List<byte[]> out = new ArrayList<>(n);
    for (int s = 0; s < n; s++) {
      final ByteBuffer b = ByteBuffer.allocate(8 + 4 * per + 4 * labelsPer).order(ByteOrder.LITTLE_ENDIAN);
      b.order(ByteOrder.BIG_ENDIAN).putLong(indices[s]).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(x, s * per, per);
      b.position(8 + 4 * per);
      for (int l = 0; l < labelsPer; l++) {
        b.putInt(batch.labels()[s * labelsPer + l]);
      }
      out.add(Keccak.keccak256(b.array()));
    }
    return out;
  }
}
