package io.tensorlink.compute.backend;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link StrictMath#tanh} with the Vector API, bit for bit: a lane-by-lane transcription of
 * fdlibm's {@code tanh} and the part of its {@code expm1} that tanh reaches (arguments
 * {@code 2|x|} in [2, 44) and {@code −2|x|} in (−2, 0)), every branch computed and the lane's own
 * branch selected. Each step is the same IEEE double operation as in the scalar code (no fused
 * multiply-adds; fdlibm's high-word tests become comparisons of |x|, its exponent arithmetic an
 * exact multiplication by 2^k), so every lane equals StrictMath.tanh;
 * vectors holding NaN, infinities or |x| < 2⁻⁵⁵ go to StrictMath itself. The vector width cannot
 * change the bits; {@code VectorTanhTest} compares against StrictMath across all branches.
 */
final class VectorTanh {
  /** Doubles in a vector of the GEMM's width. */
  static final VectorSpecies<Double> D = VectorSpecies.of(double.class, VectorGemm.S.vectorShape());

  // fdlibm's expm1 constants (java.lang.FdLibm.Expm1)
  private static final double LN2_HI = 0x1.62e42feep-1;
  private static final double LN2_LO = 0x1.a39ef35793c76p-33;
  private static final double INVLN2 = 0x1.71547652b82fep0;
  private static final double Q1 = -0x1.11111111110f4p-5;
  private static final double Q2 = 0x1.a01a019fe5585p-10;
  private static final double Q3 = -0x1.4ce199eaadbb7p-14;
  private static final double Q4 = 0x1.0cfca86e65239p-18;
  private static final double Q5 = -0x1.afdb76e09c32dp-23;

  private VectorTanh() {}

  /** {@code t[i] = StrictMath.tanh(t[i])} over [from, to), in place. */
  static void tanhInPlace(final double[] t, final int from, final int to) {
    int i = from;
    for (final int end = from + D.loopBound(to - from); i < end; i += D.length()) {
      final DoubleVector x = DoubleVector.fromArray(D, t, i);
      final DoubleVector ax = x.abs();
      // fdlibm's own special cases (NaN, ±inf, |x| < 2^-55): not worth vector code
      if (!ax.compare(VectorOperators.GE, 0x1p-55).and(ax.compare(VectorOperators.LT, Double.POSITIVE_INFINITY))
          .allTrue()) {
        for (int j = i; j < i + D.length(); j++) {
          t[j] = StrictMath.tanh(t[j]);
        }
        continue;
      }
      tanh(x, ax).intoArray(t, i);
    }
    for (; i < to; i++) {
      t[i] = StrictMath.tanh(t[i]);
    }
  }

  /**
   * The smallest double whose high word is {@code hi}: fdlibm's tests on the high word of |x|
   * become comparisons of |x| with it ({@code hx >= hi} ⇔ {@code |x| >= atHighWord(hi)}).
   */
  private static double atHighWord(final long hi) {
    return Double.longBitsToDouble(hi << 32);
  }

  private static final double ONE_NEAR = atHighWord(0x3ff0_0000L);
  private static final double SATURATED = atHighWord(0x4036_0000L);
  private static final double HALF_LN2 = atHighWord(0x3fd6_2e42L + 1); // hx > 0x3fd62e42
  private static final double THREE_HALVES_LN2 = atHighWord(0x3FF0_A2B2L); // hx < 0x3ff0a2b2
  /** 1.5·2^52: adding and subtracting it rounds a double below 2^51 to an integer. */
  private static final double ROUNDER = 0x1.8p52;
  private static final long ROUNDER_BITS = Double.doubleToRawLongBits(ROUNDER);

  /** fdlibm tanh for finite lanes with |x| ≥ 2^-55. */
  private static DoubleVector tanh(final DoubleVector x, final DoubleVector ax) {
    final VectorMask<Double> atLeastOne = ax.compare(VectorOperators.GE, ONE_NEAR);
    final VectorMask<Double> saturated = ax.compare(VectorOperators.GE, SATURATED);
    // |x| >= 1: t = expm1(2|x|), z = 1 - 2/(t+2);  |x| < 1: t = expm1(-2|x|), z = -t/(t+2)
    final DoubleVector arg = ax.mul(-2.0).blend(ax.mul(2.0), atLeastOne);
    final DoubleVector t = expm1(arg);
    final DoubleVector tp2 = t.add(2.0);
    final DoubleVector one = DoubleVector.broadcast(D, 1.0);
    final DoubleVector z = t.neg().div(tp2)
        .blend(one.sub(DoubleVector.broadcast(D, 2.0).div(tp2)), atLeastOne)
        .blend(one.sub(1.0e-300), saturated); // |x| >= 22: 1 - tiny
    return z.blend(z.neg(), x.compare(VectorOperators.LT, 0.0));
  }

