package io.tensorlink.compute.data;

/** The contiguous samples {@code [from, from + size)} of another dataset, renumbered from 0. */
public final class DatasetRange implements Dataset {

  private final Dataset source;
  private final int from;
  private final int size;

  public DatasetRange(final Dataset source, final int from, final int size) {
    if (from < 0 || size <= 0 || (long) from + size > source.size()) {
      throw new DatasetException(source.name() + ": range [" + from + ", " + ((long) from + size)
          + ") is not inside [0, " + source.size() + ")");
    }
    this.source = source;
    this.from = from;
    this.size = size;
  }

  @Override
  public String name() {
    return source.name() + "[" + from + ":" + (from + size) + "]";
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public int[] sampleShape() {
    return source.sampleShape();
  }

  @Override
  public int classes() {
    return source.classes();
  }

  @Override
  public Batch batch(final int[] indices) {
    final int[] shifted = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      checkIndex(indices[i]);
      shifted[i] = indices[i] + from;
    }
    return source.batch(shifted);
  }
}
