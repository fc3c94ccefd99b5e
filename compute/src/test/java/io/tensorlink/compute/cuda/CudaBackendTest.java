package io.tensorlink.compute.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tensorlink.compute.backend.Activation;
import io.tensorlink.compute.backend.Conv2dShape;
import io.tensorlink.compute.backend.CpuBackend;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The GPU kernels against the CPU backend; runs only where a CUDA device is usable. */
class CudaBackendTest {

  private static CudaBackend gpu;
  private static CpuBackend cpu;

  @BeforeAll
  static void open() {
    final Optional<String> reason = CudaProbe.unavailableReason();
    if (reason.isPresent()) {
      System.out.println("CudaBackendTest skipped: " + reason.get());
    }
    assumeTrue(reason.isEmpty(), () -> "no CUDA device: " + reason.orElse(""));
    gpu = new CudaBackend(0, CpuBackend.withThreads(1));
    cpu = CpuBackend.withThreads(1);
  }

  @AfterAll
  static void close() {
    if (gpu != null) {
      gpu.close();
      cpu.close();
    }
  }

  private static float[] random(final long seed, final int n) {
    final SplittableRandom r = new SplittableRandom(seed);
    final float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) r.nextDouble(-1, 1);
    }
    return x;
  }

  private static void assertClose(final float[] expected, final float[] actual, final double relTol) {
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < expected.length; i++) {
      diff += (expected[i] - actual[i]) * (double) (expected[i] - actual[i]);
      norm += expected[i] * (double) expected[i];
    }
    assertThat(Math.sqrt(diff / Math.max(norm, 1e-30))).isLessThan(relTol);
  }

  @Test
  void gemmMatchesCpuInEveryTransposeAndAccumulateMode() {
    final int m = 37;
    final int n = 53;
    final int k = 129;
    for (final boolean ta : new boolean[] {false, true}) {
      for (final boolean tb : new boolean[] {false, true}) {
        for (final boolean acc : new boolean[] {false, true}) {
          final float[] a = random(1, m * k + 3);
          final float[] b = random(2, k * n + 5);
          final float[] c0 = random(3, m * n + 7);
          final float[] expected = c0.clone();
          final float[] actual = c0.clone();
          cpu.gemm(ta, tb, m, n, k, a, 3, b, 5, expected, 7, acc);
          gpu.gemm(ta, tb, m, n, k, a, 3, b, 5, actual, 7, acc);
          assertClose(expected, actual, 1e-5);
          assertThat(actual[0]).isEqualTo(c0[0]); // before the offset: untouched
        }
      }
    }
  }

  @Test
  void activationsAndSoftmaxMatchCpu() {
    final float[] x = random(4, 1000);
    final float[] dy = random(5, 1000);
    for (final Activation act : Activation.values()) {
      final float[] ye = new float[1000];
      final float[] ya = new float[1000];
      cpu.activationForward(act, x, ye, 1000);
      gpu.activationForward(act, x, ya, 1000);
      assertClose(ye, ya, 1e-5);
      cpu.activationBackward(act, x, dy, ye, 1000);
      gpu.activationBackward(act, x, dy, ya, 1000);
      assertClose(ye, ya, 1e-5);
    }
    final float[] se = new float[1000];
    final float[] sa = new float[1000];
    cpu.softmaxRows(x, se, 10, 100);
    gpu.softmaxRows(x, sa, 10, 100);
    assertClose(se, sa, 1e-5);
  }

  @Test
  void convolutionForwardAndBackwardMatchCpu() {
    final Conv2dShape s = new Conv2dShape(4, 3, 12, 12, 8, 3, 1, 1);
    final float[] x = random(6, s.inputSize());
    final float[] w = random(7, s.weightSize());
    final float[] bias = random(8, s.outChannels());
    final float[] dy = random(9, s.outputSize());
    final float[] ye = new float[s.outputSize()];
    final float[] ya = new float[s.outputSize()];
    cpu.conv2dForward(s, x, w, bias, ye);
    gpu.conv2dForward(s, x, w, bias, ya);
    assertClose(ye, ya, 1e-5);
    final float[] dxe = new float[s.inputSize()];
    final float[] dxa = new float[s.inputSize()];
    final float[] dwe = new float[s.weightSize()];
    final float[] dwa = new float[s.weightSize()];
    final float[] dbe = new float[s.outChannels()];
    final float[] dba = new float[s.outChannels()];
    cpu.conv2dBackward(s, x, w, dy, dxe, dwe, dbe);
    gpu.conv2dBackward(s, x, w, dy, dxa, dwa, dba);
    assertClose(dxe, dxa, 1e-5);
    assertClose(dwe, dwa, 1e-5);
    assertClose(dbe, dba, 1e-5);
  }
}
