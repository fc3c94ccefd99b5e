package io.tensorlink.compute.backend;

import java.util.Arrays;

/**
 * The causal attention core on GEMMs, one (sequence, head) pair at a time: the pair's q, k, v
 * are gathered into dense {@code [T, D]} blocks, and query rows go in blocks of {@link #ROWS}, so
 * a block's scores ({@code ROWS × T}) and the head's operands stay in cache while softmax and the
 * products run over them.
 *
 * <p>Canonical order (compute/README.md, "Attention"): every product is a {@link Backend#gemm} (fma
 * chain over its inner index in increasing order). Forward, per block of query rows
 * {@code [i0, i1)}: {@code S = q·kᵀ} over columns {@code j < i1}; {@code a = S·scale}; softmax of
 * row i over {@code j ≤ i} ({@link Softmax#row}); zeros for {@code i < j < i1};
 * {@code o = P·v} over {@code j < i1}. Backward, per block: {@code dP = do·vᵀ}; row i:
 * {@code dot = Σ_{j≤i} P·dP} (float, increasing j), {@code dS = P·(dP − dot)·scale};
 * {@code dq = dS·k} over {@code j < i1}; then for the whole pair {@code dk = dSᵀ·q} and
 * {@code dv = Pᵀ·do} over the query rows. Zero terms after the diagonal can change a sum only
 * from −0 to +0; zero terms before the first non-zero one change nothing. Every number depends
 * only on T, D and {@link #ROWS}, never on threads or vector width.
 *
 * <p>dk and dv run per block of {@link #KEYS} keys over the query rows from the block's first
 * key on: the rows before it hold only zeros for those keys (the causal half), and they would
 * come before each chain's first non-zero term, so skipping them keeps the bits (for finite
 * inputs) and halves those two products. The block's dS and P columns are copied into a compact
 * {@code [T − j0, KEYS]} slab as the rows are computed, so each block is one transposed-A GEMM.
 */
final class AttentionKernel {
  /** Query rows per block. Part of the canonical order (it bounds the chains of o and dq). */
  static final int ROWS = 16;
  /**
   * Keys per block of the backward dk and dv products. Not part of the canonical order (any width
   * gives the same bits); two query blocks balance the skipped area against the kernel's row tiles.
   */
  static final int KEYS = 2 * ROWS;

  private AttentionKernel() {}

  /** Forward for pairs {@code [from, to)}: writes their {@code att} probabilities (all T×T) and {@code out} columns. */
  static void forward(final AttentionShape s, final float[] qkv, final float[] att, final float[] out, final int from,
      final int to, final LocalGemm g) {
    final int t = s.tokens();
    final int d = s.headDim();
    final float scale = s.scale();
    final float[] q = new float[t * d];
    final float[] k = new float[t * d];
    final float[] v = new float[t * d];
    final float[] o = new float[t * d];
    final float[] blk = new float[Math.min(ROWS, t) * t];
    for (int bh = from; bh < to; bh++) {
      gatherQkv(s, qkv, bh, q, k, v);
      final int ab = bh * t * t;
      for (int i0 = 0; i0 < t; i0 += ROWS) {
        final int i1 = Math.min(t, i0 + ROWS);
        final int rb = i1 - i0;
        g.gemm(false, true, rb, i1, d, q, i0 * d, k, 0, blk, 0, false);
        for (int r = 0; r < rb; r++) {
          final int i = i0 + r;
          final int row = r * i1;
          for (int j = 0; j <= i; j++) {
            blk[row + j] *= scale;
          }
          Softmax.row(blk, blk, row, i + 1);
          Arrays.fill(blk, row + i + 1, row + i1, 0f);
          System.arraycopy(blk, row, att, ab + i * t, i1);
          Arrays.fill(att, ab + i * t + i1, ab + i * t + t, 0f);
        }
        g.gemm(false, false, rb, d, i1, blk, 0, v, 0, o, i0 * d, false);
      }
      scatter(s, o, out, bh, s.dim(), 0);
    }
  }

