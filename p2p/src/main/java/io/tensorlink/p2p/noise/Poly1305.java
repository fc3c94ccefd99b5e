package io.tensorlink.p2p.noise;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Poly1305 (RFC 8439 §2.5) over 16-byte blocks, in five 26-bit limbs so every product fits a
 * {@code long}. Used for the ChaCha20-Poly1305 AEAD where all input is padded to full blocks, so
 * only full blocks (with the 2^128 bit set) are ever absorbed. The JDK's own Poly1305 is only fast
 * with AVX-512 IFMA intrinsics. Long inputs go through {@link Poly1305Lanes} (four vector lanes)
 * when {@code jdk.incubator.vector} is present and the CPU has 256-bit vectors; the scalar loop is
 * latency- and multiply-bound at about 2 cycles per byte. Not thread-safe; one instance per
 * direction, re-keyed per frame.
 */
final class Poly1305 {
  private static final long MASK26 = 0x3ffffff;
  /** Little-endian 64-bit reads and writes on byte arrays; compiles to plain unaligned loads. */
  private static final VarHandle LE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private long r0, r1, r2, r3, r4;
  private long s1, s2, s3, s4;
  private long h0, h1, h2, h3, h4;
  private long pad0, pad1;
  /** Limbs of r^4, r^3, r^2 and r at [0..5), [5..10), [10..15), [15..20); filled on first use per key. */
  private final long[] powers = new long[20];
  private boolean powersReady;
  /** The accumulator handed to the lanes, and the four lanes handed back. */
  private final long[] lanes = new long[20];
  /** Working space reused per frame: one lane's limbs, the lanes' sum, a padded or length block. */
  private final long[] lane = new long[5];
  private final long[] sum = new long[5];
  private final byte[] block = new byte[16];

  /**
   * Whether the vector lanes run. The module check comes first: without the module, {@link
   * Poly1305Lanes} must never be loaded.
   */
  private static final boolean LANES =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() && Poly1305Lanes.FAST;
  /** Below this many bytes the lanes' set-up (powers of r, the final steps) costs more than it saves. */
  static final int LANES_MIN_BYTES = 512;

  /** Starts a new MAC with the 32-byte one-time key {@code r ‖ s} at {@code key[0..32]}. */
  void init(final byte[] key) {
    final long t0 = (long) LE64.get(key, 0) & 0x0ffffffc0fffffffL;
    final long t1 = (long) LE64.get(key, 8) & 0x0ffffffc0ffffffcL;
    r0 = t0 & MASK26;
    r1 = (t0 >>> 26) & MASK26;
    r2 = ((t0 >>> 52) | (t1 << 12)) & MASK26;
    r3 = (t1 >>> 14) & MASK26;
    r4 = t1 >>> 40;
    s1 = r1 * 5;
    s2 = r2 * 5;
    s3 = r3 * 5;
    s4 = r4 * 5;
    pad0 = (long) LE64.get(key, 16);
    pad1 = (long) LE64.get(key, 24);
    h0 = h1 = h2 = h3 = h4 = 0;
    powersReady = false;
  }

