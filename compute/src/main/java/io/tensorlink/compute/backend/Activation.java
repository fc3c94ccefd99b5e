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
    @Override
    public float forward(final float x) {
      return geluFromTanh(x, geluTanh(x));
    }

    @Override
    public float derivative(final float x) {
      return geluDerivativeFromTanh(x, geluTanh(x));
    }
  };

  private static final double GELU_C = 0.7978845608028654; // sqrt(2/pi)

  /** tanh(sqrt(2/pi) (x + 0.044715 x^3)) in double, the costly part of GELU and its derivative. */
  private static double geluTanh(final float x) {
    return StrictMath.tanh(geluArgument(x));
  }

  /** The argument of GELU's tanh, in double. */
  static double geluArgument(final float x) {
    return GELU_C * (x + 0.044715 * x * x * x);
  }

  static float geluFromTanh(final float x, final double t) {
    return (float) (0.5 * x * (1.0 + t));
  }

  private static float geluDerivativeFromTanh(final float x, final double t) {
    final double du = GELU_C * (1.0 + 3 * 0.044715 * x * x);
    return (float) (0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * du);
  }

  /**
   * GELU forward over [from, to) that also keeps each element's tanh for
   * {@link #geluBackward}: the same bits as {@code GELU.forward} and {@code GELU.backward}, with
   * one StrictMath.tanh per element instead of two.
   */
  public static void geluForward(final float[] x, final float[] y, final double[] tanh, final int from, final int to) {
    for (int i = from; i < to; i++) {
      final double t = geluTanh(x[i]);
      tanh[i] = t;
      y[i] = geluFromTanh(x[i], t);
    }
  }

  /** {@code dx[i] = GELU'(x[i]) * dy[i]} over [from, to) from the tanh values {@link #geluForward} kept. */
  public static void geluBackward(final float[] x, final double[] tanh, final float[] dy, final float[] dx,
      final int from, final int to) {
    for (int i = from; i < to; i++) {
      dx[i] = geluDerivativeFromTanh(x[i], tanh[i]) * dy[i];
    }
  }

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
