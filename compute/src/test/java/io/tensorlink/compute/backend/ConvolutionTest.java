package io.tensorlink.compute.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Convolution forward and backward against plain loops written from the canonical order (compute/README.md):
 * y is the fma chain over the patch elements plus the bias, dW the fma chain over (image, position), dcol the fma
 * chain over output channels, every dx element the float sum of its positions in increasing order, dbias the float
 * sum over (image, position). Bit for bit, for 1/2/4 threads × SIMD on/off, on geometries that take each im2col path
 * (stride 1 with rows as wide as the input, stride 1 without, stride 2) and on one whose batch spans several chunks.
 */
class ConvolutionTest {

  static Stream<Conv2dShape> shapes() {
    return Stream.of(
        new Conv2dShape(3, 1, 12, 12, 4, 3, 1, 1),
        new Conv2dShape(2, 3, 9, 7, 5, 3, 2, 1),
        new Conv2dShape(2, 2, 8, 8, 3, 5, 1, 0),
        new Conv2dShape(2, 2, 6, 5, 3, 3, 1, 2),
        // 72 × 1024 floats of patches per image: three images per chunk, chunks of 3, 3 and 1.
        new Conv2dShape(7, 8, 32, 32, 8, 3, 1, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shapes")
  void forwardAndBackwardAreTheCanonicalChainsBitForBit(final Conv2dShape s) {
    final SplittableRandom rnd = new SplittableRandom(s.hashCode());
    final float[] x = random(rnd, s.inputSize());
    final float[] w = random(rnd, s.weightSize());
    final float[] bias = random(rnd, s.outChannels());
    final float[] dy = random(rnd, s.outputSize());
    final Reference ref = new Reference(s, x, w, bias, dy);
    if (s.batch() == 7) {
      assertThat(Im2colConvolution.imagesPerChunk(s)).isEqualTo(3);
    }
    for (final int threads : new int[] {1, 2, 4}) {
      for (final boolean simd : new boolean[] {true, false}) {
        try (CpuBackend be = new CpuBackend(new CpuBackend.Options(threads, simd))) {
          final String config = "threads=" + threads + " simd=" + simd;
          final float[] y = new float[s.outputSize()];
          be.conv2dForward(s, x, w, bias, y);
          assertThat(bits(y)).as("y, %s", config).isEqualTo(bits(ref.y));
          final float[] dx = new float[s.inputSize()];
          final float[] dw = new float[s.weightSize()];
          final float[] dbias = new float[s.outChannels()];
          be.conv2dBackward(s, x, w, dy, dx, dw, dbias);
          assertThat(bits(dx)).as("dx, %s", config).isEqualTo(bits(ref.dx));
          assertThat(bits(dw)).as("dw, %s", config).isEqualTo(bits(ref.dw));
          assertThat(bits(dbias)).as("dbias, %s", config).isEqualTo(bits(ref.dbias));
          // The first layer needs no input gradient: dW must not depend on whether dx is asked for.
          final float[] dwOnly = new float[s.weightSize()];
          be.conv2dBackward(s, x, w, dy, null, dwOnly, null);
          assertThat(bits(dwOnly)).as("dw without dx, %s", config).isEqualTo(bits(ref.dw));
        }
      }
    }
  }

  /** The canonical results, one element at a time. */
  private static final class Reference {
    final float[] y;
    final float[] dw;
    final float[] dbias;
    final float[] dx;

    Reference(final Conv2dShape s, final float[] x, final float[] w, final float[] bias, final float[] dy) {
      final int q = s.patch();
      final int o = s.outChannels();
      final int p = s.positions();
      y = new float[s.outputSize()];
      dw = new float[s.weightSize()];
      dbias = new float[o];
      dx = new float[s.inputSize()];
      final float[] dcol = new float[s.batch() * q * p];
      for (int n = 0; n < s.batch(); n++) {
        for (int oc = 0; oc < o; oc++) {
          for (int pos = 0; pos < p; pos++) {
            float acc = 0f;
            for (int e = 0; e < q; e++) {
              acc = Math.fma(w[oc * q + e], patch(s, x, n, e, pos), acc);
            }
            y[(n * o + oc) * p + pos] = acc + bias[oc];
          }
        }
        for (int e = 0; e < q; e++) {
          for (int pos = 0; pos < p; pos++) {
            float acc = 0f;
            for (int oc = 0; oc < o; oc++) {
              acc = Math.fma(w[oc * q + e], dy[(n * o + oc) * p + pos], acc);
            }
            dcol[(n * q + e) * p + pos] = acc;
          }
        }
      }
      for (int oc = 0; oc < o; oc++) {
        float sum = 0f;
        for (int n = 0; n < s.batch(); n++) {
          for (int pos = 0; pos < p; pos++) {
            sum += dy[(n * o + oc) * p + pos];
          }
        }
        dbias[oc] = sum;
        for (int e = 0; e < q; e++) {
          float acc = 0f;
          for (int n = 0; n < s.batch(); n++) {
            for (int pos = 0; pos < p; pos++) {
              acc = Math.fma(dy[(n * o + oc) * p + pos], patch(s, x, n, e, pos), acc);
            }
          }
          dw[oc * q + e] = acc;
        }
      }
      final int k = s.kernel();
      for (int n = 0; n < s.batch(); n++) {
        for (int ch = 0; ch < s.inChannels(); ch++) {
          for (int iy = 0; iy < s.height(); iy++) {
            for (int ix = 0; ix < s.width(); ix++) {
              float sum = 0f;
              for (int pos = 0; pos < p; pos++) {
                final int ky = iy - pos / s.outWidth() * s.stride() + s.padding();
                final int kx = ix - pos % s.outWidth() * s.stride() + s.padding();
                if (ky >= 0 && ky < k && kx >= 0 && kx < k) {
                  sum += dcol[(n * q + (ch * k + ky) * k + kx) * p + pos];
                }
              }
              dx[((n * s.inChannels() + ch) * s.height() + iy) * s.width() + ix] = sum;
            }
          }
        }
      }
    }

    /** Patch element e of output position pos of image n: an input value, or 0 in the padding. */
    private static float patch(final Conv2dShape s, final float[] x, final int n, final int e, final int pos) {
      final int k = s.kernel();
      final int ch = e / (k * k);
      final int iy = pos / s.outWidth() * s.stride() - s.padding() + e / k % k;
      final int ix = pos % s.outWidth() * s.stride() - s.padding() + e % k;
      if (iy < 0 || iy >= s.height() || ix < 0 || ix >= s.width()) {
        return 0f;
      }
      return x[((n * s.inChannels() + ch) * s.height() + iy) * s.width() + ix];
    }
  }

  private static float[] random(final SplittableRandom rnd, final int n) {
    final float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rnd.nextDouble(-1, 1);
    }
    return v;
  }

  private static int[] bits(final float[] v) {
    final int[] b = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = Float.floatToRawIntBits(v[i]);
    }
    return b;
  }
}