  /**
   * Absorbs {@code length} bytes of {@code data} starting at {@code offset}, zero-padding a final
   * partial block as the AEAD construction requires.
   */
  void update(final byte[] data, final int offset, final int length) {
    if (LANES && length >= LANES_MIN_BYTES) {
      final int groups = length / 64;
      absorbLanes(data, offset, groups);
      update(data, offset + 64 * groups, length - 64 * groups);
      return;
    }
    final int full = length & ~15;
    final int end = offset + full;
    long a0 = h0, a1 = h1, a2 = h2, a3 = h3, a4 = h4;
    for (int i = offset; i < end; i += 16) {
      final long t0 = (long) LE64.get(data, i);
      final long t1 = (long) LE64.get(data, i + 8);
      a0 += t0 & MASK26;
      a1 += (t0 >>> 26) & MASK26;
      a2 += ((t0 >>> 52) | (t1 << 12)) & MASK26;
      a3 += (t1 >>> 14) & MASK26;
      a4 += (t1 >>> 40) | (1L << 24);
      final long d0 = a0 * r0 + a1 * s4 + a2 * s3 + a3 * s2 + a4 * s1;
      long d1 = a0 * r1 + a1 * r0 + a2 * s4 + a3 * s3 + a4 * s2;
      long d2 = a0 * r2 + a1 * r1 + a2 * r0 + a3 * s4 + a4 * s3;
      long d3 = a0 * r3 + a1 * r2 + a2 * r1 + a3 * r0 + a4 * s4;
      long d4 = a0 * r4 + a1 * r3 + a2 * r2 + a3 * r1 + a4 * r0;
      d1 += d0 >>> 26;
      a0 = d0 & MASK26;
      d2 += d1 >>> 26;
      a1 = d1 & MASK26;
      d3 += d2 >>> 26;
      a2 = d2 & MASK26;
      d4 += d3 >>> 26;
      a3 = d3 & MASK26;
      a0 += (d4 >>> 26) * 5;
      a4 = d4 & MASK26;
      a1 += a0 >>> 26;
      a0 &= MASK26;
    }
    h0 = a0;
    h1 = a1;
    h2 = a2;
    h3 = a3;
    h4 = a4;
    final int rest = length - full;
    if (rest > 0) {
      System.arraycopy(data, end, block, 0, rest);
      Arrays.fill(block, rest, 16, (byte) 0);
      update(block, 0, 16);
    }
  }

  /**
   * Absorbs {@code 4·groups} blocks with {@link Poly1305Lanes}: all but the last group in the
   * lanes, then lane j absorbs its last block and multiplies by r^(4-j), and the lanes are summed.
   */
  private void absorbLanes(final byte[] data, final int offset, final int groups) {
    if (!powersReady) {
      powers[15] = r0;
      powers[16] = r1;
      powers[17] = r2;
      powers[18] = r3;
      powers[19] = r4;
      multiply(powers, 15, powers, 15, powers, 10);
      multiply(powers, 10, powers, 15, powers, 5);
      multiply(powers, 10, powers, 10, powers, 0);
      powersReady = true;
    }
    lanes[0] = h0;
    lanes[1] = h1;
    lanes[2] = h2;
    lanes[3] = h3;
    lanes[4] = h4;
    Poly1305Lanes.absorb(lanes, powers, data, offset, groups - 1);
    Arrays.fill(sum, 0);
    final int last = offset + 64 * (groups - 1);
    for (int j = 0; j < 4; j++) {
      final long t0 = (long) LE64.get(data, last + 16 * j);
      final long t1 = (long) LE64.get(data, last + 16 * j + 8);
      lane[0] = lanes[j] + (t0 & MASK26);
      lane[1] = lanes[4 + j] + ((t0 >>> 26) & MASK26);
      lane[2] = lanes[8 + j] + (((t0 >>> 52) | (t1 << 12)) & MASK26);
      lane[3] = lanes[12 + j] + ((t1 >>> 14) & MASK26);
      lane[4] = lanes[16 + j] + ((t1 >>> 40) | (1L << 24));
      multiply(lane, 0, powers, 5 * j, lane, 0);
      for (int i = 0; i < 5; i++) {
        sum[i] += lane[i];
      }
    }
    // Each limb sum is below 2^29; one carry pass brings them back to 26 bits (plus a small h1).
    h1 = sum[1] + (sum[0] >>> 26);
    h2 = sum[2] + (h1 >>> 26);
    h3 = sum[3] + (h2 >>> 26);
    h4 = sum[4] + (h3 >>> 26);
    h0 = (sum[0] & MASK26) + (h4 >>> 26) * 5;
    h1 = (h1 & MASK26) + (h0 >>> 26);
    h0 &= MASK26;
    h2 &= MASK26;
    h3 &= MASK26;
    h4 &= MASK26;
  }

