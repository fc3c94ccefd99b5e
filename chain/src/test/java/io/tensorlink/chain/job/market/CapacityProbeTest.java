package io.tensorlink.chain.job.market;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.compute.backend.CpuBackend;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The probe times the engine's own GEMM after a warm-up, within its budget. */
class CapacityProbeTest {
  @Test
  void measuresGemmThroughputMemoryAndKeepsTheDeclaredLink() {
    try (CpuBackend backend = CpuBackend.withThreads(1)) {
      final long t0 = System.nanoTime();
      final Capacity c = CapacityProbe.measure(backend, Duration.ofMillis(800), 250);
      final Duration took = Duration.ofNanos(System.nanoTime() - t0);
      System.out.printf("capacity probe, 1 thread, 0.8 s budget: %,d MFLOP/s (took %d ms)%n", c.mflops(),
          took.toMillis());
      // A 256³ product is 33.5 MFLOP; even a slow shared core does it in well under a second.
      assertThat(c.mflops()).isGreaterThan(100);
      assertThat(c.memoryBytes()).isEqualTo(Runtime.getRuntime().maxMemory());
      assertThat(c.linkMbps()).isEqualTo(250);
      assertThat(took).isLessThan(Duration.ofSeconds(5));
    }
  }
}
