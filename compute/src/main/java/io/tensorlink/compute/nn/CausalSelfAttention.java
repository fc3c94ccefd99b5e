package io.tensorlink.compute.nn;

import io.tensorlink.compute.backend.Softmax;
import io.tensorlink.compute.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Causal multi-head self-attention: {@code qkv = Linear(C → 3C)}, per head
 * {@code softmax(q·kᵀ/√d + causal mask)·v}, then {@code proj = Linear(C → C)}. Parameters are
 * {@code <name>.qkv.*} and {@code <name>.proj.*}.
 *
 * <pre>
 *   B batch, T tokens, C = dim, H heads, D = C/H
 *   qkv [B, T, 3C] (q | k | v, head h at columns h·D..)   att [B, H, T, T]   out [B, T, C]
 * </pre>
 * The core works one (b, h) pair per task; every sum runs over s (or t) in increasing order.
 */
public record CausalSelfAttention(String name, int dim, int heads) implements Layer {

  public CausalSelfAttention {
    if (dim < 1 || heads < 1 || dim % heads != 0) {
      throw new IllegalArgumentException(
          "layer '" + name + "' (attention): dim " + dim + " must be a positive multiple of heads " + heads);
    }
  }

  private Linear qkv() {
    return new Linear(name + ".qkv", dim, 3 * dim, true);
  }

  private Linear proj() {
    return new Linear(name + ".proj", dim, dim, true);
  }

  @Override
  public String type() {
    return "attention";
  }

  @Override
  public List<ParamSpec> params() {
    final List<ParamSpec> p = new ArrayList<>(qkv().params());
    p.addAll(proj().params());
    return p;
  }

  @Override
  public int[] outputShape(final int[] input) {
    if (input.length != 2 || input[1] != dim) {
      throw new ShapeException(name, type(), input, "must be [tokens, " + dim + "]");
    }
    return input.clone();
  }

  @Override
  public long flops(final int[] input) {
    final long t = input[0];
    return qkv().flops(input) + proj().flops(input) + 2 * t * t * dim / 2;
  }

  @Override
  public Tensor forward(final Pass pass, final Tensor x) {
    final Linear qkvLayer = qkv();
    final Tensor qkv = qkvLayer.forward(pass, x);
    final int b = x.dim(0);
    final int t = x.dim(1);
    final int d = dim / heads;
    final float scale = (float) (1.0 / Math.sqrt(d));
    final float[] q = qkv.data();
    final Tensor att = Tensor.zeros(b, heads, t, t);
    final float[] a = att.data();
    final Tensor out = Tensor.zeros(b, t, dim);
    final float[] o = out.data();
    final int c3 = 3 * dim;
    pass.backend().parallelFor(b * heads, (from, to) -> {
      for (int bh = from; bh < to; bh++) {
        final int bi = bh / heads;
        final int h = bh % heads;
        final int base = bi * t * c3;
        final int ab = bh * t * t;
        for (int i = 0; i < t; i++) {
          final int qi = base + i * c3 + h * d;
          for (int j = 0; j <= i; j++) {
            final int kj = base + j * c3 + dim + h * d;
            float s = 0f;
            for (int e = 0; e < d; e++) {
              s += q[qi + e] * q[kj + e];
            }
            a[ab + i * t + j] = s * scale;
          }
          Softmax.row(a, a, ab + i * t, i + 1);
          final int oi = (bi * t + i) * dim + h * d;
          for (int j = 0; j <= i; j++) {
            final float p = a[ab + i * t + j];
            final int vj = base + j * c3 + 2 * dim + h * d;
            for (int e = 0; e < d; e++) {
              o[oi + e] += p * q[vj + e];
            }
          }
        }
      }
    });
    pass.save(this, new Saved(qkv, att));
    return proj().forward(pass, out);
  }

  @Override
  public Tensor backward(final Pass pass, final Tensor dy, final boolean needInputGrad) {
    final Saved s = pass.saved(this, Saved.class);
    final Tensor dout = proj().backward(pass, dy, true);
    final int b = dy.dim(0);
    final int t = dy.dim(1);
    final int d = dim / heads;
    final float scale = (float) (1.0 / Math.sqrt(d));
    final int c3 = 3 * dim;
    final float[] q = s.qkv.data();
    final float[] a = s.att.data();
    final float[] go = dout.data();
    final Tensor dqkv = Tensor.zeros(b, t, c3);
    final float[] g = dqkv.data();
    pass.backend().parallelFor(b * heads, (from, to) -> {
      final float[] datt = new float[t];
      for (int bh = from; bh < to; bh++) {
        final int bi = bh / heads;
        final int h = bh % heads;
        final int base = bi * t * c3;
        final int ab = bh * t * t;
        for (int i = 0; i < t; i++) {
          final int oi = (bi * t + i) * dim + h * d;
          // datt[j] = dout_i · v_j ;  dv_j += att[i][j] · dout_i
          for (int j = 0; j <= i; j++) {
            final int vj = base + j * c3 + 2 * dim + h * d;
            final float p = a[ab + i * t + j];
            float sum = 0f;
            for (int e = 0; e < d; e++) {
              sum += go[oi + e] * q[vj + e];
              g[vj + e] += p * go[oi + e];
            }
            datt[j] = sum;
          }
          // softmax backward: ds_j = p_j (datt_j - Σ_k p_k datt_k)
          float dot = 0f;
          for (int j = 0; j <= i; j++) {
            dot += a[ab + i * t + j] * datt[j];
          }
          final int qi = base + i * c3 + h * d;
          for (int j = 0; j <= i; j++) {
            final float ds = a[ab + i * t + j] * (datt[j] - dot) * scale;
            final int kj = base + j * c3 + dim + h * d;
            for (int e = 0; e < d; e++) {
              g[qi + e] += ds * q[kj + e];
              g[kj + e] += ds * q[qi + e];
            }
          }
        }
      }
    });
    return qkv().backward(pass, dqkv, needInputGrad);
  }

  private record Saved(Tensor qkv, Tensor att) {}
}
