package io.tensorlink.compute.nn;

import io.tensorlink.compute.tensor.Tensor;
import java.util.List;

/**
 * Layer normalisation over the last dimension with affine weight and bias.
 *
 * <pre>
 *   x [R, C]   mean, rstd [R]   n = (x - mean)·rstd   y = n·w + b
 *   dx = rstd · (dn - mean(dn) - n·mean(dn·n)),  dn = dy·w
 *   dw = Σ_r dy·n,  db = Σ_r dy   (rows in increasing order)
 * </pre>
 * Row statistics accumulate in double, sequentially, so they are exact to the same bits on every
 * thread split.
 */
public record LayerNorm(String name, int dim, float eps) implements Layer {

  public LayerNorm {
    if (dim < 1 || !(eps > 0f)) {
      throw new IllegalArgumentException("layer '" + name + "' (layernorm): dim must be >= 1 and eps > 0");
    }
  }

  @Override
  public String type() {
    return "layernorm";
  }

  @Override
  public List<ParamSpec> params() {
    return List.of(
        new ParamSpec(name + ".weight", new int[] {dim}, new Init.Constant(1f)),
        new ParamSpec(name + ".bias", new int[] {dim}, new Init.Zeros()));
  }

  @Override
  public int[] outputShape(final int[] input) {
    if (input.length == 0 || input[input.length - 1] != dim) {
      throw new ShapeException(name, type(), input, "must end in " + dim + " features");
    }
    return input.clone();
  }

  @Override
  public long flops(final int[] input) {
    return 5L * Layer.size(input);
  }

  @Override
  public Tensor forward(final Pass pass, final Tensor x) {
    final int rows = x.size() / dim;
    final float[] xd = x.data();
    final Tensor y = Tensor.zeros(x.shape());
    final float[] yd = y.data();
    final float[] mean = new float[rows];
    final float[] rstd = new float[rows];
    final float[] w = pass.param(name + ".weight").data();
    final float[] b = pass.param(name + ".bias").data();
    pass.backend().parallelFor(rows, (from, to) -> {
      for (int r = from; r < to; r++) {
        final int off = r * dim;
        double s = 0;
        for (int i = 0; i < dim; i++) {
          s += xd[off + i];
        }
        final float m = (float) (s / dim);
        double v = 0;
        for (int i = 0; i < dim; i++) {
          final float d = xd[off + i] - m;
          v += d * d;
        }
        final float rs = (float) (1.0 / Math.sqrt(v / dim + eps));
        mean[r] = m;
        rstd[r] = rs;
        for (int i = 0; i < dim; i++) {
          yd[off + i] = (xd[off + i] - m) * rs * w[i] + b[i];
        }
      }
    });
    pass.save(this, new Saved(x, mean, rstd));
    return y;
  }

  @Override
  public Tensor backward(final Pass pass, final Tensor dy, final boolean needInputGrad) {
    final Saved s = pass.saved(this, Saved.class);
    final float[] xd = s.x.data();
    final float[] dyd = dy.data();
    final int rows = xd.length / dim;
    final float[] w = pass.param(name + ".weight").data();
    final float[] dw = pass.grad(name + ".weight").data();
    final float[] db = pass.grad(name + ".bias").data();
    // Threads split the features; each feature still sums its rows in increasing order.
    pass.backend().parallelFor(dim, (from, to) -> {
      java.util.Arrays.fill(dw, from, to, 0f);
      java.util.Arrays.fill(db, from, to, 0f);
      for (int r = 0; r < rows; r++) {
        final int off = r * dim;
        for (int i = from; i < to; i++) {
          final float n = (xd[off + i] - s.mean[r]) * s.rstd[r];
          dw[i] += dyd[off + i] * n;
          db[i] += dyd[off + i];
        }
      }
    });
    if (!needInputGrad) {
      return null;
    }
    final Tensor dx = Tensor.zeros(s.x.shape());
    final float[] dxd = dx.data();
    pass.backend().parallelFor(rows, (from, to) -> {
      for (int r = from; r < to; r++) {
        final int off = r * dim;
        double meanDn = 0;
        double meanDnN = 0;
        for (int i = 0; i < dim; i++) {
          final float n = (xd[off + i] - s.mean[r]) * s.rstd[r];
          final float dn = dyd[off + i] * w[i];
          meanDn += dn;
          meanDnN += dn * n;
        }
        final float a = (float) (meanDn / dim);
        final float c = (float) (meanDnN / dim);
        for (int i = 0; i < dim; i++) {
          final float n = (xd[off + i] - s.mean[r]) * s.rstd[r];
          dxd[off + i] = (dyd[off + i] * w[i] - a - n * c) * s.rstd[r];
        }
      }
    });
    return dx;
  }

  private record Saved(Tensor x, float[] mean, float[] rstd) {}
}
