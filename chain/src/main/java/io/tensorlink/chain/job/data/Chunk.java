package io.tensorlink.chain.job.data;

import io.tensorlink.compute.data.Batch;
import io.tensorlink.compute.data.Dataset;
import io.tensorlink.compute.hash.Keccak;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.tuweni.bytes.Bytes32;

/**
 * One content-addressed piece of a dataset: samples {@code [index·k, index·k + n)}.
 *
 * <p>Payload: the n samples' inputs as little-endian f32 (sample-major), then their labels as
 * little-endian i32. {@code hash = keccak256(u64be(index) ‖ payload)}: the index is hashed in so a
 * chunk's bytes can only ever stand at its own position.
 */
public final class Chunk {
  private final int index;
  private final byte[] payload;
  private final int labelsPerSample;

  private Chunk(final int index, final byte[] payload, final int labelsPerSample) {
    this.index = index;
    this.payload = payload;
    this.labelsPerSample = labelsPerSample;
  }

  /** Reads chunk {@code index} of {@code dataset} cut in chunks of {@code samplesPerChunk}. */
  public static Chunk read(final Dataset dataset, final int samplesPerChunk, final int index) {
    final long from = (long) index * samplesPerChunk;
    if (index < 0 || from >= dataset.size()) {
      throw new IndexOutOfBoundsException("chunk " + index + " is outside " + dataset.name() + " of " + dataset.size()
          + " samples in chunks of " + samplesPerChunk);
    }
    final int[] idx = new int[(int) Math.min(samplesPerChunk, dataset.size() - from)];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = (int) from + i;
    }
    final Batch batch = dataset.batch(idx);
    final float[] x = batch.inputs().data();
    final int[] labels = batch.labels();
    final ByteBuffer b = ByteBuffer.allocate(4 * (x.length + labels.length)).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(x);
    b.position(4 * x.length);
    b.asIntBuffer().put(labels);
    return new Chunk(index, b.array(), labels.length / idx.length);
  }

  /** A chunk as received: the caller checks {@link #hash()} against the index before using it. */
  public static Chunk received(final int index, final byte[] payload, final ChunkIndex layout) {
    if (payload.length != layout.payloadBytes(index)) {
      throw new IllegalArgumentException("chunk " + index + " has " + payload.length + " bytes, the index's layout says "
          + layout.payloadBytes(index));
    }
    return new Chunk(index, payload.clone(), layout.labelsPerSample());
  }

  public int index() {
    return index;
  }

  /** A copy of the wire bytes. */
  public byte[] payload() {
    return payload.clone();
  }

  int labelsPerSample() {
    return labelsPerSample;
  }

  public Bytes32 hash() {
    final byte[] packed = ByteBuffer.allocate(8 + payload.length).putLong(index).put(payload).array();
    return Bytes32.wrap(Keccak.keccak256(packed));
  }

  /** Inputs (sample-major) and labels of the chunk's samples. */
  record Samples(float[] inputs, int[] labels) {}

  Samples samples(final int floatsPerSample) {
    final int n = payload.length / (4 * (floatsPerSample + labelsPerSample));
    final ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
    final float[] x = new float[n * floatsPerSample];
    b.asFloatBuffer().get(x);
    b.position(4 * x.length);
    final int[] labels = new int[n * labelsPerSample];
    b.asIntBuffer().get(labels);
    return new Samples(x, labels);
  }
}
