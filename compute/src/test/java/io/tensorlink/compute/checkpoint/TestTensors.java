package io.tensorlink.compute.checkpoint;

import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;

/** Small named tensor sets with seeded contents. */
final class TestTensors {
  private TestTensors() {}

  static Tensor filled(final long seed, final int... shape) {
    final Tensor t = Tensor.zeros(shape);
    final float[] d = t.data();
    long s = seed;
    for (int i = 0; i < d.length; i++) {
      s = s * 6364136223846793005L + 1442695040888963407L;
      d[i] = (int) (s >>> 40) / (float) (1 << 23) - 1f;
    }
    return t;
  }

  static NamedTensors mlp(final long seed) {
    return NamedTensors.builder()
        .add("fc1.weight", filled(seed, 6, 4))
        .add("fc1.bias", filled(seed + 1, 6))
        .add("fc2.weight", filled(seed + 2, 3, 6))
        .add("fc2.bias", filled(seed + 3, 3))
        .build();
  }
}
