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
  /** Rows whose statistics are computed side by side. */
  private static final int ROWS = 4;

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
      for (int r = from; r < to; r += ROWS) {
        stats(xd, r, to, mean, rstd);
        for (int q = r; q < Math.min(to, r + ROWS); q++) {
          final int off = q * dim;
          final float m = mean[q];
          final float rs = rstd[q];
          for (int i = 0; i < dim; i++) {
            yd[off + i] = (xd[off + i] - m) * rs * w[i] + b[i];
          }
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
      final float[] a = new float[ROWS];
      final float[] c = new float[ROWS];
      for (int r = from; r < to; r += ROWS) {
        gradientMeans(xd, dyd, w, s, r, to, a, c);
        for (int q = r; q < Math.min(to, r + ROWS); q++) {
          final int off = q * dim;
          for (int i = 0; i < dim; i++) {
            final float n = (xd[off + i] - s.mean[q]) * s.rstd[q];
            dxd[off + i] = (dyd[off + i] * w[i] - a[q - r] - n * c[q - r]) * s.rstd[q];
          }
        }
      }
    });
    return dx;
  }

  /**
   * Mean and rstd of rows [r, r + ROWS) ∩ [r, to). Each row's sums are its own sequential double
   * chains; four rows run side by side so the chains' add latency overlaps (rows past {@code to}
   * repeat the last row and are not stored).
   */
  private void stats(final float[] xd, final int r, final int to, final float[] mean, final float[] rstd) {
    final int o0 = r * dim;
    final int o1 = Math.min(r + 1, to - 1) * dim;
    final int o2 = Math.min(r + 2, to - 1) * dim;
    final int o3 = Math.min(r + 3, to - 1) * dim;
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    for (int i = 0; i < dim; i++) {
      s0 += xd[o0 + i];
      s1 += xd[o1 + i];
      s2 += xd[o2 + i];
      s3 += xd[o3 + i];
    }
    final float m0 = (float) (s0 / dim);
    final float m1 = (float) (s1 / dim);
    final float m2 = (float) (s2 / dim);
    final float m3 = (float) (s3 / dim);
    double v0 = 0;
    double v1 = 0;
    double v2 = 0;
    double v3 = 0;
    for (int i = 0; i < dim; i++) {
      final float d0 = xd[o0 + i] - m0;
      final float d1 = xd[o1 + i] - m1;
      final float d2 = xd[o2 + i] - m2;
      final float d3 = xd[o3 + i] - m3;
      v0 += d0 * d0;
      v1 += d1 * d1;
      v2 += d2 * d2;
      v3 += d3 * d3;
    }
    store(mean, rstd, r, to, 0, m0, v0);
    store(mean, rstd, r, to, 1, m1, v1);
    store(mean, rstd, r, to, 2, m2, v2);
    store(mean, rstd, r, to, 3, m3, v3);
  }

  private void store(final float[] mean, final float[] rstd, final int r, final int to, final int q, final float m,
      final double v) {
    if (r + q < to) {
      mean[r + q] = m;
      rstd[r + q] = (float) (1.0 / Math.sqrt(v / dim + eps));
    }
  }

  /**
   * For rows [r, r + ROWS) ∩ [r, to): a = mean(dn), c = mean(dn·n) with dn = dy·w, each row's two
   * sequential double chains, four rows side by side (rows past {@code to} repeat the last row
   * and are not stored).
   */
  private void gradientMeans(final float[] xd, final float[] dyd, final float[] w, final Saved s, final int r,
      final int to, final float[] a, final float[] c) {
    final int[] rowOf = {r, Math.min(r + 1, to - 1), Math.min(r + 2, to - 1), Math.min(r + 3, to - 1)};
    final int o0 = rowOf[0] * dim;
    final int o1 = rowOf[1] * dim;
    final int o2 = rowOf[2] * dim;
    final int o3 = rowOf[3] * dim;
    final float mean0 = s.mean[rowOf[0]];
    final float mean1 = s.mean[rowOf[1]];
    final float mean2 = s.mean[rowOf[2]];
    final float mean3 = s.mean[rowOf[3]];
    final float rstd0 = s.rstd[rowOf[0]];
    final float rstd1 = s.rstd[rowOf[1]];
    final float rstd2 = s.rstd[rowOf[2]];
    final float rstd3 = s.rstd[rowOf[3]];
    double dn0 = 0;
    double dn1 = 0;
    double dn2 = 0;
    double dn3 = 0;
    double nn0 = 0;
    double nn1 = 0;
    double nn2 = 0;
    double nn3 = 0;
    for (int i = 0; i < dim; i++) {
      final float n0 = (xd[o0 + i] - mean0) * rstd0;
      final float n1 = (xd[o1 + i] - mean1) * rstd1;
      final float n2 = (xd[o2 + i] - mean2) * rstd2;
      final float n3 = (xd[o3 + i] - mean3) * rstd3;
      final float d0 = dyd[o0 + i] * w[i];
      final float d1 = dyd[o1 + i] * w[i];
      final float d2 = dyd[o2 + i] * w[i];
      final float d3 = dyd[o3 + i] * w[i];
      dn0 += d0;
      dn1 += d1;
      dn2 += d2;
      dn3 += d3;
      nn0 += d0 * n0;
      nn1 += d1 * n1;
      nn2 += d2 * n2;
      nn3 += d3 * n3;
    }
    a[0] = (float) (dn0 / dim);
    a[1] = (float) (dn1 / dim);
    a[2] = (float) (dn2 / dim);
    a[3] = (float) (dn3 / dim);
    c[0] = (float) (nn0 / dim);
    c[1] = (float) (nn1 / dim);
    c[2] = (float) (nn2 / dim);
    c[3] = (float) (nn3 / dim);
  }

  private record Saved(Tensor x, float[] mean, float[] rstd) {}
}
