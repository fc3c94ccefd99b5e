package io.tensorlink.p2p.noise;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Poly1305 (RFC 8439 §2.5) over 16-byte blocks, in five 26-bit limbs so every product fits a
 * {@code long}. Used for the ChaCha20-Poly1305 AEAD where all input is padded to full blocks, so
 * only full blocks (with the 2^128 bit set) are ever absorbed. The JDK's own Poly1305 is only fast
 * with AVX-512 IFMA intrinsics; this one is several times faster on CPUs without them. Not
 * thread-safe; one instance per direction, re-keyed per frame.
 */
final class Poly1305 {
  private static final long MASK26 = 0x3ffffff;
  /** Little-endian 64-bit reads and writes on byte arrays; compiles to plain unaligned loads. */
  private static final VarHandle LE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private long r0, r1, r2, r3, r4;
  private long s1, s2, s3, s4;
  private long h0, h1, h2, h3, h4;
  private long pad0, pad1;

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
  }

  /**
   * Absorbs {@code length} bytes of {@code data} starting at {@code offset}, zero-padding a final
   * partial block as the AEAD construction requires.
   */
  void update(final byte[] data, final int offset, final int length) {
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
      final byte[] block = new byte[16];
      System.arraycopy(data, end, block, 0, rest);
      update(block, 0, 16);
    }
  }

  /** Absorbs the AEAD length block: {@code le64(aadLength) ‖ le64(ciphertextLength)}. */
  void updateLengths(final long aadLength, final long ciphertextLength) {
    final byte[] block = new byte[16];
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
