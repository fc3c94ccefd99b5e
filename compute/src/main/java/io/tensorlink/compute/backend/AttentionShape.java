package io.tensorlink.compute.backend;

/**
 * Shape of one causal self-attention core: {@code batch} sequences of {@code tokens} tokens,
 * model width {@code dim} split into {@code heads} heads of {@code dim / heads} features.
 *
 * <pre>
 *   qkv [batch, tokens, 3·dim] (q | k | v, head h at columns h·D..)   att [batch, heads, tokens, tokens]
 *   out [batch, tokens, dim]
 * </pre>
 */
public record AttentionShape(int batch, int tokens, int dim, int heads) {

  public AttentionShape {
    if (batch < 1 || tokens < 1 || dim < 1 || heads < 1 || dim % heads != 0) {
      throw new IllegalArgumentException("attention shape needs batch, tokens, dim, heads >= 1 and dim a multiple of heads, got "
          + batch + ", " + tokens + ", " + dim + ", " + heads);
    }
  }

  /** Features per head. */
  public int headDim() {
    return dim / heads;
  }

  /** The scores' scale {@code 1/√D}, rounded once to float. */
  public float scale() {
    return (float) (1.0 / Math.sqrt(headDim()));
  }

  /** (sequence, head) pairs: the units of work. */
  public int pairs() {
    return batch * heads;
  }
}
