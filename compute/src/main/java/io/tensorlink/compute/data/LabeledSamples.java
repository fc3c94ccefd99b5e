package io.tensorlink.compute.data;

import io.tensorlink.compute.tensor.Tensor;

/**
 * In-memory samples with one class label each. This class owns validation and batch assembly;
 * subclasses only say how one sample's values are stored ({@link #copySample}).
 */
abstract class LabeledSamples implements Dataset {

  private final String name;
  private final byte[] labels;
  private final int[] sampleShape;
  private final int classes;
  protected final int sampleSize;

  LabeledSamples(final String name, final byte[] labels, final int[] sampleShape, final int classes) {
    this.name = name;
    this.labels = labels;
    this.sampleShape = sampleShape.clone();
    this.sampleSize = Tensor.checkedSize(sampleShape);
    this.classes = classes;
    for (int i = 0; i < labels.length; i++) {
      if ((labels[i] & 0xff) >= classes) {
        throw new DatasetException(name + ": label " + (labels[i] & 0xff) + " of sample " + i
            + " is not below the class count " + classes);
      }
    }
  }

  /** Writes sample {@code index}'s {@link #sampleSize} values into {@code dst} at {@code offset}. */
  protected abstract void copySample(int index, float[] dst, int offset);

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final int size() {
    return labels.length;
  }

  @Override
  public final int[] sampleShape() {
    return sampleShape.clone();
  }

  @Override
  public final int classes() {
    return classes;
  }

  @Override
  public final Batch batch(final int[] indices) {
    final int[] shape = new int[sampleShape.length + 1];
    shape[0] = indices.length;
    System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
    final float[] x = new float[indices.length * sampleSize];
    final int[] y = new int[indices.length];
    for (int b = 0; b < indices.length; b++) {
      checkIndex(indices[b]);
      copySample(indices[b], x, b * sampleSize);
      y[b] = labels[indices[b]] & 0xff;
    }
    return new Batch(Tensor.of(x, shape), y);
  }

  /** Values stored as unsigned bytes and mapped through a 256-entry table (scaling, normalization). */
  static final class Bytes extends LabeledSamples {
    private final byte[] pixels;
    private final float[] table;

    Bytes(final String name, final byte[] pixels, final byte[] labels, final int[] sampleShape, final int classes,
        final float[] table) {
      super(name, labels, sampleShape, classes);
      if ((long) labels.length * sampleSize != pixels.length) {
        throw new DatasetException(name + ": " + labels.length + " labels for "
            + pixels.length + " values of " + sampleSize + " per sample");
      }
      if (table.length != 256) {
        throw new IllegalArgumentException("byte lookup table needs 256 entries, got " + table.length);
      }
      this.pixels = pixels;
      this.table = table.clone();
    }

    @Override
    protected void copySample(final int index, final float[] dst, final int offset) {
      final int src = index * sampleSize;
      for (int j = 0; j < sampleSize; j++) {
        dst[offset + j] = table[pixels[src + j] & 0xff];
      }
    }
  }

  /** Values stored as floats (generated data). */
  static final class Floats extends LabeledSamples {
    private final float[] values;

    Floats(final String name, final float[] values, final byte[] labels, final int[] sampleShape, final int classes) {
      super(name, labels, sampleShape, classes);
      if ((long) labels.length * sampleSize != values.length) {
        throw new DatasetException(name + ": " + labels.length + " labels for "
            + values.length + " values of " + sampleSize + " per sample");
      }
      this.values = values;
    }

    @Override
    protected void copySample(final int index, final float[] dst, final int offset) {
      System.arraycopy(values, index * sampleSize, dst, offset, sampleSize);
    }
  }
}
