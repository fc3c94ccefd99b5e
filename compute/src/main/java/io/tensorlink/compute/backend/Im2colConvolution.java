package io.tensorlink.compute.backend;

import jdk.incubator.vector.FloatVector;

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
      // Four channels' sequential sums side by side: independent chains hide the add latency.
      be.parallelFor(o, (from, to) -> {
        int oc = from;
        for (; oc + 4 <= to; oc += 4) {
          float s0 = 0f;
          float s1 = 0f;
          float s2 = 0f;
          float s3 = 0f;
          final int src = oc * cols;
          for (int i = 0; i < cols; i++) {
            s0 += dyT[src + i];
            s1 += dyT[src + cols + i];
            s2 += dyT[src + 2 * cols + i];
            s3 += dyT[src + 3 * cols + i];
          }
          dbias[oc] = s0;
          dbias[oc + 1] = s1;
          dbias[oc + 2] = s2;
          dbias[oc + 3] = s3;
        }
        for (; oc < to; oc++) {
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
        if (stride == 1 && ow == wd) {
          for (int n = 0; n < batch; n++) {
            final int dst = (q * batch + n) * p;
            final int off = ((n * c + ch) * h + ky - pad) * wd + kx - pad;
            final int lo = linearFrom(n * c + ch, h * wd, off, p);
            final int hi = linearTo(n * c + ch, h * wd, off, p, lo);
            java.util.Arrays.fill(col, dst, dst + lo, 0f);
            System.arraycopy(x, off + lo, col, dst + lo, hi - lo);
            java.util.Arrays.fill(col, dst + hi, dst + p, 0f);
            zeroWrapped(col, dst, oh, ow, xFrom, xTo);
          }
          continue;
        }
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

  /*
   * Stride 1 with rows as wide as the input: position i = yo*ow + xo of a patch row reads input
   * element off + i of one plane, so a patch row is one shifted copy of the plane. The linear
   * range [lo, hi) keeps the source inside the plane; columns that wrapped into a neighbouring
   * row are then zeroed. In col2im the zeroed entries add +0 to a neighbour, which leaves every
   * value unchanged: the sums start at +0 and round-to-nearest never produces -0 from it.
   */

  private static int linearFrom(final int plane, final int planeSize, final int off, final int p) {
    return Math.min(p, Math.max(0, plane * planeSize - off));
  }

  private static int linearTo(final int plane, final int planeSize, final int off, final int p, final int lo) {
    return Math.max(lo, Math.min(p, (plane + 1) * planeSize - off));
  }

  /** {@code dst[dOff + i] += src[sOff + i]} for i in [lo, hi): lane-wise adds, the same bits as scalar. */
  private static void addInto(final float[] dst, final int dOff, final float[] src, final int sOff, final int lo,
      final int hi) {
    int i = lo;
    for (final int end = lo + VectorGemm.S.loopBound(hi - lo); i < end; i += VectorGemm.V) {
      FloatVector.fromArray(VectorGemm.S, dst, dOff + i).add(FloatVector.fromArray(VectorGemm.S, src, sOff + i))
          .intoArray(dst, dOff + i);
    }
    for (; i < hi; i++) {
      dst[dOff + i] += src[sOff + i];
    }
  }

  /** Zeroes columns outside [xFrom, xTo) in every row of an oh × ow patch row at base. */
  private static void zeroWrapped(final float[] a, final int base, final int oh, final int ow, final int xFrom,
      final int xTo) {
    if (xFrom == 0 && xTo == ow) {
      return;
    }
    for (int yo = 0, r = base; yo < oh; yo++, r += ow) {
      java.util.Arrays.fill(a, r, r + xFrom, 0f);
      java.util.Arrays.fill(a, r + xTo, r + ow, 0f);
    }
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
            if (stride == 1 && ow == wd) {
              final int off = base + (ky - pad) * wd + kx - pad;
              final int lo = linearFrom(plane, h * wd, off, p);
              final int hi = linearTo(plane, h * wd, off, p, lo);
              zeroWrapped(dcol, src, oh, ow, xFrom, xTo);
              addInto(dx, off, dcol, src, lo, hi);
              continue;
            }
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
