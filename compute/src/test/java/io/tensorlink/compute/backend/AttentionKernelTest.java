package io.tensorlink.compute.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The attention core's canonical order: {@link CpuBackend} (1/2/4 threads, SIMD on and off) and
 * the {@link Backend} default path (one pair after the other on the backend's parallel GEMM) give
 * the bits of a plain loop written from the definition in {@link AttentionKernel}'s doc: fma
 * chains over the causal range up to the end of the query row's block of {@link AttentionKernel#ROWS}.
 * Shapes cover one token, one head, head widths that are not a multiple of any vector width,
 * T not a multiple of the block, and several blocks.
 */
class AttentionKernelTest {

  static Stream<Arguments> shapes() {
    return Stream.of(
        Arguments.of(2, 1, 6, 3), Arguments.of(1, 7, 5, 1), Arguments.of(2, 19, 8, 2), Arguments.of(1, 33, 12, 3),
        Arguments.of(3, 16, 16, 4), Arguments.of(1, 40, 64, 2),
        // three backward key blocks, the last one ragged
        Arguments.of(1, 70, 8, 1));
  }

  @ParameterizedTest(name = "B={0} T={1} C={2} H={3}")
  @MethodSource("shapes")
  void everyPathGivesTheCanonicalBits(final int batch, final int tokens, final int dim, final int heads) {
    final AttentionShape s = new AttentionShape(batch, tokens, dim, heads);
    final SplittableRandom rnd = new SplittableRandom(batch * 1000L + tokens * 10L + dim + heads);
    final float[] qkv = random(rnd, batch * tokens * 3 * dim, 2f);
    final float[] dout = random(rnd, batch * tokens * dim, 1f);
    final float[] att = new float[batch * heads * tokens * tokens];
    final float[] out = new float[batch * tokens * dim];
    final float[] dqkv = new float[qkv.length];
    referenceForward(s, qkv, att, out);
    referenceBackward(s, qkv, att, dout, dqkv);
    for (final int threads : new int[] {1, 2, 4}) {
      for (final boolean simd : new boolean[] {true, false}) {
        try (CpuBackend cpu = new CpuBackend(new CpuBackend.Options(threads, simd))) {
          assertSameBits(cpu, s, qkv, dout, att, out, dqkv, "threads=" + threads + " simd=" + simd);
          assertSameBits(new GemmOnly(cpu), s, qkv, dout, att, out, dqkv, "default path, threads=" + threads);
        }
      }
    }
  }

  @Test
  void probabilitiesAreCausalAndRowsSumToOne() {
    final AttentionShape s = new AttentionShape(2, 21, 8, 2);
    final float[] qkv = random(new SplittableRandom(5), 2 * 21 * 24, 3f);
    final float[] att = new float[2 * 2 * 21 * 21];
    java.util.Arrays.fill(att, Float.NaN); // every element must be written, zeros included
    try (CpuBackend cpu = CpuBackend.withThreads(2)) {
      cpu.attentionForward(s, qkv, att, new float[2 * 21 * 8]);
    }
    for (int r = 0; r < 2 * 2 * 21; r++) {
      final int i = r % 21;
      double sum = 0;
      for (int j = 0; j < 21; j++) {
        final float p = att[r * 21 + j];
        if (j > i) {
          assertThat(Float.floatToRawIntBits(p)).as("row %d col %d above the diagonal", r, j).isZero();
        } else {
          assertThat(p).isBetween(0f, 1f);
          sum += p;
        }
      }
      assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }
  }

  private static void assertSameBits(final Backend be, final AttentionShape s, final float[] qkv, final float[] dout,
      final float[] att, final float[] out, final float[] dqkv, final String what) {
    final float[] a = new float[att.length];
    final float[] o = new float[out.length];
    final float[] g = new float[dqkv.length];
    be.attentionForward(s, qkv, a, o);
    be.attentionBackward(s, qkv, a, dout, g);
    assertThat(bits(a)).as("att, %s", what).isEqualTo(bits(att));
    assertThat(bits(o)).as("out, %s", what).isEqualTo(bits(out));
    assertThat(bits(g)).as("dqkv, %s", what).isEqualTo(bits(dqkv));
  }

  /** The end (exclusive) of query row i's block: chains of o and dq run over j below it. */
  private static int blockEnd(final int i, final int t) {
    return Math.min(t, (i / AttentionKernel.ROWS + 1) * AttentionKernel.ROWS);
  }

  private static float q(final AttentionShape s, final float[] qkv, final int b, final int h, final int part,
      final int i, final int e) {
    return qkv[(b * s.tokens() + i) * 3 * s.dim() + part * s.dim() + h * s.headDim() + e];
  }

  private static void referenceForward(final AttentionShape s, final float[] qkv, final float[] att, final float[] out) {
    final int t = s.tokens();
    final int d = s.headDim();
    for (int b = 0; b < s.batch(); b++) {
      for (int h = 0; h < s.heads(); h++) {
        final int ab = (b * s.heads() + h) * t * t;
        for (int i = 0; i < t; i++) {
          final float[] row = new float[i + 1];
          for (int j = 0; j <= i; j++) {
            float acc = 0f;
            for (int e = 0; e < d; e++) {
              acc = Math.fma(q(s, qkv, b, h, 0, i, e), q(s, qkv, b, h, 1, j, e), acc);
            }
            row[j] = acc * s.scale();
          }
          Softmax.row(row, row, 0, i + 1);
          System.arraycopy(row, 0, att, ab + i * t, i + 1);
          for (int e = 0; e < d; e++) {
            float acc = 0f;
            for (int j = 0; j < blockEnd(i, t); j++) {
              acc = Math.fma(att[ab + i * t + j], q(s, qkv, b, h, 2, j, e), acc);
            }
            out[(b * t + i) * s.dim() + h * d + e] = acc;
          }
        }
      }
    }
  }

  private static void referenceBackward(final AttentionShape s, final float[] qkv, final float[] att,
      final float[] dout, final float[] dqkv) {
    final int t = s.tokens();
    final int d = s.headDim();
    final int c = s.dim();
    for (int b = 0; b < s.batch(); b++) {
      for (int h = 0; h < s.heads(); h++) {
        final int ab = (b * s.heads() + h) * t * t;
        final float[] ds = new float[t * t];
        for (int i = 0; i < t; i++) {
          final float[] dp = new float[i + 1];
          for (int j = 0; j <= i; j++) {
            float acc = 0f;
            for (int e = 0; e < d; e++) {
              acc = Math.fma(dout[(b * t + i) * c + h * d + e], q(s, qkv, b, h, 2, j, e), acc);
            }
            dp[j] = acc;
          }
          float dot = 0f;
          for (int j = 0; j <= i; j++) {
            dot += att[ab + i * t + j] * dp[j];
          }
          for (int j = 0; j <= i; j++) {
            ds[i * t + j] = att[ab + i * t + j] * (dp[j] - dot) * s.scale();
          }
        }
        for (int i = 0; i < t; i++) {
          final int row = (b * t + i) * 3 * c + h * d;
          for (int e = 0; e < d; e++) {
            float dq = 0f;
            for (int j = 0; j < blockEnd(i, t); j++) {
              dq = Math.fma(ds[i * t + j], q(s, qkv, b, h, 1, j, e), dq);
            }
            float dk = 0f;
            float dv = 0f;
            for (int r = 0; r < t; r++) {
              dk = Math.fma(ds[r * t + i], q(s, qkv, b, h, 0, r, e), dk);
              dv = Math.fma(att[ab + r * t + i], dout[(b * t + r) * c + h * d + e], dv);
            }
            dqkv[row + e] = dq;
            dqkv[row + c + e] = dk;
            dqkv[row + 2 * c + e] = dv;
          }
        }
      }
    }
  }

  /** A backend with only GEMM and parallelFor of its own: attention runs the interface's default. */
  private record GemmOnly(CpuBackend cpu) implements Backend {
    @Override
    public String name() {
      return "gemm-only";
    }

    @Override
    public void gemm(final boolean transA, final boolean transB, final int m, final int n, final int k,
        final float[] a, final int aOff, final float[] b, final int bOff, final float[] c, final int cOff,
        final boolean accumulate) {
      cpu.gemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
    }

    @Override
    public void parallelFor(final int count, final RangeBody body) {
      cpu.parallelFor(count, body);
    }

    @Override
    public void close() {}
  }

  private static float[] random(final SplittableRandom rnd, final int n, final float scale) {
    final float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) rnd.nextDouble(-scale, scale);
    }
    return x;
  }

  private static int[] bits(final float[] x) {
    final int[] b = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      b[i] = Float.floatToRawIntBits(x[i]);
    }
    return b;
  }
}
