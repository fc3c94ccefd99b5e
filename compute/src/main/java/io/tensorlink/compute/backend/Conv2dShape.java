package io.tensorlink.compute.backend;

/**
 * Geometry of a batched 2-D convolution, NCHW activations and OIHW weights (PyTorch layout).
 *
 * @param batch N
 * @param inChannels C
 * @param height H (input)
 * @param width W (input)
 * @param outChannels O
 * @param kernel square kernel size K
 * @param stride stride in both directions
 * @param padding zero padding on every side
 */
public record Conv2dShape(
    int batch, int inChannels, int height, int width, int outChannels, int kernel, int stride, int padding) {

  public Conv2dShape {
    if (batch < 1 || inChannels < 1 || height < 1 || width < 1 || outChannels < 1 || kernel < 1 || stride < 1
        || padding < 0) {
      throw new IllegalArgumentException("invalid convolution geometry " + this);
    }
    if (height + 2 * padding < kernel || width + 2 * padding < kernel) {
      throw new IllegalArgumentException(
          "kernel " + kernel + " larger than padded input " + height + "x" + width + " (padding " + padding + ")");
    }
  }

  public int outHeight() {
    return (height + 2 * padding - kernel) / stride + 1;
  }

  public int outWidth() {
    return (width + 2 * padding - kernel) / stride + 1;
  }

  /** Output positions per image (OH*OW). */
  public int positions() {
    return outHeight() * outWidth();
  }

  /** Elements of one im2col row (C*K*K). */
  public int patch() {
    return inChannels * kernel * kernel;
  }

  public int inputSize() {
    return batch * inChannels * height * width;
  }

  public int outputSize() {
    return batch * outChannels * positions();
  }

  public int weightSize() {
    return outChannels * patch();
  }
}
