package io.tensorlink.compute.nn;

import io.tensorlink.compute.tensor.Tensor;
import java.util.List;

/**
 * Max pooling over square windows, no padding. Ties go to the first maximum in row-major window
 * order; backward routes each output gradient to that input element.
 */
public record MaxPool2d(String name, int kernel, int stride) implements Layer {

  public MaxPool2d {
    if (kernel < 1 || stride < 1) {
      throw new IllegalArgumentException("layer '" + name + "' (maxpool2d): kernel and stride must be >= 1");
    }
  }

  @Override
  public String type() {
    return "maxpool2d";
  }

  @Override
  public List<ParamSpec> params() {
    return List.of();
  }

  @Override
  public int[] outputShape(final int[] input) {
    if (input.length != 3) {
      throw new ShapeException(name, type(), input, "must be [channels, height, width]");
    }
    if (input[1] < kernel || input[2] < kernel) {
      throw new ShapeException(name, type(), input, "is smaller than the pooling window " + kernel);
    }
    return new int[] {input[0], (input[1] - kernel) / stride + 1, (input[2] - kernel) / stride + 1};
  }

  @Override
  public long flops(final int[] input) {
    return Layer.size(input);
  }

  @Override
  public Tensor forward(final Pass pass, final Tensor x) {
    final int h = x.dim(2);
    final int w = x.dim(3);
    final int oh = (h - kernel) / stride + 1;
    final int ow = (w - kernel) / stride + 1;
    final int planes = x.dim(0) * x.dim(1);
    final Tensor y = Tensor.zeros(x.dim(0), x.dim(1), oh, ow);
    final int[] argmax = new int[y.size()];
    final float[] xd = x.data();
    final float[] yd = y.data();
    pass.backend().parallelFor(planes, (from, to) -> {
      for (int pl = from; pl < to; pl++) {
        final int in = pl * h * w;
        for (int oy = 0; oy < oh; oy++) {
          for (int ox = 0; ox < ow; ox++) {
            int best = in + oy * stride * w + ox * stride;
            for (int ky = 0; ky < kernel; ky++) {
              final int row = in + (oy * stride + ky) * w + ox * stride;
              for (int kx = 0; kx < kernel; kx++) {
                if (xd[row + kx] > xd[best]) {
                  best = row + kx;
                }
              }
            }
            final int o = (pl * oh + oy) * ow + ox;
            yd[o] = xd[best];
            argmax[o] = best;
          }
        }
      }
    });
    pass.save(this, new Saved(x.shape(), argmax));
    return y;
  }

  @Override
  public Tensor backward(final Pass pass, final Tensor dy, final boolean needInputGrad) {
    if (!needInputGrad) {
      return null;
    }
    final Saved s = pass.saved(this, Saved.class);
    final Tensor dx = Tensor.zeros(s.inputShape);
    final float[] dxd = dx.data();
    final float[] dyd = dy.data();
    // Windows may overlap when stride < kernel: add in output order, one plane per thread.
    final int planes = s.inputShape[0] * s.inputShape[1];
    final int perPlane = dyd.length / planes;
    pass.backend().parallelFor(planes, (from, to) -> {
      for (int o = from * perPlane; o < to * perPlane; o++) {
        dxd[s.argmax[o]] += dyd[o];
      }
    });
    return dx;
  }

  private record Saved(int[] inputShape, int[] argmax) {}
}
