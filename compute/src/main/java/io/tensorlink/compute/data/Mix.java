package io.tensorlink.compute.data;

/** Integer hashing for counter-based randomness: plain 64-bit arithmetic, identical on every JVM. */
final class Mix {

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private Mix() {}

  /** SplitMix64's finalizer: a bijective avalanche of 64 bits. */
  static long mix64(final long z0) {
    long z = z0;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Hashes a key and two counters; distinct (a, b) give independent-looking outputs per key. */
  static long hash(final long key, final long a, final long b) {
    return mix64(mix64(mix64(key + GOLDEN) + a * GOLDEN) + b);
  }
}
