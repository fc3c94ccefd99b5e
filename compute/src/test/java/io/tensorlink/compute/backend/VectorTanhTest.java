package io.tensorlink.compute.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorTanh} equals {@link StrictMath#tanh} bit for bit: on 700,000 random inputs
 * spread log-uniformly over every branch of fdlibm's tanh and expm1 (|x| from 2⁻⁶⁰ to 2⁶, both
 * signs), on the branch boundaries and their neighbours, and on the special values, placed at
 * every lane position and in the scalar tail.
 */
class VectorTanhTest {

  @Test
  void randomInputsOverEveryBranch() {
    final SplittableRandom rnd = new SplittableRandom(42);
    final double[] x = new double[400_003];
    for (int i = 0; i < x.length; i++) {
      final double magnitude = Math.pow(2, rnd.nextDouble(-60, 6));
      x[i] = rnd.nextBoolean() ? magnitude : -magnitude;
    }
    assertMatchesStrictMath(x);
  }

  @Test
  void geluRangeDenselySampled() {
    // GELU's tanh argument for activations within ±8 (where almost all of them are)
    final SplittableRandom rnd = new SplittableRandom(7);
    final double[] x = new double[300_001];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextDouble(-25, 25);
    }
    assertMatchesStrictMath(x);
  }

  @Test
  void branchBoundariesAndSpecialValues() {
    final List<Double> v = new ArrayList<>();
    // tanh: 2^-55, 1, 22; expm1 (argument 2|x|): 0.5 ln2, 1.5 ln2, 56 ln2 and each k = round(2|x|/ln2) step
    final List<Double> edges = new ArrayList<>(List.of(0x1p-55, 1.0, 22.0, 0.25 * Math.log(2), 0.75 * Math.log(2),
        28 * Math.log(2), 0.5, 0.125));
    for (int k = -4; k <= 64; k++) {
      edges.add((k + 0.5) * Math.log(2) / 2);
    }
    for (final double e : edges) {
      double a = e;
      double b = e;
      for (int i = 0; i < 4; i++) {
        v.add(a);
        v.add(-a);
        v.add(b);
        v.add(-b);
        a = Math.nextUp(a);
        b = Math.nextDown(b);
      }
    }
    for (final double s : new double[] {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 1e-300, 1e300, 30, -30}) {
      v.add(s);
    }
    final double[] x = v.stream().mapToDouble(Double::doubleValue).toArray();
    // every value at every lane position, next to ordinary lanes
    for (int shift = 0; shift < VectorTanh.D.length() + 1; shift++) {
      final double[] shifted = new double[x.length + shift];
      java.util.Arrays.fill(shifted, 0.3);
      System.arraycopy(x, 0, shifted, shift, x.length);
      assertMatchesStrictMath(shifted);
    }
  }

  private static void assertMatchesStrictMath(final double[] x) {
    final double[] t = x.clone();
    VectorTanh.tanhInPlace(t, 0, t.length);
    int mismatches = 0;
    String first = null;
    for (int i = 0; i < x.length; i++) {
      final long expected = Double.doubleToRawLongBits(StrictMath.tanh(x[i]));
      if (Double.doubleToRawLongBits(t[i]) != expected) {
        if (first == null) {
          first = "tanh(" + x[i] + ") = " + t[i] + ", StrictMath " + StrictMath.tanh(x[i]);
        }
        mismatches++;
      }
    }
    assertThat(mismatches).as("mismatches, first: %s", first).isZero();
  }
}
