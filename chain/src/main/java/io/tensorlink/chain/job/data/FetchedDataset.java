package io.tensorlink.chain.job.data;

import io.tensorlink.compute.data.Batch;
import io.tensorlink.compute.data.Dataset;
import io.tensorlink.compute.data.DatasetException;
import io.tensorlink.compute.tensor.Tensor;
import java.util.Map;
import java.util.TreeMap;

/**
 * A worker's view of a job's dataset: full size and layout (from the {@link ChunkIndex}), but only
 * the chunks it fetched (each already checked against the index). Reading a sample of a chunk it
 * did not fetch fails with the chunk's number, never with made-up data.
 */
public final class FetchedDataset implements Dataset {
  private final String name;
  private final ChunkIndex index;
  private final Map<Integer, Chunk.Samples> chunks = new TreeMap<>();

  FetchedDataset(final String name, final ChunkIndex index, final Map<Integer, Chunk> fetched) {
    this.name = name;
    this.index = index;
    fetched.forEach((c, chunk) -> chunks.put(c, chunk.samples(index.floatsPerSample())));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int size() {
    return (int) index.datasetSize();
  }

  @Override
  public int[] sampleShape() {
    return index.sampleShape().stream().mapToInt(Integer::intValue).toArray();
  }

  @Override
  public int classes() {
    return index.classes();
  }

  /** Chunks held. */
  public java.util.Set<Integer> chunks() {
    return java.util.Set.copyOf(chunks.keySet());
  }

  @Override
  public Batch batch(final int[] indices) {
    final int per = index.floatsPerSample();
    final int labelsPer = index.labelsPerSample();
    final float[] x = new float[indices.length * per];
    final int[] labels = new int[indices.length * labelsPer];
    for (int s = 0; s < indices.length; s++) {
      checkIndex(indices[s]);
      final int c = index.chunkOf(indices[s]);
      final Chunk.Samples chunk = chunks.get(c);
      if (chunk == null) {
        throw new DatasetException(name + ": sample " + indices[s] + " is in chunk " + c + ", which was not fetched");
      }
      final int within = indices[s] - index.firstSample(c);
      System.arraycopy(chunk.inputs(), within * per, x, s * per, per);
      System.arraycopy(chunk.labels(), within * labelsPer, labels, s * labelsPer, labelsPer);
    }
    final int[] shape = new int[1 + index.sampleShape().size()];
    shape[0] = indices.length;
    for (int d = 0; d < index.sampleShape().size(); d++) {
      shape[d + 1] = index.sampleShape().get(d);
    }
    return new Batch(Tensor.of(x, shape), labels);
  }
}
