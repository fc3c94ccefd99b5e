package io.tensorlink.compute.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * GEMM against a float64 reference, and the canonical-order contract: vector and scalar paths,
 * 1/2/4 threads, every transpose and ragged shapes (tails in rows and columns, k not a multiple
 * of the k-block) all give the same bits as a plain Math.fma loop.
 */
class GemmTest {

  static Stream<Arguments> shapes() {
    return Stream.of(
        Arguments.of(1, 1, 1), Arguments.of(7, 5, 3), Arguments.of(13, 17, 9), Arguments.of(6, 32, 256),
        Arguments.of(25, 47, 300), Arguments.of(128, 10, 64), Arguments.of(3, 1024, 20), Arguments.of(64, 100, 600),
        Arguments.of(12, 40, 1024), Arguments.of(9, 300, 70),
        // several packed groups of B panels (512 columns each) with a ragged last panel; a narrow n
        // that the transposed-B path puts on the rows.
        Arguments.of(11, 1100, 40), Arguments.of(32, 9, 700),
        // large enough for more chunks than threads (claimed as threads come free)
        Arguments.of(200, 330, 300));
  }

  @ParameterizedTest(name = "m={0} n={1} k={2}")
  @MethodSource("shapes")
  void everyPathMatchesThePlainFmaChainBitForBit(final int m, final int n, final int k) {
    final SplittableRandom rnd = new SplittableRandom(m * 31L + n * 7L + k);
    final float[] a = random(rnd, m * k + 3);
    final float[] b = random(rnd, k * n + 5);
    final float[] c0 = random(rnd, m * n + 2);
    for (final boolean ta : new boolean[] {false, true}) {
      for (final boolean tb : new boolean[] {false, true}) {
        for (final boolean acc : new boolean[] {false, true}) {
          final float[] expected = c0.clone();
          reference(ta, tb, m, n, k, a, 3, b, 5, expected, 2, acc);
          for (final int threads : new int[] {1, 2, 4}) {
            for (final boolean simd : new boolean[] {true, false}) {
              final float[] c = c0.clone();
              try (CpuBackend be = new CpuBackend(new CpuBackend.Options(threads, simd))) {
                be.gemm(ta, tb, m, n, k, a, 3, b, 5, c, 2, acc);
              }
              assertThat(bits(c)).as("ta=%s tb=%s acc=%s threads=%d simd=%s", ta, tb, acc, threads, simd)
                  .isEqualTo(bits(expected));
            }
          }
        }
      }
    }
  }

  @Test
  void resultIsCloseToFloat64Product() {
    final int m = 37;
    final int n = 53;
    final int k = 700;
    final SplittableRandom rnd = new SplittableRandom(5);
    final float[] a = random(rnd, m * k);
    final float[] b = random(rnd, k * n);
    final float[] c = new float[m * n];
    try (CpuBackend be = CpuBackend.withThreads(2)) {
      be.gemm(false, false, m, n, k, a, 0, b, 0, c, 0, false);
    }
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        double mag = 0;
        for (int p = 0; p < k; p++) {
          s += (double) a[i * k + p] * b[p * n + j];
          mag += Math.abs((double) a[i * k + p] * b[p * n + j]);
        }
        assertThat(Math.abs(c[i * n + j] - s)).isLessThanOrEqualTo(1e-6 * mag);
      }
    }
  }

  @Test
  void operandTooShortIsRejectedNamingTheOperand() {
    try (CpuBackend be = CpuBackend.withThreads(1)) {
      assertThatThrownBy(() -> be.gemm(false, true, 2, 3, 4, new float[8], 0, new float[11], 0, new float[6], 0, false))
          .hasMessageContaining("operand Bᵀ needs 12 elements");
    }
  }

  /** The definition: C[i,j] = fma chain over p increasing, from 0 or the old C. */
  static void reference(final boolean ta, final boolean tb, final int m, final int n, final int k, final float[] a,
      final int ao, final float[] b, final int bo, final float[] c, final int co, final boolean acc) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float s = acc ? c[co + i * n + j] : 0f;
        for (int p = 0; p < k; p++) {
          final float av = ta ? a[ao + p * m + i] : a[ao + i * k + p];
          final float bv = tb ? b[bo + j * k + p] : b[bo + p * n + j];
          s = Math.fma(av, bv, s);
        }
        c[co + i * n + j] = s;
      }
    }
  }

  static float[] random(final SplittableRandom rnd, final int n) {
    final float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = (float) rnd.nextDouble(-1, 1);
    }
    return f;
  }

  static int[] bits(final float[] f) {
    final int[] b = new int[f.length];
    for (int i = 0; i < f.length; i++) {
      b[i] = Float.floatToRawIntBits(f[i]);
    }
    return b;
  }
}
