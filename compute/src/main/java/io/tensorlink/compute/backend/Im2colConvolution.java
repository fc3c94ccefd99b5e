package io.tensorlink.compute.backend;

import jdk.incubator.vector.FloatVector;

/**
 * Convolution lowered to GEMM through a patch matrix, a few images at a time.
 *
 * <p>Layout: for a chunk of images, {@code col[Q, n*P]} holds one row per patch element
 * (Q = C*K*K) and one column per output position of the chunk's images (P = OH*OW per image,
 * image-major), so forward, weight gradient and data gradient are each one GEMM per chunk with no
 * transposed copy of the big operand:
 *
 * <pre>
 *   Y'[O, n*P]   = W · col            then each P-run copied to NCHW, + bias
 *   dW[O, Q]    += dY' · colᵀ         (chunks in image order, accumulating: one chain over n, p)
 *   dcol[Q, n*P] = Wᵀ · dY'           then scattered back (col2im) per image plane
 * </pre>
 *
 * <p>Chunks keep the patch matrix, dcol and dY' near {@link #CHUNK_FLOATS} floats, so they stay
 * in cache between the copy that builds them and the GEMM that reads them; a whole-batch patch
 * matrix (29 MB for the CNN's second layer at batch 128) went through memory twice. Backward
 * rebuilds the patches of each chunk instead of keeping forward's.
 *
 * <p>Chunking changes no bits: forward and dcol are per column, and the weight gradient GEMM
 * accumulates into dW chunk after chunk, which continues each element's fma chain exactly (rule 2
 * of compute/README.md), so dW sums n·P + p in increasing order as one whole-batch GEMM did. Every
 * dx element sums its contributing positions in increasing order.
 */
final class Im2colConvolution {
  private static final int SLOT_COL = 0;
  private static final int SLOT_OUT = 1;
  private static final int SLOT_DCOL = 2;
  /** Target size of one chunk's patch matrix or GEMM output: 1 MiB, about one core's L2. */
  static final int CHUNK_FLOATS = 1 << 18;

  private Im2colConvolution() {}

  /**
   * Images per chunk: as many as keep the larger of the patch matrix and the GEMM output near
   * {@link #CHUNK_FLOATS}, at least one.
   */
  static int imagesPerChunk(final Conv2dShape s) {
    final long perImage = (long) Math.max(s.patch(), s.outChannels()) * s.positions();
    return (int) Math.max(1, Math.min(s.batch(), CHUNK_FLOATS / perImage));
  }

  static void forward(final Backend be, final Conv2dShape s, final float[] x, final float[] w, final float[] bias,
      final float[] y) {
    final int chunk = imagesPerChunk(s);
    final int p = s.positions();
    final int o = s.outChannels();
    final float[] col = workspace(be, SLOT_COL, chunk * p * s.patch());
    final float[] out = workspace(be, SLOT_OUT, chunk * p * o);
    for (int n0 = 0; n0 < s.batch(); n0 += chunk) {
      final int first = n0;
      final int nb = Math.min(chunk, s.batch() - n0);
      im2col(be, s, x, first, nb, col);
      be.gemm(false, false, o, nb * p, s.patch(), w, 0, col, 0, out, 0, false);
      be.parallelFor(nb, (from, to) -> {
        for (int n = from; n < to; n++) {
          for (int oc = 0; oc < o; oc++) {
            final float b = bias == null ? 0f : bias[oc];
            final int dst = ((first + n) * o + oc) * p;
            final int src = (oc * nb + n) * p;
            for (int q = 0; q < p; q++) {
              y[dst + q] = out[src + q] + b;
            }
          }
        }
      });
    }
  }

  static void backward(final Backend be, final Conv2dShape s, final float[] x, final float[] w, final float[] dy,
      final float[] dx, final float[] dw, final float[] dbias) {
    final int p = s.positions();
    final int o = s.outChannels();
    final int batch = s.batch();
    if (dbias != null) {
      biasGradient(be, p, o, batch, dy, dbias);
    }
    final int chunk = imagesPerChunk(s);
    final float[] dyT = workspace(be, SLOT_OUT, chunk * p * o);
    final float[] col = workspace(be, SLOT_COL, chunk * p * s.patch());
    final float[] dcol = dx == null ? null : workspace(be, SLOT_DCOL, chunk * p * s.patch());
    for (int n0 = 0; n0 < batch; n0 += chunk) {
      final int first = n0;
      final int nb = Math.min(chunk, batch - n0);
      be.parallelFor(o, (from, to) -> {
        for (int oc = from; oc < to; oc++) {
          for (int n = 0; n < nb; n++) {
            System.arraycopy(dy, ((first + n) * o + oc) * p, dyT, (oc * nb + n) * p, p);
          }
        }
      });
      im2col(be, s, x, first, nb, col);
      be.gemm(false, true, o, s.patch(), nb * p, dyT, 0, col, 0, dw, 0, n0 > 0);
      if (dx != null) {
        be.gemm(true, false, s.patch(), nb * p, o, w, 0, dyT, 0, dcol, 0, false);
        col2im(be, s, dcol, first, nb, dx);
      }
    }
  }

