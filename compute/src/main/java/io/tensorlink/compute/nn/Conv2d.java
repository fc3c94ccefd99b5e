package io.tensorlink.compute.nn;

import io.tensorlink.compute.backend.Conv2dShape;
import io.tensorlink.compute.tensor.Tensor;
import java.util.List;

/**
 * 2-D convolution, square kernel, NCHW activations, weight {@code [O, C, K, K]} and bias
 * {@code [O]} (PyTorch layout). The arithmetic is the backend's conv2d (im2col + GEMM on CPU).
 */
public record Conv2d(String name, int inChannels, int outChannels, int kernel, int stride, int padding)
    implements Layer {

  public Conv2d {
    if (inChannels < 1 || outChannels < 1 || kernel < 1 || stride < 1 || padding < 0) {
      throw new IllegalArgumentException("layer '" + name + "' (conv2d): invalid channels/kernel/stride/padding "
          + inChannels + "/" + outChannels + "/" + kernel + "/" + stride + "/" + padding);
    }
  }

  @Override
  public String type() {
    return "conv2d";
  }

  @Override
  public List<ParamSpec> params() {
    final Init init = new Init.Uniform((float) (1.0 / Math.sqrt(inChannels * kernel * kernel)));
    return List.of(
        new ParamSpec(name + ".weight", new int[] {outChannels, inChannels, kernel, kernel}, init),
        new ParamSpec(name + ".bias", new int[] {outChannels}, init));
  }

  @Override
  public int[] outputShape(final int[] input) {
    if (input.length != 3) {
      throw new ShapeException(name, type(), input, "must be [channels, height, width]");
    }
    if (input[0] != inChannels) {
      throw new ShapeException(name, type(), input, "has " + input[0] + " channels, expected " + inChannels);
    }
    if (input[1] + 2 * padding < kernel || input[2] + 2 * padding < kernel) {
      throw new ShapeException(name, type(), input, "is smaller than kernel " + kernel + " with padding " + padding);
    }
    final Conv2dShape s = geometry(1, input);
    return new int[] {outChannels, s.outHeight(), s.outWidth()};
  }

  @Override
  public long flops(final int[] input) {
    final Conv2dShape s = geometry(1, input);
    return (long) s.positions() * s.patch() * outChannels;
  }

  private Conv2dShape geometry(final int batch, final int[] chw) {
    return new Conv2dShape(batch, inChannels, chw[1], chw[chw.length - 1],
        outChannels, kernel, stride, padding);
  }

  @Override
  public Tensor forward(final Pass pass, final Tensor x) {
    final Conv2dShape s = new Conv2dShape(x.dim(0), inChannels, x.dim(2), x.dim(3), outChannels, kernel, stride, padding);
    final Tensor y = Tensor.zeros(x.dim(0), outChannels, s.outHeight(), s.outWidth());
    pass.backend().conv2dForward(s, x.data(), pass.param(name + ".weight").data(), pass.param(name + ".bias").data(),
        y.data());
    pass.save(this, x);
    return y;
  }

  @Override
  public Tensor backward(final Pass pass, final Tensor dy, final boolean needInputGrad) {
    final Tensor x = pass.saved(this, Tensor.class);
    final Conv2dShape s = new Conv2dShape(x.dim(0), inChannels, x.dim(2), x.dim(3), outChannels, kernel, stride, padding);
    final Tensor dx = needInputGrad ? Tensor.zeros(x.shape()) : null;
    pass.backend().conv2dBackward(s, x.data(), pass.param(name + ".weight").data(), dy.data(),
        dx == null ? null : dx.data(), pass.grad(name + ".weight").data(), pass.grad(name + ".bias").data());
    return dx;
  }
}
