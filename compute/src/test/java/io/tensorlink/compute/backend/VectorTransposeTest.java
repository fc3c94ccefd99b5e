package io.tensorlink.compute.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The transposing copy behind GEMM packing against a plain loop: whole 16 × 16 register blocks,
 * gathered leftover columns, leftover rows, offsets, strides wider than the copied region, and
 * nothing written outside it.
 */
class VectorTransposeTest {

  @ParameterizedTest(name = "rows={0} cols={1}")
  @CsvSource({"1,1", "3,70", "16,16", "17,33", "32,48", "47,5", "64,100", "100,64", "15,200"})
  void copiesEveryElementToItsTransposedPlaceAndNothingElse(final int rows, final int cols) {
    final SplittableRandom rnd = new SplittableRandom(rows * 131L + cols);
    final int srcOff = 3;
    final int srcStride = cols + 5;
    final int dstOff = 7;
    final int dstStride = rows + 2;
    final float[] src = new float[srcOff + rows * srcStride];
    for (int i = 0; i < src.length; i++) {
      src[i] = (float) rnd.nextDouble(-1, 1);
    }
    final float[] dst = new float[dstOff + cols * dstStride + 4];
    java.util.Arrays.fill(dst, Float.NaN);
    final float[] expected = dst.clone();
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        expected[dstOff + c * dstStride + r] = src[srcOff + r * srcStride + c];
      }
    }

    VectorTranspose.copy(src, srcOff, srcStride, dst, dstOff, dstStride, rows, cols);

    assertThat(bits(dst)).isEqualTo(bits(expected));
  }

  private static int[] bits(final float[] a) {
    final int[] out = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = Float.floatToRawIntBits(a[i]);
    }
    return out;
  }
}
