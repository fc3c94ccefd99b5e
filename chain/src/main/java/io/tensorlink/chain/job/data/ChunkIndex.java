package io.tensorlink.chain.job.data;

import io.tensorlink.chain.pol.wire.WireException;
import io.tensorlink.compute.data.BatchPlan;
import io.tensorlink.compute.data.Dataset;
import io.tensorlink.compute.hash.Keccak;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.apache.tuweni.rlp.RLP;
import org.apache.tuweni.rlp.RLPException;

/**
 * The content index of a job's dataset, committed in the job announcement: the dataset is cut into
 * chunks of {@code samplesPerChunk} consecutive samples (the last may be shorter) and each chunk is
 * named by its hash ({@link Chunk#hash}). A worker fetches only the chunks its BatchPlan touches and
 * checks each against this list; the sample layout lets it rebuild a {@link Dataset} from them.
 *
 * @param sampleShape one sample's input shape (without the batch dimension)
 * @param labelsPerSample labels per sample (1 for classification; the context length for a token set)
 */
public record ChunkIndex(long datasetSize, int samplesPerChunk, List<Integer> sampleShape, int classes,
    int labelsPerSample, List<Bytes32> hashes) {
  /** Bounds the index so an announcement stays far under gossip's 1 MiB message limit. */
  public static final int MAX_CHUNKS = 16_384;
  public static final int MAX_ENCODED = 64 + 9 * 8 + 33 * MAX_CHUNKS;

  public ChunkIndex {
    sampleShape = List.copyOf(sampleShape);
    hashes = List.copyOf(hashes);
    if (datasetSize <= 0 || datasetSize > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("datasetSize must be in [1, 2^31), got " + datasetSize);
    }
    if (samplesPerChunk <= 0) {
      throw new IllegalArgumentException("samplesPerChunk must be positive, got " + samplesPerChunk);
    }
    final long chunks = (datasetSize + samplesPerChunk - 1) / samplesPerChunk;
    if (chunks > MAX_CHUNKS) {
      throw new IllegalArgumentException(chunks + " chunks exceed " + MAX_CHUNKS + ": use larger chunks");
    }
    if (hashes.size() != chunks) {
      throw new IllegalArgumentException("a dataset of " + datasetSize + " samples in chunks of " + samplesPerChunk
          + " has " + chunks + " chunks, the index lists " + hashes.size());
    }
    if (sampleShape.isEmpty() || sampleShape.stream().anyMatch(d -> d <= 0)) {
      throw new IllegalArgumentException("sampleShape must be non-empty with positive dimensions, got " + sampleShape);
    }
    if (classes <= 0 || labelsPerSample <= 0) {
      throw new IllegalArgumentException("classes and labelsPerSample must be positive, got " + classes + " and "
          + labelsPerSample);
    }
  }

  /** Cuts {@code dataset} into chunks and hashes each (reads every sample once). */
  public static ChunkIndex of(final Dataset dataset, final int samplesPerChunk) {
    final int chunks = (dataset.size() + samplesPerChunk - 1) / samplesPerChunk;
    final List<Bytes32> hashes = new ArrayList<>(chunks);
    int labels = 1;
    for (int c = 0; c < chunks; c++) {
      final Chunk chunk = Chunk.read(dataset, samplesPerChunk, c);
      labels = chunk.labelsPerSample();
      hashes.add(chunk.hash());
    }
    final List<Integer> shape = java.util.Arrays.stream(dataset.sampleShape()).boxed().toList();
    return new ChunkIndex(dataset.size(), samplesPerChunk, shape, dataset.classes(), labels, hashes);
  }

  public int chunkCount() {
    return hashes.size();
  }

  public int chunkOf(final int sample) {
    if (sample < 0 || sample >= datasetSize) {
      throw new IndexOutOfBoundsException("sample " + sample + " outside the dataset of " + datasetSize);
    }
    return sample / samplesPerChunk;
  }

  public int firstSample(final int chunk) {
    return chunk * samplesPerChunk;
  }

  public int sampleCount(final int chunk) {
    return (int) Math.min(samplesPerChunk, datasetSize - (long) chunk * samplesPerChunk);
  }

  public int floatsPerSample() {
    return sampleShape.stream().reduce(1, Math::multiplyExact);
  }

  /** Bytes of chunk {@code c}'s payload as {@link Chunk} encodes it. */
  public long payloadBytes(final int chunk) {
    return 4L * sampleCount(chunk) * (floatsPerSample() + labelsPerSample);
  }

  /** The chunks holding the samples {@code replica} reads in global steps [fromStep, toStep). */
  public SortedSet<Integer> chunksFor(final BatchPlan plan, final int replica, final long fromStep, final long toStep) {
    if (plan.datasetSize() != datasetSize) {
      throw new IllegalArgumentException("the BatchPlan is over " + plan.datasetSize() + " samples, the index over "
          + datasetSize);
    }
    final SortedSet<Integer> out = new TreeSet<>();
    for (long step = fromStep; step < toStep && out.size() < hashes.size(); step++) {
      for (final int i : plan.indicesAtGlobalStep(step, replica)) {
        out.add(chunkOf(i));
      }
    }
    return out;
  }

  /** RLP {@code [size, samplesPerChunk, [dim…], classes, labelsPerSample, [hash…]]}. */
  public Bytes encode() {
    return RLP.encodeList(w -> {
      w.writeLong(datasetSize);
      w.writeInt(samplesPerChunk);
      w.writeList(l -> sampleShape.forEach(l::writeInt));
      w.writeInt(classes);
      w.writeInt(labelsPerSample);
      w.writeList(l -> hashes.forEach(l::writeValue));
    });
  }

  public static ChunkIndex decode(final Bytes wire) {
    if (wire.size() > MAX_ENCODED) {
      throw new WireException("chunk index of " + wire.size() + " bytes exceeds " + MAX_ENCODED);
    }
    try {
      return RLP.decodeList(wire, r -> {
        final long size = r.readLong();
        final int per = r.readInt();
        final List<Integer> shape = r.readListContents(x -> x.readInt());
        final int classes = r.readInt();
        final int labels = r.readInt();
        final List<Bytes32> hashes = r.readListContents(x -> {
          final Bytes h = x.readValue();
          if (h.size() != 32) {
            throw new WireException("a chunk hash has " + h.size() + " bytes, not 32");
          }
          return Bytes32.wrap(h);
        });
        if (!r.isComplete()) {
          throw new WireException("chunk index has trailing fields");
        }
        return new ChunkIndex(size, per, shape, classes, labels, hashes);
      });
    } catch (RLPException | IllegalArgumentException e) {
      throw new WireException("malformed chunk index: " + e.getMessage(), e);
    }
  }

  /** keccak256 of {@link #encode()}: what the announcement's signature covers. */
  public Bytes32 hash() {
    return Bytes32.wrap(Keccak.keccak256(encode().toArrayUnsafe()));
  }
}