  /**
   * fdlibm expm1 for x in [2, 44) or (−2, −2^-54] (all that tanh passes it, and a bit more).
   * Double lane operations only (a version with long lanes for k ran in the Vector API's Java
   * fallback): k is kept as an exact double, truncated with the rounding constant, and "add k to
   * the exponent" is a multiplication by the exact power 2^k.
   */
  private static DoubleVector expm1(final DoubleVector x) {
    final DoubleVector ax = x.abs();
    final VectorMask<Double> positive = x.compare(VectorOperators.GE, 0.0);
    final VectorMask<Double> reduced = ax.compare(VectorOperators.GE, HALF_LN2); // |x| > 0.5 ln2
    final VectorMask<Double> near = reduced.and(ax.compare(VectorOperators.LT, THREE_HALVES_LN2)); // k = ±1
    final VectorMask<Double> general = reduced.andNot(near);

    // k = (int)(invln2*x ± 0.5): round to an integer, then step back towards zero where rounding went away from it
    final DoubleVector v = x.mul(INVLN2).add(DoubleVector.broadcast(D, -0.5).blend(0.5, positive));
    final DoubleVector rounded = v.add(ROUNDER).sub(ROUNDER);
    final DoubleVector kTrunc = rounded
        .blend(rounded.sub(1.0), positive.and(rounded.compare(VectorOperators.GT, v)))
        .blend(rounded.add(1.0), positive.not().and(rounded.compare(VectorOperators.LT, v)));
    final DoubleVector k = DoubleVector.zero(D)
        .blend(DoubleVector.broadcast(D, -1.0).blend(1.0, positive), near)
        .blend(kTrunc, general);
    // hi = x - k*ln2_hi, lo = k*ln2_lo;  for k = ±1: hi = x ∓ ln2_hi, lo = ±ln2_lo
    final DoubleVector hi = x.add(LN2_HI).blend(x.sub(LN2_HI), positive).blend(x.sub(kTrunc.mul(LN2_HI)), general);
    final DoubleVector lo = DoubleVector.broadcast(D, -LN2_LO).blend(LN2_LO, positive).blend(kTrunc.mul(LN2_LO), general);
    final DoubleVector xReduced = hi.sub(lo);
    final DoubleVector r = x.blend(xReduced, reduced);
    final DoubleVector c = DoubleVector.zero(D).blend(hi.sub(xReduced).sub(lo), reduced);

    // x is now in the primary range
    final DoubleVector hfx = r.mul(0.5);
    final DoubleVector hxs = r.mul(hfx);
    final DoubleVector r1 = hxs.mul(hxs.mul(hxs.mul(hxs.mul(hxs.mul(Q5).add(Q4)).add(Q3)).add(Q2)).add(Q1)).add(1.0);
    final DoubleVector t3 = DoubleVector.broadcast(D, 3.0).sub(r1.mul(hfx));
    final DoubleVector e = hxs.mul(r1.sub(t3).div(DoubleVector.broadcast(D, 6.0).sub(r.mul(t3))));
    final DoubleVector resultK0 = r.sub(r.mul(e).sub(hxs));
    final DoubleVector e2 = r.mul(e.sub(c)).sub(c).sub(hxs);
    final DoubleVector resultKm1 = r.sub(e2).mul(0.5).sub(0.5);
    final DoubleVector resultK1 = DoubleVector.broadcast(D, 1.0).add(r.sub(e2).mul(2.0))
        .blend(e2.sub(r.add(0.5)).mul(-2.0), r.compare(VectorOperators.LT, -0.25));
    // 2^k and 2^-k from k's integer bits (k + 1.5·2^52 holds k in its low bits)
    final LongVector kBits = k.add(ROUNDER).reinterpretAsLongs().sub(ROUNDER_BITS);
    final DoubleVector twoK = kBits.add(0x3ffL).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
    final DoubleVector twoMinusK = kBits.neg().add(0x3ffL).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
    // k <= -2 || k > 56: y = 1 - (e - x), exponent + k, minus 1
    final DoubleVector resultFar = DoubleVector.broadcast(D, 1.0).sub(e2.sub(r)).mul(twoK).sub(1.0);
    // 1 < k < 20: t = 1 - 2^-k (exact), y = t - (e - x), exponent + k
    final DoubleVector resultMid = DoubleVector.broadcast(D, 1.0).sub(twoMinusK).sub(e2.sub(r)).mul(twoK);
    // 20 <= k <= 56: t = 2^-k, y = x - (e + t) + 1, exponent + k
    final DoubleVector resultHigh = r.sub(e2.add(twoMinusK)).add(1.0).mul(twoK);

    final VectorMask<Double> far = k.compare(VectorOperators.LE, -2.0).or(k.compare(VectorOperators.GT, 56.0));
    final VectorMask<Double> mid = k.compare(VectorOperators.GT, 1.0).and(k.compare(VectorOperators.LT, 20.0));
    final VectorMask<Double> high = k.compare(VectorOperators.GE, 20.0).and(k.compare(VectorOperators.LE, 56.0));
    return resultK0
        .blend(resultKm1, k.compare(VectorOperators.EQ, -1.0))
        .blend(resultK1, k.compare(VectorOperators.EQ, 1.0))
        .blend(resultFar, far)
        .blend(resultMid, mid)
        .blend(resultHigh, high);
  }
}
