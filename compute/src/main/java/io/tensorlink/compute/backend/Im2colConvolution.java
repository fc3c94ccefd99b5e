package io.tensorlink.compute.backend;

/**
 * Convolution lowered to GEMM through a patch matrix.
 *
 * <p>Layout: {@code col[Q, N*P]} holds one row per patch element (Q = C*K*K) and one column per
 * output position of the whole batch (P = OH*OW per image, image-major), so forward, weight
 * gradient and data gradient are each one large GEMM with no transposed copy of the big operand:
 *
 * <pre>
 *   Y'[O, N*P]   = W · col            then each P-run copied to NCHW, + bias
 *   dW[O, Q]     = dY' · colᵀ         (sum over n, p in increasing order)
 *   dcol[Q, N*P] = Wᵀ · dY'           then scattered back (col2im) per image plane
 * </pre>
 *
 * <p>The sums keep the order of the earlier row-per-position layout (dW over n·P + p; every dx
 * element over its contributing positions in increasing order), so the bits did not change.
 */
final class Im2colConvolution {
  private static final int SLOT_COL = 0;
  private static final int SLOT_OUT = 1;
  private static final int SLOT_DCOL = 2;

  private Im2colConvolution() {}

  static void forward(final Backend be, final Conv2dShape s, final float[] x, final float[] w, final float[] bias,
      final float[] y) {
    final int cols = s.batch() * s.positions();
    final float[] col = be instanceof CpuBackend cpu
        ? cpu.patches().claim(x, cols * s.patch()) : new float[cols * s.patch()];
    im2col(be, s, x, col);
    final float[] out = workspace(be, SLOT_OUT, cols * s.outChannels());
    be.gemm(false, false, s.outChannels(), cols, s.patch(), w, 0, col, 0, out, 0, false);
    final int p = s.positions();
    final int o = s.outChannels();
    be.parallelFor(s.batch(), (from, to) -> {
      for (int n = from; n < to; n++) {
        for (int oc = 0; oc < o; oc++) {
          final float b = bias == null ? 0f : bias[oc];
          final int dst = (n * o + oc) * p;
          final int src = (oc * s.batch() + n) * p;
          for (int q = 0; q < p; q++) {
            y[dst + q] = out[src + q] + b;
          }
        }
      }
    });
  }

  static void backward(final Backend be, final Conv2dShape s, final float[] x, final float[] w, final float[] dy,
      final float[] dx, final float[] dw, final float[] dbias) {
    final int p = s.positions();
    final int o = s.outChannels();
    final int batch = s.batch();
    final int cols = batch * p;
    final float[] dyT = workspace(be, SLOT_OUT, cols * o);
    be.parallelFor(o, (from, to) -> {
      for (int oc = from; oc < to; oc++) {
        for (int n = 0; n < batch; n++) {
          System.arraycopy(dy, (n * o + oc) * p, dyT, (oc * batch + n) * p, p);
        }
      }
    });
    if (dbias != null) {
      be.parallelFor(o, (from, to) -> {
        for (int oc = from; oc < to; oc++) {
          float sum = 0f;
          final int src = oc * cols;
          for (int i = 0; i < cols; i++) {
            sum += dyT[src + i];
          }
          dbias[oc] = sum;
        }
      });
    }
    float[] col = be instanceof CpuBackend cpu ? cpu.patches().find(x, cols * s.patch()) : null;
    if (col == null) {
      col = workspace(be, SLOT_COL, cols * s.patch());
      im2col(be, s, x, col);
    }
    be.gemm(false, true, o, s.patch(), cols, dyT, 0, col, 0, dw, 0, false);
    if (dx != null) {
      final float[] dcol = workspace(be, SLOT_DCOL, cols * s.patch());
      be.gemm(true, false, s.patch(), cols, o, w, 0, dyT, 0, dcol, 0, false);
      col2im(be, s, dcol, dx);
    }
  }

