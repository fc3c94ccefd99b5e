package io.tensorlink.compute.hash;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Keccak-256 (the Ethereum variant, not NIST SHA3-256: padding byte 0x01, not 0x06).
 *
 * <p>Hand-written rather than BouncyCastle's because Merkle trees and headers hash many short
 * messages: the permutation is fully unrolled over 25 local {@code long} lanes, full blocks are
 * absorbed straight from the input (a {@code long} view of the byte array) with no copy and no
 * allocation per block. Tensor data goes through {@link TensorDigest} instead, which is faster.
 * The output is bit-for-bit the same as before ({@code KeccakTest}: published vectors and a
 * property against BouncyCastle's {@code Keccak.Digest256}).
 */
public final class Keccak {
  /** Rate of Keccak-256 in bytes (1600 - 2·256 bits). */
  private static final int RATE = 136;
  private static final int RATE_LANES = RATE / Long.BYTES;
  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long[] RC = {
    0x0000000000000001L, 0x0000000000008082L, 0x800000000000808aL, 0x8000000080008000L,
    0x000000000000808bL, 0x0000000080000001L, 0x8000000080008081L, 0x8000000000008009L,
    0x000000000000008aL, 0x0000000000000088L, 0x0000000080008009L, 0x000000008000000aL,
    0x000000008000808bL, 0x800000000000008bL, 0x8000000000008089L, 0x8000000000008003L,
    0x8000000000008002L, 0x8000000000000080L, 0x000000000000800aL, 0x800000008000000aL,
    0x8000000080008081L, 0x8000000000008080L, 0x0000000080000001L, 0x8000000080008008L,
  };

  private Keccak() {}

  public static byte[] keccak256(final byte[] data) {
    return new Sponge().update(data, 0, data.length).digest();
  }

  /** keccak256 of the concatenation of {@code parts}. */
  public static byte[] keccak256(final byte[]... parts) {
    final Sponge s = new Sponge();
    for (final byte[] p : parts) {
      s.update(p, 0, p.length);
    }
    return s.digest();
  }

  /** Lower-case hex with a 0x prefix. */
  public static String hex(final byte[] bytes) {
    final StringBuilder sb = new StringBuilder(2 + bytes.length * 2).append("0x");
    for (final byte b : bytes) {
      sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return sb.toString();
  }

  /** One Keccak-256 computation: absorb, then {@link #digest()} once. */
  static final class Sponge {
    private final long[] state = new long[25];
    /** Bytes of a partial block; full blocks never pass through it. */
    private final byte[] pending = new byte[RATE];
    private int pendingLength;

    Sponge update(final byte[] data, final int offset, final int length) {
      int i = offset;
      final int end = offset + length;
      if (pendingLength > 0) {
        final int n = Math.min(RATE - pendingLength, end - i);
        System.arraycopy(data, i, pending, pendingLength, n);
        pendingLength += n;
        i += n;
        if (pendingLength < RATE) {
          return this;
        }
        absorb(pending, 0);
        pendingLength = 0;
      }
      for (; end - i >= RATE; i += RATE) {
        absorb(data, i);
      }
      System.arraycopy(data, i, pending, 0, end - i);
      pendingLength = end - i;
      return this;
    }

    byte[] digest() {
      Arrays.fill(pending, pendingLength, RATE, (byte) 0);
      pending[pendingLength] ^= 0x01;
      pending[RATE - 1] ^= (byte) 0x80;
      absorb(pending, 0);
      final byte[] out = new byte[32];
      for (int lane = 0; lane < 4; lane++) {
        LONG_LE.set(out, lane * Long.BYTES, state[lane]);
      }
      return out;
    }

    private void absorb(final byte[] block, final int offset) {
      final long[] s = state;
      for (int lane = 0; lane < RATE_LANES; lane++) {
        s[lane] ^= (long) LONG_LE.get(block, offset + lane * Long.BYTES);
      }
      permute(s);
    }
  }

  /** Keccak-f[1600]; lane (x, y) is {@code s[x + 5y]}, local {@code axy}. */
  static void permute(final long[] s) {
    long a00 = s[0];
    long a10 = s[1];
    long a20 = s[2];
    long a30 = s[3];
    long a40 = s[4];
    long a01 = s[5];
    long a11 = s[6];
    long a21 = s[7];
    long a31 = s[8];
    long a41 = s[9];
    long a02 = s[10];
    long a12 = s[11];
    long a22 = s[12];
    long a32 = s[13];
    long a42 = s[14];
    long a03 = s[15];
    long a13 = s[16];
    long a23 = s[17];
    long a33 = s[18];
    long a43 = s[19];
    long a04 = s[20];
    long a14 = s[21];
    long a24 = s[22];
    long a34 = s[23];
    long a44 = s[24];
    for (int round = 0; round < 24; round++) {
      final long c0 = a00 ^ a01 ^ a02 ^ a03 ^ a04;
      final long c1 = a10 ^ a11 ^ a12 ^ a13 ^ a14;
      final long c2 = a20 ^ a21 ^ a22 ^ a23 ^ a24;
      final long c3 = a30 ^ a31 ^ a32 ^ a33 ^ a34;
      final long c4 = a40 ^ a41 ^ a42 ^ a43 ^ a44;
      final long d0 = c4 ^ Long.rotateLeft(c1, 1);
      final long d1 = c0 ^ Long.rotateLeft(c2, 1);
      final long d2 = c1 ^ Long.rotateLeft(c3, 1);
      final long d3 = c2 ^ Long.rotateLeft(c4, 1);
      final long d4 = c3 ^ Long.rotateLeft(c0, 1);
      final long b00 = a00 ^ d0;
      final long b10 = Long.rotateLeft(a11 ^ d1, 44);
      final long b20 = Long.rotateLeft(a22 ^ d2, 43);
      final long b30 = Long.rotateLeft(a33 ^ d3, 21);
      final long b40 = Long.rotateLeft(a44 ^ d4, 14);
      final long b01 = Long.rotateLeft(a30 ^ d3, 28);
      final long b11 = Long.rotateLeft(a41 ^ d4, 20);
      final long b21 = Long.rotateLeft(a02 ^ d0, 3);
      final long b31 = Long.rotateLeft(a13 ^ d1, 45);
      final long b41 = Long.rotateLeft(a24 ^ d2, 61);
      final long b02 = Long.rotateLeft(a10 ^ d1, 1);
      final long b12 = Long.rotateLeft(a21 ^ d2, 6);
      final long b22 = Long.rotateLeft(a32 ^ d3, 25);
      final long b32 = Long.rotateLeft(a43 ^ d4, 8);
      final long b42 = Long.rotateLeft(a04 ^ d0, 18);
      final long b03 = Long.rotateLeft(a40 ^ d4, 27);
      final long b13 = Long.rotateLeft(a01 ^ d0, 36);
      final long b23 = Long.rotateLeft(a12 ^ d1, 10);
      final long b33 = Long.rotateLeft(a23 ^ d2, 15);
      final long b43 = Long.rotateLeft(a34 ^ d3, 56);
      final long b04 = Long.rotateLeft(a20 ^ d2, 62);
      final long b14 = Long.rotateLeft(a31 ^ d3, 55);
      final long b24 = Long.rotateLeft(a42 ^ d4, 39);
      final long b34 = Long.rotateLeft(a03 ^ d0, 41);
      final long b44 = Long.rotateLeft(a14 ^ d1, 2);
      a00 = b00 ^ (~b10 & b20);
      a10 = b10 ^ (~b20 & b30);
      a20 = b20 ^ (~b30 & b40);
      a30 = b30 ^ (~b40 & b00);
      a40 = b40 ^ (~b00 & b10);
      a01 = b01 ^ (~b11 & b21);
      a11 = b11 ^ (~b21 & b31);
      a21 = b21 ^ (~b31 & b41);
      a31 = b31 ^ (~b41 & b01);
      a41 = b41 ^ (~b01 & b11);
      a02 = b02 ^ (~b12 & b22);
      a12 = b12 ^ (~b22 & b32);
      a22 = b22 ^ (~b32 & b42);
      a32 = b32 ^ (~b42 & b02);
      a42 = b42 ^ (~b02 & b12);
      a03 = b03 ^ (~b13 & b23);
      a13 = b13 ^ (~b23 & b33);
      a23 = b23 ^ (~b33 & b43);
      a33 = b33 ^ (~b43 & b03);
      a43 = b43 ^ (~b03 & b13);
      a04 = b04 ^ (~b14 & b24);
      a14 = b14 ^ (~b24 & b34);
      a24 = b24 ^ (~b34 & b44);
      a34 = b34 ^ (~b44 & b04);
      a44 = b44 ^ (~b04 & b14);
      a00 ^= RC[round];

    }
    s[0] = a00;
    s[1] = a10;
    s[2] = a20;
    s[3] = a30;
    s[4] = a40;
    s[5] = a01;
    s[6] = a11;
    s[7] = a21;
    s[8] = a31;
    s[9] = a41;
    s[10] = a02;
    s[11] = a12;
    s[12] = a22;
    s[13] = a32;
    s[14] = a42;
    s[15] = a03;
    s[16] = a13;
    s[17] = a23;
    s[18] = a33;
    s[19] = a43;
    s[20] = a04;
    s[21] = a14;
    s[22] = a24;
    s[23] = a34;
    s[24] = a44;
  }
}
