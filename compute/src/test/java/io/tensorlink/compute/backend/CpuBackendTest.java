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
}
