package io.tensorlink.compute.data;

/**
 * A keyed pseudo-random bijection of {@code [0, n)}: a balanced Feistel network over the
 * smallest even-bit power of two that holds {@code n}, with cycle-walking to stay inside the
 * range. It is stateless: {@link #apply} is a pure function of (key, index), so any worker can
 * compute any slice of an epoch's order without materializing or sharing a shuffled array.
 */
public final class IndexPermutation {

  private static final int ROUNDS = 6;

  private final long n;
  private final long key;
  private final int halfBits;
  private final long halfMask;

  public IndexPermutation(final long n, final long key) {
    if (n <= 0) {
      throw new IllegalArgumentException("permutation size must be positive, got " + n);
    }
    this.n = n;
    this.key = key;
    final int bits = Math.max(2, 64 - Long.numberOfLeadingZeros(n - 1));
    this.halfBits = (bits + 1) / 2;
    this.halfMask = (1L << halfBits) - 1;
  }

  public long size() {
    return n;
  }

  /** The image of {@code index} under the permutation; {@code index} must be in {@code [0, n)}. */
  public long apply(final long index) {
    if (index < 0 || index >= n) {
      throw new IndexOutOfBoundsException("index " + index + " outside [0, " + n + ")");
    }
    long x = index;
    do {
      x = feistel(x);
    } while (x >= n);
    return x;
  }

  private long feistel(final long x) {
    long left = x >>> halfBits;
    long right = x & halfMask;
    for (int round = 0; round < ROUNDS; round++) {
      final long next = left ^ (Mix.hash(key, round, right) & halfMask);
      left = right;
      right = next;
    }
    return (left << halfBits) | right;
  }
}
