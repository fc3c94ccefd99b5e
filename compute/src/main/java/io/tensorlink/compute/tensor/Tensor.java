package io.tensorlink.compute.tensor;

import java.util.Arrays;

/**
 * A float32 tensor: a fixed shape over a row-major {@code float[]}.
 *
 * <p>The shape is immutable; the element array is shared, not copied, so a tensor is a view that
 * layers and optimizers fill in place. {@link #copy()} gives an independent tensor. Equality is
 * bitwise ({@link Float#floatToRawIntBits}), which is what the determinism contract compares.
 *
 * <p>Not thread-safe for writes: the owner of the array decides who writes it when.
 */
public final class Tensor {
  private final int[] shape;
  private final float[] data;

  private Tensor(final int[] shape, final float[] data) {
    this.shape = shape;
    this.data = data;
  }

  /** A tensor of zeros. */
  public static Tensor zeros(final int... shape) {
    final int[] s = shape.clone();
    return new Tensor(s, new float[checkedSize(s)]);
  }

  /** Wraps {@code data} (not copied); its length must equal the product of {@code shape}. */
  public static Tensor of(final float[] data, final int... shape) {
    final int[] s = shape.clone();
    final int size = checkedSize(s);
    if (data.length != size) {
      throw new IllegalArgumentException(
          "data length " + data.length + " does not match shape " + Arrays.toString(s) + " (" + size + " elements)");
    }
    return new Tensor(s, data);
  }

  /** Product of the dimensions; rejects negative dimensions and int overflow. */
  public static int checkedSize(final int[] shape) {
    long size = 1;
    for (final int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      size *= d;
      if (size > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2^31 elements");
      }
    }
    return (int) size;
  }

  /** A copy of the shape. */
  public int[] shape() {
    return shape.clone();
  }

  /** The backing array (shared, row-major). */
  public float[] data() {
    return data;
  }

  public int rank() {
    return shape.length;
  }

  public int dim(final int axis) {
    return shape[axis < 0 ? shape.length + axis : axis];
  }

  public int size() {
    return data.length;
  }

  /** Same data, new shape with the same element count. */
  public Tensor reshape(final int... newShape) {
    return of(data, newShape);
  }

  /** An independent copy. */
  public Tensor copy() {
    return new Tensor(shape, data.clone());
  }

  /** Copies {@code src}'s elements into this tensor (shapes must hold the same count). */
  public void copyFrom(final Tensor src) {
    if (src.data.length != data.length) {
      throw new IllegalArgumentException(
          "cannot copy shape " + Arrays.toString(src.shape) + " into " + Arrays.toString(shape));
    }
    System.arraycopy(src.data, 0, data, 0, data.length);
  }

  public boolean sameShape(final Tensor other) {
    return Arrays.equals(shape, other.shape);
  }

  /** Bitwise equality of shape and elements. */
  @Override
  public boolean equals(final Object o) {
    if (!(o instanceof Tensor t) || !Arrays.equals(shape, t.shape)) {
      return false;
    }
    for (int i = 0; i < data.length; i++) {
      if (Float.floatToRawIntBits(data[i]) != Float.floatToRawIntBits(t.data[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = Arrays.hashCode(shape);
    for (final float v : data) {
      h = 31 * h + Float.floatToRawIntBits(v);
    }
    return h;
  }

  @Override
  public String toString() {
    return "Tensor" + Arrays.toString(shape);
  }
}
