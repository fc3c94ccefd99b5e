package io.tensorlink.compute.rng;

/**
 * Counter-based random numbers: every value is a pure hash of (seed, purpose, step, index), so any
 * element can be regenerated in isolation, in any order, on any thread, and there is no
 * generator state to share or advance. The mixer is the SplitMix64 finalizer applied to each key
 * word in turn.
 */
public final class CounterRng {
  /** Parameter initialisation; {@code step} carries the parameter's ordinal. */
  public static final long PURPOSE_INIT = 0x494E_4954L;
  /** Dropout masks; combined with a hash of the layer name. */
  public static final long PURPOSE_DROPOUT = 0x4452_4F50L;

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final float TWO_POW_MINUS_24 = 0x1.0p-24f;

  private CounterRng() {}

  public static long hash(final long seed, final long purpose, final long step, final long index) {
    long h = mix(seed + GOLDEN);
    h = mix(h ^ (purpose + GOLDEN));
    h = mix(h ^ (step + GOLDEN));
    return mix(h ^ (index + GOLDEN));
  }

  /** Uniform in [0, 1) with 24 random bits (exactly representable in float). */
  public static float uniform(final long seed, final long purpose, final long step, final long index) {
    return (hash(seed, purpose, step, index) >>> 40) * TWO_POW_MINUS_24;
  }

  /** Standard normal by Box–Muller over two counters (2·index and 2·index+1), via StrictMath. */
  public static float normal(final long seed, final long purpose, final long step, final long index) {
    final double u1 = ((hash(seed, purpose, step, 2 * index) >>> 11) + 1) * 0x1.0p-53;
    final double u2 = (hash(seed, purpose, step, 2 * index + 1) >>> 11) * 0x1.0p-53;
    return (float) (StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2 * StrictMath.PI * u2));
  }

  /** A stable 64-bit id for a name (for per-layer purposes); independent of String.hashCode. */
  public static long nameId(final String name) {
    long h = 0;
    for (int i = 0; i < name.length(); i++) {
      h = mix(h ^ (name.charAt(i) + GOLDEN));
    }
    return h;
  }

  private static long mix(final long z0) {
    long z = z0;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
