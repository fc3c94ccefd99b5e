package io.tensorlink.compute.backend;

/**
 * Pointwise activations, forward and derivative side by side.
 *
 * <p>Transcendentals go through {@link StrictMath} in double and round once to float, so every
 * JVM and CPU gets the same bits (the {@code Math} versions may be intrinsified differently).
 */
public enum Activation {
  RELU {
    @Override
    public float forward(final float x) {
      return x > 0f ? x : 0f;
    }

    @Override
    public float derivative(final float x) {
      return x > 0f ? 1f : 0f;
    }
  },
  TANH {
    @Override
    public float forward(final float x) {
      return (float) StrictMath.tanh(x);
    }

    @Override
    public float derivative(final float x) {
      final double t = StrictMath.tanh(x);
      return (float) (1.0 - t * t);
    }
  },
  /** GELU, tanh approximation (as in GPT-2): 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
  GELU {
    private static final double C = 0.7978845608028654; // sqrt(2/pi)

    @Override
    public float forward(final float x) {
      final double u = C * (x + 0.044715 * x * x * x);
      return (float) (0.5 * x * (1.0 + StrictMath.tanh(u)));
    }

    @Override
    public float derivative(final float x) {
      final double u = C * (x + 0.044715 * x * x * x);
      final double t = StrictMath.tanh(u);
      final double du = C * (1.0 + 3 * 0.044715 * x * x);
      return (float) (0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * du);
    }
  };

  public abstract float forward(float x);

  /** d forward / dx at {@code x}. */
  public abstract float derivative(float x);

  /** {@code y[i] = forward(x[i])} over [from, to); ReLU inlined (a per-element enum call is megamorphic). */
  public void forward(final float[] x, final float[] y, final int from, final int to) {
    if (this == RELU) {
      for (int i = from; i < to; i++) {
        y[i] = x[i] > 0f ? x[i] : 0f;
      }
    } else {
      for (int i = from; i < to; i++) {
        y[i] = forward(x[i]);
      }
    }
  }

  /** {@code dx[i] = derivative(x[i]) * dy[i]} over [from, to). */
  public void backward(final float[] x, final float[] dy, final float[] dx, final int from, final int to) {
    if (this == RELU) {
      for (int i = from; i < to; i++) {
        dx[i] = x[i] > 0f ? dy[i] : 0f * dy[i];
      }
    } else {
      for (int i = from; i < to; i++) {
        dx[i] = derivative(x[i]) * dy[i];
      }
    }
  }
}
