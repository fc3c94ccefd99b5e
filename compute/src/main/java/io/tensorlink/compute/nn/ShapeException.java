package io.tensorlink.compute.nn;

import java.util.Arrays;

/** A layer cannot take the shape it is given; the message names the layer and the shapes. */
public final class ShapeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ShapeException(final String layer, final String type, final int[] inputShape, final String problem) {
    super("layer '" + layer + "' (" + type + "): input shape " + Arrays.toString(inputShape) + " " + problem);
  }
}
