package io.tensorlink.compute.data;

/**
 * A finite, immutable, randomly addressable collection of labelled samples. Implementations are
 * safe to read from several threads; {@link #batch} allocates fresh tensors each call.
 */
public interface Dataset {

  /** Human-readable name, used in logs and errors. */
  String name();

  /** Number of samples. */
  int size();

  /** Shape of one sample's input, without the batch dimension. */
  int[] sampleShape();

  /** Number of distinct label values (classes, or the vocabulary size of a token dataset). */
  int classes();

  /** Gathers the samples at {@code indices} (each in {@code [0, size())}) in that order. */
  Batch batch(int[] indices);

  /** Checks an index and names the dataset when it is out of range. */
  default void checkIndex(final int index) {
    if (index < 0 || index >= size()) {
      throw new DatasetException(name() + ": sample index " + index + " outside [0, " + size() + ")");
    }
  }
}
