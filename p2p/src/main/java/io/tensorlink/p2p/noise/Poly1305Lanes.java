package io.tensorlink.p2p.noise;

import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The bulk of {@link Poly1305} as four interleaved Horner lanes in 256-bit vectors: lane j absorbs
 * blocks j, j+4, j+8, … and multiplies by r^4 each step; the caller's last step multiplies lane j
 * by r^(4-j) instead, so the lane sum equals the serial h. Same 26-bit limbs as the scalar code;
 * limbs and multipliers are masked to 32 bits (a no-op on the values) so that C2 emits one {@code
 * vpmuludq} per four products instead of a 64-bit multiply sequence.
 * Only loaded when {@code jdk.incubator.vector} is present (see {@link Poly1305}).
 */
final class Poly1305Lanes {
  private static final VectorSpecies<Long> S = LongVector.SPECIES_256;
  /** Blocks are loaded as bytes (a heap-segment long load is not intrinsified) and reinterpreted. */
  private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_256;
  /**
   * Without 256-bit vectors the Vector API falls back to scalar Java, far slower than Poly1305's;
   * the reinterpretation of bytes as words assumes a little-endian CPU.
   */
  static final boolean FAST =
      LongVector.SPECIES_PREFERRED.vectorBitSize() >= 256 && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
  private static final long MASK26 = 0x3ffffff;
  /** Marks values that fit 32 bits, so multiplies use the 32×32→64 instruction. */
  private static final long MASK32 = 0xffffffffL;
  /** Low and high words of four consecutive blocks, picked out of two 4-word loads. */
  private static final VectorShuffle<Long> LOW_WORDS = VectorShuffle.fromValues(S, 0, 2, 4, 6);
  private static final VectorShuffle<Long> HIGH_WORDS = VectorShuffle.fromValues(S, 1, 3, 5, 7);

  private Poly1305Lanes() {}

  /**
   * Starts four lanes at (h, 0, 0, 0) and runs {@code groups} Horner steps (lane j adds block
   * {@code 4g + j}, then every lane multiplies by r^4). The caller finishes with one step per lane
   * by r^(4-j) and adds the lanes up.
   *
   * @param limbs in: the accumulator's five limbs at {@code [0..5)}; out: limb i of lane j at
   *     {@code [4i + j]} (each below 2^27)
   * @param r4 the five limbs of r^4 (each below 2^27)
   */
  static void absorb(final long[] limbs, final long[] r4, final byte[] data, final int offset, final int groups) {
    final LongVector mask = LongVector.broadcast(S, MASK26);
    final LongVector low32 = LongVector.broadcast(S, MASK32);
    final LongVector r0 = LongVector.broadcast(S, r4[0]).and(low32);
    final LongVector r1 = LongVector.broadcast(S, r4[1]).and(low32);
    final LongVector r2 = LongVector.broadcast(S, r4[2]).and(low32);
    final LongVector r3 = LongVector.broadcast(S, r4[3]).and(low32);
    final LongVector r4v = LongVector.broadcast(S, r4[4]).and(low32);
    final LongVector s1 = LongVector.broadcast(S, 5 * r4[1]).and(low32);
    final LongVector s2 = LongVector.broadcast(S, 5 * r4[2]).and(low32);
    final LongVector s3 = LongVector.broadcast(S, 5 * r4[3]).and(low32);
    final LongVector s4 = LongVector.broadcast(S, 5 * r4[4]).and(low32);
    LongVector a0 = LongVector.zero(S).withLane(0, limbs[0]);
    LongVector a1 = LongVector.zero(S).withLane(0, limbs[1]);
    LongVector a2 = LongVector.zero(S).withLane(0, limbs[2]);
    LongVector a3 = LongVector.zero(S).withLane(0, limbs[3]);
    LongVector a4 = LongVector.zero(S).withLane(0, limbs[4]);
    for (int g = 0; g < groups; g++) {
      final int at = offset + 64 * g;
      final LongVector x = ByteVector.fromArray(BYTES, data, at).reinterpretAsLongs();
      final LongVector y = ByteVector.fromArray(BYTES, data, at + 32).reinterpretAsLongs();
      final LongVector lo = x.rearrange(LOW_WORDS, y);
      final LongVector hi = x.rearrange(HIGH_WORDS, y);
      a0 = a0.add(lo.and(mask)).and(low32);
      a1 = a1.add(lo.lanewise(VectorOperators.LSHR, 26).and(mask)).and(low32);
      a2 = a2.add(lo.lanewise(VectorOperators.LSHR, 52).or(hi.lanewise(VectorOperators.LSHL, 12)).and(mask)).and(low32);
      a3 = a3.add(hi.lanewise(VectorOperators.LSHR, 14).and(mask)).and(low32);
      a4 = a4.add(hi.lanewise(VectorOperators.LSHR, 40).or(1L << 24)).and(low32);
      final LongVector d0 = a0.mul(r0).add(a1.mul(s4)).add(a2.mul(s3)).add(a3.mul(s2)).add(a4.mul(s1));
      LongVector d1 = a0.mul(r1).add(a1.mul(r0)).add(a2.mul(s4)).add(a3.mul(s3)).add(a4.mul(s2));
      LongVector d2 = a0.mul(r2).add(a1.mul(r1)).add(a2.mul(r0)).add(a3.mul(s4)).add(a4.mul(s3));
      LongVector d3 = a0.mul(r3).add(a1.mul(r2)).add(a2.mul(r1)).add(a3.mul(r0)).add(a4.mul(s4));
      LongVector d4 = a0.mul(r4v).add(a1.mul(r3)).add(a2.mul(r2)).add(a3.mul(r1)).add(a4.mul(r0));
      d1 = d1.add(d0.lanewise(VectorOperators.LSHR, 26));
      a0 = d0.and(mask);
      d2 = d2.add(d1.lanewise(VectorOperators.LSHR, 26));
      a1 = d1.and(mask);
      d3 = d3.add(d2.lanewise(VectorOperators.LSHR, 26));
      a2 = d2.and(mask);
      d4 = d4.add(d3.lanewise(VectorOperators.LSHR, 26));
      a3 = d3.and(mask);
      final LongVector top = d4.lanewise(VectorOperators.LSHR, 26);
      a0 = a0.add(top.lanewise(VectorOperators.LSHL, 2).add(top));
      a4 = d4.and(mask);
      a1 = a1.add(a0.lanewise(VectorOperators.LSHR, 26));
      a0 = a0.and(mask);
    }
    a0.intoArray(limbs, 0);
    a1.intoArray(limbs, 4);
    a2.intoArray(limbs, 8);
    a3.intoArray(limbs, 12);
    a4.intoArray(limbs, 16);
  }
}