  private static float[] workspace(final Backend be, final int slot, final int size) {
    return be instanceof CpuBackend cpu ? cpu.workspace(slot, size) : new float[size];
  }

  /** Fills every element of col (padding positions get 0); threads split the patch rows. */
  private static void im2col(final Backend be, final Conv2dShape s, final float[] x, final float[] col) {
    final int c = s.inChannels();
    final int h = s.height();
    final int wd = s.width();
    final int k = s.kernel();
    final int oh = s.outHeight();
    final int ow = s.outWidth();
    final int stride = s.stride();
    final int pad = s.padding();
    final int batch = s.batch();
    final int p = s.positions();
    be.parallelFor(s.patch(), (from, to) -> {
      for (int q = from; q < to; q++) {
        final int ch = q / (k * k);
        final int ky = q / k % k;
        final int kx = q % k;
        // Output columns whose input column ix = xo*stride - pad + kx lies inside [0, wd).
        final int xFrom = Math.min(ow, Math.max(0, (pad - kx + stride - 1) / stride));
        final int xTo = Math.max(xFrom, Math.min(ow, Math.floorDiv(wd - 1 + pad - kx, stride) + 1));
        for (int n = 0; n < batch; n++) {
          final int plane = (n * c + ch) * h;
          int dst = (q * batch + n) * p;
          for (int yo = 0; yo < oh; yo++, dst += ow) {
            final int iy = yo * stride - pad + ky;
            if (iy < 0 || iy >= h) {
              java.util.Arrays.fill(col, dst, dst + ow, 0f);
              continue;
            }
            java.util.Arrays.fill(col, dst, dst + xFrom, 0f);
            java.util.Arrays.fill(col, dst + xTo, dst + ow, 0f);
            final int row = (plane + iy) * wd - pad + kx;
            if (stride == 1) {
              System.arraycopy(x, row + xFrom, col, dst + xFrom, xTo - xFrom);
            } else {
              for (int xo = xFrom; xo < xTo; xo++) {
                col[dst + xo] = x[row + xo * stride];
              }
            }
          }
        }
      }
    });
  }

  /**
   * dx = scatter-add of dcol; threads split the (image, channel) planes. Each dx element sums
   * its contributing positions in increasing order, which is decreasing (ky, kx) order.
   */
  private static void col2im(final Backend be, final Conv2dShape s, final float[] dcol, final float[] dx) {
    final int c = s.inChannels();
    final int h = s.height();
    final int wd = s.width();
    final int k = s.kernel();
    final int oh = s.outHeight();
    final int ow = s.outWidth();
    final int stride = s.stride();
    final int pad = s.padding();
    final int batch = s.batch();
    final int p = s.positions();
    be.parallelFor(batch * c, (from, to) -> {
      java.util.Arrays.fill(dx, from * h * wd, to * h * wd, 0f);
      for (int plane = from; plane < to; plane++) {
        final int n = plane / c;
        final int ch = plane % c;
        final int base = plane * h * wd;
        for (int ky = k - 1; ky >= 0; ky--) {
          for (int kx = k - 1; kx >= 0; kx--) {
            final int q = (ch * k + ky) * k + kx;
            final int xFrom = Math.min(ow, Math.max(0, (pad - kx + stride - 1) / stride));
            final int xTo = Math.max(xFrom, Math.min(ow, Math.floorDiv(wd - 1 + pad - kx, stride) + 1));
            int src = (q * batch + n) * p;
            for (int yo = 0; yo < oh; yo++, src += ow) {
              final int iy = yo * stride - pad + ky;
              if (iy < 0 || iy >= h) {
                continue;
              }
              final int row = base + iy * wd - pad + kx;
              if (stride == 1) {
                for (int xo = xFrom; xo < xTo; xo++) {
                  dx[row + xo] += dcol[src + xo];
                }
              } else {
                for (int xo = xFrom; xo < xTo; xo++) {
                  dx[row + xo * stride] += dcol[src + xo];
                }
              }
            }
          }
        }
      }
    });
  }
}
