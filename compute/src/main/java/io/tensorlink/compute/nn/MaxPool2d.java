package io.tensorlink.compute.nn;

import io.tensorlink.compute.tensor.Tensor;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

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
    if (kernel == 2 && stride == 2) {
      pass.backend().parallelFor(planes, (from, to) -> pool2x2(xd, yd, argmax, from, to, h, w, oh, ow));
      pass.save(this, new Saved(x.shape(), argmax));
      return y;
    }
    pass.backend().parallelFor(planes, (from, to) -> {
      for (int pl = from; pl < to; pl++) {
        final int in = pl * h * w;
        for (int oy = 0; oy < oh; oy++) {
          for (int ox = 0; ox < ow; ox++) {
            int best = in + oy * stride * w + ox * stride;
            float max = xd[best];
            // Selects instead of branches: random data mispredicts a branch half the time.
            for (int ky = 0; ky < kernel; ky++) {
              final int row = in + (oy * stride + ky) * w + ox * stride;
              for (int kx = 0; kx < kernel; kx++) {
                final float v = xd[row + kx];
                final boolean greater = v > max;
                best = greater ? row + kx : best;
                max = greater ? v : max;
              }
            }
            final int o = (pl * oh + oy) * ow + ox;
            yd[o] = max;
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

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
  /** Picks even (or odd) lanes of two consecutive vectors: the left (right) column of each window. */
  private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(F, l -> 2 * l < F.length() ? 2 * l : 2 * l - 2 * F.length());
  private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(F, l -> 2 * l + 1 < F.length() ? 2 * l + 1 : 2 * l + 1 - 2 * F.length());

  /**
   * The common 2×2 / stride 2 window with vectors across output columns: per lane the same
   * strict comparisons in the same order as the general loop, as blends instead of branches
   * (random data mispredicts a branch about half the time).
   */
  private static void pool2x2(final float[] xd, final float[] yd, final int[] argmax, final int from, final int to,
      final int h, final int w, final int oh, final int ow) {
    final IntVector twice = IntVector.zero(I).addIndex(2);
    for (int pl = from; pl < to; pl++) {
      for (int oy = 0; oy < oh; oy++) {
        final int r0 = pl * h * w + 2 * oy * w;
        final int r1 = r0 + w;
        final int o0 = (pl * oh + oy) * ow;
        for (int ox = 0; ox < ow; ox += F.length()) {
          // The last chunk of a row is masked: lanes past ow are neither read nor stored.
          final int live = Math.min(F.length(), ow - ox);
          final VectorMask<Float> lo = F.indexInRange(0, 2 * live);
          final VectorMask<Float> hi = F.indexInRange(F.length(), 2 * live);
          final int i = r0 + 2 * ox;
          final int j = r1 + 2 * ox;
          final FloatVector t0 = FloatVector.fromArray(F, xd, i, lo);
          final FloatVector t1 = FloatVector.fromArray(F, xd, i + F.length(), hi);
          final FloatVector u0 = FloatVector.fromArray(F, xd, j, lo);
          final FloatVector u1 = FloatVector.fromArray(F, xd, j + F.length(), hi);
          IntVector best = twice.add(i);
          FloatVector max = t0.rearrange(EVEN, t1);
          final FloatVector b = t0.rearrange(ODD, t1);
          VectorMask<Float> gt = b.compare(VectorOperators.GT, max);
          best = best.blend(twice.add(i + 1), gt.cast(I));
          max = max.blend(b, gt);
          final FloatVector c = u0.rearrange(EVEN, u1);
          gt = c.compare(VectorOperators.GT, max);
          best = best.blend(twice.add(j), gt.cast(I));
          max = max.blend(c, gt);
          final FloatVector d = u0.rearrange(ODD, u1);
          gt = d.compare(VectorOperators.GT, max);
          best = best.blend(twice.add(j + 1), gt.cast(I));
          max = max.blend(d, gt);
          final VectorMask<Float> out = F.indexInRange(0, live);
          max.intoArray(yd, o0 + ox, out);
          best.intoArray(argmax, o0 + ox, out.cast(I));
        }
      }
    }
  }

  private record Saved(int[] inputShape, int[] argmax) {}
}
