package io.tensorlink.compute.backend;

/**
 * Convolution lowered to GEMM through a patch matrix.
 *
 * <p>Layout: {@code colT[N*P, Q]} holds one row per output position (P = OH*OW positions per
 * image, Q = C*K*K patch elements), so forward, weight gradient and data gradient are each one
 * large GEMM:
 *
 * <pre>
 *   Y'[N*P, O]  = colT · Wᵀ           then permuted to NCHW, + bias
 *   dW[O, Q]    = dY'ᵀ · colT         (sum over n, p in increasing order)
 *   dcolT[N*P,Q]= dY' · W             then scattered back (col2im) per image
 * </pre>
 */
final class Im2colConvolution {
  private static final int SLOT_COL = 0;
  private static final int SLOT_OUT = 1;
  private static final int SLOT_DCOL = 2;

  private Im2colConvolution() {}

  static void forward(final Backend be, final Conv2dShape s, final float[] x, final float[] w, final float[] bias,
      final float[] y) {
    final int rows = s.batch() * s.positions();
    final float[] colT = be instanceof CpuBackend cpu
        ? cpu.patches().claim(x, rows * s.patch()) : new float[rows * s.patch()];
    im2col(be, s, x, colT);
    final float[] out = workspace(be, SLOT_OUT, rows * s.outChannels());
    be.gemm(false, true, rows, s.outChannels(), s.patch(), colT, 0, w, 0, out, 0, false);
    final int p = s.positions();
    final int o = s.outChannels();
    be.parallelFor(s.batch(), (from, to) -> {
      for (int n = from; n < to; n++) {
        for (int oc = 0; oc < o; oc++) {
          final float b = bias == null ? 0f : bias[oc];
          final int dst = (n * o + oc) * p;
          for (int q = 0; q < p; q++) {
            y[dst + q] = out[(n * p + q) * o + oc] + b;
          }
        }
      }
    });
  }

  static void backward(final Backend be, final Conv2dShape s, final float[] x, final float[] w, final float[] dy,
      final float[] dx, final float[] dw, final float[] dbias) {
    final int p = s.positions();
    final int o = s.outChannels();
    final int rows = s.batch() * p;
    final float[] dyT = workspace(be, SLOT_OUT, rows * o);
    be.parallelFor(s.batch(), (from, to) -> {
      for (int n = from; n < to; n++) {
        for (int oc = 0; oc < o; oc++) {
          final int src = (n * o + oc) * p;
          for (int q = 0; q < p; q++) {
            dyT[(n * p + q) * o + oc] = dy[src + q];
          }
        }
      }
    });
    if (dbias != null) {
      be.parallelFor(o, (from, to) -> {
        for (int oc = from; oc < to; oc++) {
          float sum = 0f;
          for (int n = 0; n < s.batch(); n++) {
            final int src = (n * o + oc) * p;
            for (int q = 0; q < p; q++) {
              sum += dy[src + q];
            }
          }
          dbias[oc] = sum;
        }
      });
    }
    float[] colT = be instanceof CpuBackend cpu ? cpu.patches().find(x, rows * s.patch()) : null;
    if (colT == null) {
      colT = workspace(be, SLOT_COL, rows * s.patch());
      im2col(be, s, x, colT);
    }
    be.gemm(true, false, o, s.patch(), rows, dyT, 0, colT, 0, dw, 0, false);
    if (dx != null) {
      final float[] dcolT = workspace(be, SLOT_DCOL, rows * s.patch());
      be.gemm(false, false, rows, s.patch(), o, dyT, 0, w, 0, dcolT, 0, false);
      col2im(be, s, dcolT, dx);
    }
  }

  private static float[] workspace(final Backend be, final int slot, final int size) {
    return be instanceof CpuBackend cpu ? cpu.workspace(slot, size) : new float[size];
  }

  /** Fills every element of colT (padding positions get 0). */
  private static void im2col(final Backend be, final Conv2dShape s, final float[] x, final float[] colT) {
    final int c = s.inChannels();
    final int h = s.height();
    final int wd = s.width();
    final int k = s.kernel();
    final int oh = s.outHeight();
    final int ow = s.outWidth();
    final int q = s.patch();
    be.parallelFor(s.batch(), (from, to) -> {
      for (int n = from; n < to; n++) {
        for (int y = 0; y < oh; y++) {
          for (int xo = 0; xo < ow; xo++) {
            int dst = ((n * oh + y) * ow + xo) * q;
            final int ix0 = xo * s.stride() - s.padding();
            final boolean inside = ix0 >= 0 && ix0 + k <= wd;
            for (int ch = 0; ch < c; ch++) {
              final int plane = (n * c + ch) * h;
              for (int ky = 0; ky < k; ky++, dst += k) {
                final int iy = y * s.stride() - s.padding() + ky;
                if (iy < 0 || iy >= h) {
                  java.util.Arrays.fill(colT, dst, dst + k, 0f);
                } else if (inside) {
                  System.arraycopy(x, (plane + iy) * wd + ix0, colT, dst, k);
                } else {
                  final int row = (plane + iy) * wd;
                  for (int kx = 0; kx < k; kx++) {
                    final int ix = ix0 + kx;
                    colT[dst + kx] = ix >= 0 && ix < wd ? x[row + ix] : 0f;
                  }
                }
              }
            }
          }
        }
      }
    });
  }

  /** dx = scatter-add of dcolT; each image's sums run in (position, patch element) order. */
  private static void col2im(final Backend be, final Conv2dShape s, final float[] dcolT, final float[] dx) {
    final int c = s.inChannels();
    final int h = s.height();
    final int wd = s.width();
    final int k = s.kernel();
    final int oh = s.outHeight();
    final int ow = s.outWidth();
    final int q = s.patch();
    be.parallelFor(s.batch(), (from, to) -> {
      java.util.Arrays.fill(dx, from * c * h * wd, to * c * h * wd, 0f);
      for (int n = from; n < to; n++) {
        for (int y = 0; y < oh; y++) {
          for (int xo = 0; xo < ow; xo++) {
            int src = ((n * oh + y) * ow + xo) * q;
            final int ix0 = xo * s.stride() - s.padding();
            final int kxFrom = Math.max(0, -ix0);
            final int kxTo = Math.min(k, wd - ix0);
            for (int ch = 0; ch < c; ch++) {
              final int plane = (n * c + ch) * h;
              for (int ky = 0; ky < k; ky++, src += k) {
                final int iy = y * s.stride() - s.padding() + ky;
                if (iy >= 0 && iy < h) {
                  final int row = (plane + iy) * wd + ix0;
                  for (int kx = kxFrom; kx < kxTo; kx++) {
                    dx[row + kx] += dcolT[src + kx];
                  }
                }
              }
            }
          }
        }
      }
    });
  }
}