  /** Backward for pairs {@code [from, to)}: assigns their q, k and v columns of {@code dqkv}. */
  static void backward(final AttentionShape s, final float[] qkv, final float[] att, final float[] dout,
      final float[] dqkv, final int from, final int to, final LocalGemm g) {
    final int t = s.tokens();
    final int d = s.headDim();
    final int c = s.dim();
    final float scale = s.scale();
    final float[] q = new float[t * d];
    final float[] k = new float[t * d];
    final float[] v = new float[t * d];
    final float[] dO = new float[t * d];
    final float[] dq = new float[t * d];
    final float[] dk = new float[t * d];
    final float[] dv = new float[t * d];
    // Per key block b (keys [j0, j0 + w)): rows i >= j0 of dS and of P restricted to those keys.
    final int keyBlocks = (t + KEYS - 1) / KEYS;
    final int[] slab = new int[keyBlocks + 1];
    for (int b = 0; b < keyBlocks; b++) {
      slab[b + 1] = slab[b] + (t - b * KEYS) * keyWidth(t, b);
    }
    final float[] dS = new float[slab[keyBlocks]];
    final float[] p = new float[slab[keyBlocks]];
    final float[] blk = new float[Math.min(ROWS, t) * t];
    for (int bh = from; bh < to; bh++) {
      gatherQkv(s, qkv, bh, q, k, v);
      gather(dout, (bh / s.heads()) * t * c + (bh % s.heads()) * d, c, dO, t, d);
      final int ab = bh * t * t;
      for (int i0 = 0; i0 < t; i0 += ROWS) {
        final int i1 = Math.min(t, i0 + ROWS);
        final int rb = i1 - i0;
        g.gemm(false, true, rb, i1, d, dO, i0 * d, v, 0, blk, 0, false);
        for (int r = 0; r < rb; r++) {
          final int i = i0 + r;
          final int row = r * i1;
          final int pa = ab + i * t;
          float dot = 0f;
          for (int j = 0; j <= i; j++) {
            dot += att[pa + j] * blk[row + j];
          }
          for (int j = 0; j <= i; j++) {
            blk[row + j] = att[pa + j] * (blk[row + j] - dot) * scale;
          }
          Arrays.fill(blk, row + i + 1, row + i1, 0f);
          for (int b = 0; b * KEYS <= i; b++) {
            final int j0 = b * KEYS;
            final int w = keyWidth(t, b);
            final int dst = slab[b] + (i - j0) * w;
            // Columns past i1 are past the diagonal: zeros, like blk's past i.
            final int live = Math.min(w, i1 - j0);
            System.arraycopy(blk, row + j0, dS, dst, live);
            Arrays.fill(dS, dst + live, dst + w, 0f);
            System.arraycopy(att, pa + j0, p, dst, w);
          }
        }
        g.gemm(false, false, rb, d, i1, blk, 0, k, 0, dq, i0 * d, false);
      }
      for (int b = 0; b < keyBlocks; b++) {
        final int j0 = b * KEYS;
        g.gemm(true, false, keyWidth(t, b), d, t - j0, dS, slab[b], q, j0 * d, dk, j0 * d, false);
        g.gemm(true, false, keyWidth(t, b), d, t - j0, p, slab[b], dO, j0 * d, dv, j0 * d, false);
      }
      scatter(s, dq, dqkv, bh, 3 * c, 0);
      scatter(s, dk, dqkv, bh, 3 * c, c);
      scatter(s, dv, dqkv, bh, 3 * c, 2 * c);
    }
  }

  /** Keys in backward key block b. */
  private static int keyWidth(final int t, final int b) {
    return Math.min(KEYS, t - b * KEYS);
  }

  private static void gatherQkv(final AttentionShape s, final float[] qkv, final int bh, final float[] q,
      final float[] k, final float[] v) {
    final int t = s.tokens();
    final int c3 = 3 * s.dim();
    final int base = (bh / s.heads()) * t * c3 + (bh % s.heads()) * s.headDim();
    gather(qkv, base, c3, q, t, s.headDim());
    gather(qkv, base + s.dim(), c3, k, t, s.headDim());
    gather(qkv, base + 2 * s.dim(), c3, v, t, s.headDim());
  }

  /** dst[i·d + e] = src[off + i·stride + e]. */
  private static void gather(final float[] src, final int off, final int stride, final float[] dst, final int rows,
      final int d) {
    for (int i = 0; i < rows; i++) {
      System.arraycopy(src, off + i * stride, dst, i * d, d);
    }
  }

  /** Writes the pair's {@code [T, D]} block into columns {@code col + h·D} of a {@code [B, T, stride]} tensor. */
  private static void scatter(final AttentionShape s, final float[] src, final float[] dst, final int bh,
      final int stride, final int col) {
    final int t = s.tokens();
    final int d = s.headDim();
    final int base = (bh / s.heads()) * t * stride + col + (bh % s.heads()) * d;
    for (int i = 0; i < t; i++) {
      System.arraycopy(src, i * d, dst, base + i * stride, d);
    }
  }
}
