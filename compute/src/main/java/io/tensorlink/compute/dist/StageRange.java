package io.tensorlink.compute.dist;

/** Top-level layers {@code [from, to)} of a model, with the cost used to balance them. */
public record StageRange(int from, int to, long cost) {
  public StageRange {
    if (from < 0 || to <= from) {
      throw new IllegalArgumentException("empty or negative stage range [" + from + ", " + to + ")");
    }
  }
}
