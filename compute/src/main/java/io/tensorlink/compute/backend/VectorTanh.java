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
 * multiply-adds, exponent arithmetic on the bit patterns), so every lane equals StrictMath.tanh;
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
      final LongVector ix = highWord(x);
      // fdlibm's own special cases (NaN, ±inf, |x| < 2^-55): not worth vector code
      if (!ix.compare(VectorOperators.GE, 0x3c80_0000L).and(ix.compare(VectorOperators.LT, 0x7ff0_0000L)).allTrue()) {
        for (int j = i; j < i + D.length(); j++) {
          t[j] = StrictMath.tanh(t[j]);
        }
        continue;
      }
      tanh(x, ix).intoArray(t, i);
    }
    for (; i < to; i++) {
      t[i] = StrictMath.tanh(t[i]);
    }
  }

  /** High word of |x| (fdlibm's {@code __HI(x) & 0x7fffffff}) per lane. */
  private static LongVector highWord(final DoubleVector x) {
    return x.reinterpretAsLongs().lanewise(VectorOperators.LSHR, 32).and(0x7fff_ffffL);
  }

  /** fdlibm tanh for finite lanes with |x| ≥ 2^-55. */
  private static DoubleVector tanh(final DoubleVector x, final LongVector ix) {
    final VectorMask<Double> atLeastOne = ix.compare(VectorOperators.GE, 0x3ff0_0000L).cast(D);
    final VectorMask<Double> saturated = ix.compare(VectorOperators.GE, 0x4036_0000L).cast(D);
    final DoubleVector ax = x.abs();
    // |x| >= 1: t = expm1(2|x|), z = 1 - 2/(t+2);  |x| < 1: t = expm1(-2|x|), z = -t/(t+2)
    final DoubleVector arg = ax.mul(-2.0).blend(ax.mul(2.0), atLeastOne);
    final DoubleVector t = expm1(arg);
    final DoubleVector tp2 = t.add(2.0);
    final DoubleVector one = DoubleVector.broadcast(D, 1.0);
    final DoubleVector z = t.neg().div(tp2)
        .blend(one.sub(DoubleVector.broadcast(D, 2.0).div(tp2)), atLeastOne)
        .blend(one.sub(1.0e-300), saturated); // |x| >= 22: 1 - tiny
    final VectorMask<Double> negative = x.reinterpretAsLongs().compare(VectorOperators.LT, 0L).cast(D);
    return z.blend(z.neg(), negative);
  }

  /** fdlibm expm1 for x in [2, 44) or (−2, −2^-54] (all that tanh passes it, and a bit more). */
  private static DoubleVector expm1(final DoubleVector x) {
    final LongVector hx = highWord(x);
    final VectorMask<Double> positive = x.reinterpretAsLongs().compare(VectorOperators.GE, 0L).cast(D);
    final VectorMask<Long> reduce = hx.compare(VectorOperators.GT, 0x3fd6_2e42L); // |x| > 0.5 ln2
    final VectorMask<Long> nearL = reduce.and(hx.compare(VectorOperators.LT, 0x3FF0_A2B2L)); // and < 1.5 ln2
    final VectorMask<Double> near = nearL.cast(D);
    final VectorMask<Double> general = reduce.andNot(nearL).cast(D);
    final VectorMask<Double> reduced = reduce.cast(D);

    // k = (int)(invln2*x ± 0.5); hi = x - k*ln2_hi; lo = k*ln2_lo
    final DoubleVector half = DoubleVector.broadcast(D, -0.5).blend(0.5, positive);
    final LongVector kGeneral = (LongVector) x.mul(INVLN2).add(half).convert(VectorOperators.D2L, 0);
    final DoubleVector tk = (DoubleVector) kGeneral.convert(VectorOperators.L2D, 0);
    // k = ±1: hi = x ∓ ln2_hi, lo = ±ln2_lo
    final DoubleVector hiNear = x.add(LN2_HI).blend(x.sub(LN2_HI), positive);
    final DoubleVector loNear = DoubleVector.broadcast(D, -LN2_LO).blend(LN2_LO, positive);
    final LongVector kNear = LongVector.broadcast(kGeneral.species(), -1L).blend(1L, positive.cast(kGeneral.species()));
    final DoubleVector hi = hiNear.blend(x.sub(tk.mul(LN2_HI)), general);
    final DoubleVector lo = loNear.blend(tk.mul(LN2_LO), general);
    final LongVector k = LongVector.zero(kGeneral.species())
        .blend(kNear, nearL).blend(kGeneral, general.cast(kGeneral.species()));
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
    final LongVector kExp = k.lanewise(VectorOperators.LSHL, 52);
    // k <= -2 || k > 56: y = 1 - (e - x), exponent + k, minus 1
    final DoubleVector resultFar = addToExponent(DoubleVector.broadcast(D, 1.0).sub(e2.sub(r)), kExp).sub(1.0);
    // 1 < k < 20: t = 1 - 2^-k, y = t - (e - x), exponent + k
    final DoubleVector oneMinus = LongVector.broadcast(k.species(), 0x2_00000L).lanewise(VectorOperators.ASHR, k)
        .neg().add(0x3ff0_0000L).lanewise(VectorOperators.LSHL, 32).reinterpretAsDoubles();
    final DoubleVector resultMid = addToExponent(oneMinus.sub(e2.sub(r)), kExp);
    // 20 <= k <= 56: t = 2^-k, y = x - (e + t) + 1, exponent + k
    final DoubleVector twoMinusK = k.neg().add(0x3ffL).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
    final DoubleVector resultHigh = addToExponent(r.sub(e2.add(twoMinusK)).add(1.0), kExp);

    final VectorMask<Long> far = k.compare(VectorOperators.LE, -2L).or(k.compare(VectorOperators.GT, 56L));
    final VectorMask<Long> mid = k.compare(VectorOperators.GT, 1L).and(k.compare(VectorOperators.LT, 20L));
    final VectorMask<Long> high = k.compare(VectorOperators.GE, 20L).and(k.compare(VectorOperators.LE, 56L));
    return resultK0
        .blend(resultKm1, k.compare(VectorOperators.EQ, -1L).cast(D))
        .blend(resultK1, k.compare(VectorOperators.EQ, 1L).cast(D))
        .blend(resultFar, far.cast(D))
        .blend(resultMid, mid.cast(D))
        .blend(resultHigh, high.cast(D));
  }

  /** fdlibm's {@code __HI(y, __HI(y) + (k << 20))}: k added to the exponent field. */
  private static DoubleVector addToExponent(final DoubleVector y, final LongVector kExp) {
    return y.reinterpretAsLongs().add(kExp).reinterpretAsDoubles();
  }
}
