package io.tensorlink.compute.optim;

/** Learning rate as a pure function of the 0-based step. */
public sealed interface LrSchedule {

  float lr(long step);

  /** The same rate every step. */
  record Constant(float value) implements LrSchedule {
    public Constant {
      if (!(value > 0f)) {
        throw new IllegalArgumentException("learning rate must be > 0, got " + value);
      }
    }

    @Override
    public float lr(final long step) {
      return value;
    }
  }

  /**
   * Linear warmup from {@code peak/warmup} to {@code peak} over {@code warmup} steps, then cosine
   * decay to {@code min} at {@code total} steps (held at {@code min} after). StrictMath.cos.
   */
  record WarmupCosine(float peak, long warmup, long total, float min) implements LrSchedule {
    public WarmupCosine {
      if (!(peak > 0f) || min < 0f || min > peak || warmup < 0 || total <= warmup) {
        throw new IllegalArgumentException("warmup-cosine needs peak > 0, 0 <= min <= peak and 0 <= warmup < total, got "
            + "peak=" + peak + " min=" + min + " warmup=" + warmup + " total=" + total);
      }
    }

    @Override
    public float lr(final long step) {
      if (step < warmup) {
        return (float) ((double) peak * (step + 1) / warmup);
      }
      if (step >= total) {
        return min;
      }
      final double progress = (double) (step - warmup) / (total - warmup);
      return (float) (min + 0.5 * (peak - min) * (1.0 + StrictMath.cos(StrictMath.PI * progress)));
    }
  }
}