  /**
   * dbias[oc] = Σ dy[n, oc, ·] over n, then positions, in increasing order (float). Eight
   * channels' sequential sums side by side: independent chains hide the add latency (two adders
   * of three cycles' latency want six).
   */
  private static void biasGradient(final Backend be, final int p, final int o, final int batch, final float[] dy,
      final float[] dbias) {
    be.parallelFor(o, (from, to) -> {
      int oc = from;
      for (; oc + 8 <= to; oc += 8) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        float s4 = 0f;
        float s5 = 0f;
        float s6 = 0f;
        float s7 = 0f;
        for (int n = 0; n < batch; n++) {
          final int src = (n * o + oc) * p;
          for (int i = 0; i < p; i++) {
            s0 += dy[src + i];
            s1 += dy[src + p + i];
            s2 += dy[src + 2 * p + i];
            s3 += dy[src + 3 * p + i];
            s4 += dy[src + 4 * p + i];
            s5 += dy[src + 5 * p + i];
            s6 += dy[src + 6 * p + i];
            s7 += dy[src + 7 * p + i];
          }
        }
        dbias[oc] = s0;
        dbias[oc + 1] = s1;
        dbias[oc + 2] = s2;
        dbias[oc + 3] = s3;
        dbias[oc + 4] = s4;
        dbias[oc + 5] = s5;
        dbias[oc + 6] = s6;
        dbias[oc + 7] = s7;
      }
      for (; oc < to; oc++) {
        float sum = 0f;
        for (int n = 0; n < batch; n++) {
          final int src = (n * o + oc) * p;
          for (int i = 0; i < p; i++) {
            sum += dy[src + i];
          }
        }
        dbias[oc] = sum;
      }
    });
  }

  private static float[] workspace(final Backend be, final int slot, final int size) {
    return be instanceof CpuBackend cpu ? cpu.workspace(slot, size) : new float[size];
  }

  /**
   * Fills every element of col (padding positions get 0) for images [first, first + nb); threads
   * split the patch rows.
   */
  private static void im2col(final Backend be, final Conv2dShape s, final float[] x, final int first, final int nb,
      final float[] col) {
    final int c = s.inChannels();
    final int h = s.height();
    final int wd = s.width();
    final int k = s.kernel();
    final int oh = s.outHeight();
    final int ow = s.outWidth();
    final int stride = s.stride();
    final int pad = s.padding();
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
          for (int n = 0; n < nb; n++) {
            final int dst = (q * nb + n) * p;
            final int plane = (first + n) * c + ch;
            final int off = (plane * h + ky - pad) * wd + kx - pad;
            final int lo = linearFrom(plane, h * wd, off, p);
            final int hi = linearTo(plane, h * wd, off, p, lo);
            java.util.Arrays.fill(col, dst, dst + lo, 0f);
            System.arraycopy(x, off + lo, col, dst + lo, hi - lo);
            java.util.Arrays.fill(col, dst + hi, dst + p, 0f);
            zeroWrapped(col, dst, oh, ow, xFrom, xTo);
          }
          continue;
        }
        for (int n = 0; n < nb; n++) {
          final int plane = ((first + n) * c + ch) * h;
          int dst = (q * nb + n) * p;
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
    // Usually one column on either side: one strided loop per zeroed column, not two short
    // loops per row (whose set-up cost more than their stores: 7% of a CNN step).
    final int end = base + oh * ow;
    for (int xo = 0; xo < xFrom; xo++) {
      for (int r = base + xo; r < end; r += ow) {
        a[r] = 0f;
      }
    }
    for (int xo = xTo; xo < ow; xo++) {
      for (int r = base + xo; r < end; r += ow) {
        a[r] = 0f;
      }
    }
  }

  /**
   * dx of images [first, first + nb) = scatter-add of their dcol; threads split the (image,
   * channel) planes. Each dx element sums its contributing positions in increasing order, which
   * is decreasing (ky, kx) order.
   */
  private static void col2im(final Backend be, final Conv2dShape s, final float[] dcol, final int first, final int nb,
      final float[] dx) {
    final int c = s.inChannels();
    final int h = s.height();
    final int wd = s.width();
    final int k = s.kernel();
    final int oh = s.outHeight();
    final int ow = s.outWidth();
    final int stride = s.stride();
    final int pad = s.padding();
    final int p = s.positions();
    be.parallelFor(nb * c, (from, to) -> {
      java.util.Arrays.fill(dx, (first * c + from) * h * wd, (first * c + to) * h * wd, 0f);
      for (int local = from; local < to; local++) {
        final int n = local / c;
        final int ch = local % c;
        final int plane = first * c + local;
        final int base = plane * h * wd;
        for (int ky = k - 1; ky >= 0; ky--) {
          for (int kx = k - 1; kx >= 0; kx--) {
            final int q = (ch * k + ky) * k + kx;
            final int xFrom = Math.min(ow, Math.max(0, (pad - kx + stride - 1) / stride));
            final int xTo = Math.max(xFrom, Math.min(ow, Math.floorDiv(wd - 1 + pad - kx, stride) + 1));
            int src = (q * nb + n) * p;
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
