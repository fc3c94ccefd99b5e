package io.tensorlink.compute.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class CpuBackendTest {

  @Test
  void parallelForVisitsEveryIndexExactlyOnceForAnyThreadCount() {
    for (final int threads : new int[] {1, 2, 3, 4}) {
      try (CpuBackend be = CpuBackend.withThreads(threads)) {
        for (final int count : new int[] {0, 1, 2, 7, 1000}) {
          final AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(1, count));
          for (int round = 0; round < 50; round++) {
            be.parallelFor(count, (from, to) -> {
              for (int i = from; i < to; i++) {
                hits.incrementAndGet(i);
              }
            });
          }
          for (int i = 0; i < count; i++) {
            assertThat(hits.get(i)).as("threads=%d count=%d index=%d", threads, count, i).isEqualTo(50);
          }
        }
      }
    }
  }

  @Test
  void aFailingChunkSurfacesInTheCallerAndThePoolStaysUsable() {
    try (CpuBackend be = CpuBackend.withThreads(3)) {
      assertThatThrownBy(() -> be.parallelFor(30, (from, to) -> {
        if (from > 0) {
          throw new IllegalStateException("chunk starting at " + from + " failed");
        }
      })).isInstanceOf(IllegalStateException.class).hasMessageContaining("failed");
      final int[] sum = new int[1];
      be.parallelFor(1, (from, to) -> sum[0] += to - from);
      assertThat(sum[0]).isEqualTo(1);
    }
  }

  @Test
  void closedBackendRejectsWorkAndCloseIsIdempotent() {
    final CpuBackend be = CpuBackend.withThreads(2);
    be.close();
    be.close();
    assertThatThrownBy(() -> be.parallelFor(10, (from, to) -> { }))
        .hasMessageContaining("closed");
  }

  @Test
  void invalidThreadCountIsRejected() {
    assertThatThrownBy(() -> new CpuBackend.Options(0, true)).hasMessageContaining("threads must be in [1, 1024], got 0");
  }

  @Test
  void activationsUseTheDocumentedFormulas() {
    assertThat(Activation.RELU.forward(-2f)).isEqualTo(0f);
    assertThat(Activation.TANH.forward(0.5f)).isEqualTo((float) StrictMath.tanh(0.5));
    assertThat((double) Activation.GELU.forward(1f)).isCloseTo(0.8411920, org.assertj.core.data.Offset.offset(1e-6));
    final float[] x = {-1f, 0f, 2f};
    final float[] dy = {-3f, 4f, 5f};
    final float[] dx = new float[3];
    Activation.RELU.backward(x, dy, dx, 0, 3);
    for (int i = 0; i < 3; i++) {
      assertThat(Float.floatToRawIntBits(dx[i])).isEqualTo(Float.floatToRawIntBits(Activation.RELU.derivative(x[i]) * dy[i]));
    }
  }

  @Test
  void geluWithKeptTanhGivesTheBitsOfForwardAndDerivative() {
    final java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
    final float[] x = new float[1000];
    final float[] special = {0f, -0f, 1e-30f, -1e-30f, 30f, -30f, 4.5f, -4.5f, Float.NaN, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.MIN_VALUE};
    System.arraycopy(special, 0, x, 0, special.length);
    for (int i = special.length; i < x.length; i++) {
      x[i] = (float) (rnd.nextGaussian() * 3);
    }
    final float[] dy = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      dy[i] = (float) rnd.nextGaussian();
    }
    final float[] y = new float[x.length];
    final double[] tanh = new double[x.length];
    final float[] dx = new float[x.length];
    Activation.geluForward(x, y, tanh, 0, x.length);
    Activation.geluBackward(x, tanh, dy, dx, 0, x.length);
    final float[] y0 = new float[x.length];
    final float[] dx0 = new float[x.length];
    Activation.GELU.forward(x, y0, 0, x.length);
    Activation.GELU.backward(x, dy, dx0, 0, x.length);
    for (int i = 0; i < x.length; i++) {
      assertThat(Float.floatToRawIntBits(y[i])).as("gelu(%s)", x[i]).isEqualTo(Float.floatToRawIntBits(y0[i]));
      assertThat(Float.floatToRawIntBits(dx[i])).as("gelu'(%s)", x[i]).isEqualTo(Float.floatToRawIntBits(dx0[i]));
      // the definition as written before the tanh was kept (docs/compute-determinism.md, GELU)
      final double u = 0.7978845608028654 * (x[i] + 0.044715 * x[i] * x[i] * x[i]);
      final double t = StrictMath.tanh(u);
      final float definition = (float) (0.5 * x[i] * (1.0 + t));
      final float derivative = (float) (0.5 * (1.0 + t)
          + 0.5 * x[i] * (1.0 - t * t) * (0.7978845608028654 * (1.0 + 3 * 0.044715 * x[i] * x[i])));
      assertThat(Float.floatToRawIntBits(y[i])).isEqualTo(Float.floatToRawIntBits(definition));
      assertThat(Float.floatToRawIntBits(dx[i])).isEqualTo(Float.floatToRawIntBits(derivative * dy[i]));
    }
  }
}
