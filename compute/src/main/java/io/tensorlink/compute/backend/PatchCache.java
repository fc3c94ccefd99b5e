package io.tensorlink.compute.backend;

/**
 * Keeps the im2col matrices of the last few convolution inputs so backward does not rebuild
 * them. Entries are keyed by the identity of the input array: layers never modify a tensor they
 * passed forward, so the same array means the same patches. A miss (more passes in flight than
 * entries) just rebuilds, so results never depend on hits.
 */
final class PatchCache {
  private static final int ENTRIES = 4;

  private final float[][] keys = new float[ENTRIES][];
  private final int[] sizes = new int[ENTRIES];
  private final float[][] values = new float[ENTRIES][];
  private int next;

  /** The cached patches of {@code x} with {@code size} elements, or null. */
  float[] find(final float[] x, final int size) {
    for (int i = 0; i < ENTRIES; i++) {
      if (keys[i] == x && sizes[i] == size) {
        return values[i];
      }
    }
    return null;
  }

  /** A buffer of at least {@code size} floats now registered as the patches of {@code x}. */
  float[] claim(final float[] x, final int size) {
    for (int i = 0; i < ENTRIES; i++) {
      if (keys[i] == x) {
        keys[i] = null;
      }
    }
    final int slot = next;
    next = (next + 1) % ENTRIES;
    if (values[slot] == null || values[slot].length < size) {
      values[slot] = new float[size];
    }
    keys[slot] = x;
    sizes[slot] = size;
    return values[slot];
  }
}
