package io.tensorlink.compute.nn;

import io.tensorlink.compute.backend.AttentionShape;
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
 * The core ({@code Backend.attentionForward/attentionBackward}) runs on GEMMs with the canonical
 * order described in compute/README.md ("Attention").
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
    final Tensor qkv = qkv().forward(pass, x);
    final AttentionShape shape = new AttentionShape(x.dim(0), x.dim(1), dim, heads);
    final Tensor att = Tensor.zeros(shape.batch(), heads, shape.tokens(), shape.tokens());
    final Tensor out = Tensor.zeros(shape.batch(), shape.tokens(), dim);
    pass.backend().attentionForward(shape, qkv.data(), att.data(), out.data());
    pass.save(this, new Saved(qkv, att));
    return proj().forward(pass, out);
  }

  @Override
  public Tensor backward(final Pass pass, final Tensor dy, final boolean needInputGrad) {
    final Saved s = pass.saved(this, Saved.class);
    final Tensor dout = proj().backward(pass, dy, true);
    final AttentionShape shape = new AttentionShape(dy.dim(0), dy.dim(1), dim, heads);
    final Tensor dqkv = Tensor.zeros(shape.batch(), shape.tokens(), 3 * dim);
    pass.backend().attentionBackward(shape, s.qkv.data(), s.att.data(), dout.data(), dqkv.data());
    return qkv().backward(pass, dqkv, needInputGrad);
  }

  private record Saved(Tensor qkv, Tensor att) {}
}
