package io.tensorlink.compute.nn;

import io.tensorlink.compute.rng.CounterRng;
import java.util.Arrays;

/** How a parameter starts: a pure function of (seed, parameter ordinal, element index). */
public sealed interface Init {

  void fill(float[] data, long seed, long ordinal);

  /** Zeros. */
  record Zeros() implements Init {
    @Override
    public void fill(final float[] data, final long seed, final long ordinal) {
      Arrays.fill(data, 0f);
    }
  }

  /** A constant. */
  record Constant(float value) implements Init {
    @Override
    public void fill(final float[] data, final long seed, final long ordinal) {
      Arrays.fill(data, value);
    }
  }

  /** Uniform in [-bound, bound). */
  record Uniform(float bound) implements Init {
    @Override
    public void fill(final float[] data, final long seed, final long ordinal) {
      for (int i = 0; i < data.length; i++) {
        data[i] = (2f * CounterRng.uniform(seed, CounterRng.PURPOSE_INIT, ordinal, i) - 1f) * bound;
      }
    }
  }

  /** Normal with mean 0. */
  record Normal(float std) implements Init {
    @Override
    public void fill(final float[] data, final long seed, final long ordinal) {
      for (int i = 0; i < data.length; i++) {
        data[i] = CounterRng.normal(seed, CounterRng.PURPOSE_INIT, ordinal, i) * std;
      }
    }
  }
}