  /**
   * {@code out = a · b mod 2^130 - 5} on five-limb numbers (limbs below 2^28), limbs of the result
   * carried to 26 bits except a slightly larger limb 1. {@code out} may alias an input.
   */
  private static void multiply(final long[] a, final int ai, final long[] b, final int bi, final long[] out, final int oi) {
    final long a0 = a[ai], a1 = a[ai + 1], a2 = a[ai + 2], a3 = a[ai + 3], a4 = a[ai + 4];
    final long b0 = b[bi], b1 = b[bi + 1], b2 = b[bi + 2], b3 = b[bi + 3], b4 = b[bi + 4];
    final long c1 = b1 * 5, c2 = b2 * 5, c3 = b3 * 5, c4 = b4 * 5;
    final long d0 = a0 * b0 + a1 * c4 + a2 * c3 + a3 * c2 + a4 * c1;
    long d1 = a0 * b1 + a1 * b0 + a2 * c4 + a3 * c3 + a4 * c2;
    long d2 = a0 * b2 + a1 * b1 + a2 * b0 + a3 * c4 + a4 * c3;
    long d3 = a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0 + a4 * c4;
    long d4 = a0 * b4 + a1 * b3 + a2 * b2 + a3 * b1 + a4 * b0;
    d1 += d0 >>> 26;
    d2 += d1 >>> 26;
    d3 += d2 >>> 26;
    d4 += d3 >>> 26;
    final long e0 = (d0 & MASK26) + (d4 >>> 26) * 5;
    out[oi + 1] = (d1 & MASK26) + (e0 >>> 26);
    out[oi] = e0 & MASK26;
    out[oi + 2] = d2 & MASK26;
    out[oi + 3] = d3 & MASK26;
    out[oi + 4] = d4 & MASK26;
  }

  /** Absorbs the AEAD length block: {@code le64(aadLength) ‖ le64(ciphertextLength)}. */
  void updateLengths(final long aadLength, final long ciphertextLength) {
    LE64.set(block, 0, aadLength);
    LE64.set(block, 8, ciphertextLength);
    update(block, 0, 16);
  }

  /** Finishes the MAC and writes the 16-byte tag into {@code out} at {@code index}. */
  void finish(final byte[] out, final int index) {
    long a0 = h0, a1 = h1, a2 = h2, a3 = h3, a4 = h4;
    long c = a1 >>> 26;
    a1 &= MASK26;
    a2 += c;
    c = a2 >>> 26;
    a2 &= MASK26;
    a3 += c;
    c = a3 >>> 26;
    a3 &= MASK26;
    a4 += c;
    c = a4 >>> 26;
    a4 &= MASK26;
    a0 += c * 5;
    c = a0 >>> 26;
    a0 &= MASK26;
    a1 += c;
    // g = h + 5 - 2^130; use it when non-negative, i.e. when h >= p.
    long g0 = a0 + 5;
    c = g0 >>> 26;
    g0 &= MASK26;
    long g1 = a1 + c;
    c = g1 >>> 26;
    g1 &= MASK26;
    long g2 = a2 + c;
    c = g2 >>> 26;
    g2 &= MASK26;
    long g3 = a3 + c;
    c = g3 >>> 26;
    g3 &= MASK26;
    final long g4 = a4 + c - (1L << 26);
    final long useG = ~(g4 >> 63); // all ones when g4 >= 0
    a0 = (a0 & ~useG) | (g0 & useG);
    a1 = (a1 & ~useG) | (g1 & useG);
    a2 = (a2 & ~useG) | (g2 & useG);
    a3 = (a3 & ~useG) | (g3 & useG);
    a4 = (a4 & ~useG) | (g4 & useG);
    // h mod 2^128 as two 64-bit words, plus s (pad), carrying from low to high.
    final long lo = a0 | (a1 << 26) | (a2 << 52);
    final long hi = (a2 >>> 12) | (a3 << 14) | (a4 << 40);
    final long sumLo = lo + pad0;
    final long carry = Long.compareUnsigned(sumLo, lo) < 0 ? 1 : 0;
    LE64.set(out, index, sumLo);
    LE64.set(out, index + 8, hi + pad1 + carry);
  }
}
