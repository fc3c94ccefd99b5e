package io.tensorlink.compute.hash;

import io.tensorlink.compute.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bouncycastle.jcajce.provider.digest.Keccak.Digest256;

/** Keccak-256 (the Ethereum variant, not NIST SHA3-256), via BouncyCastle. */
public final class Keccak {
  private Keccak() {}

  public static byte[] keccak256(final byte[] data) {
    final Digest256 d = new Digest256();
    return d.digest(data);
  }

  /** keccak256 of the concatenation of {@code parts}. */
  public static byte[] keccak256(final byte[]... parts) {
    final Digest256 d = new Digest256();
    for (final byte[] p : parts) {
      d.update(p);
    }
    return d.digest();
  }

  /** keccak256 over a tensor's elements as little-endian float32 bytes (shape not included). */
  public static byte[] keccak256(final Tensor tensor) {
    final Digest256 d = new Digest256();
    final float[] data = tensor.data();
    final ByteBuffer buf = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    int i = 0;
    while (i < data.length) {
      buf.clear();
      final int n = Math.min(data.length - i, buf.capacity() / Float.BYTES);
      buf.asFloatBuffer().put(data, i, n);
      d.update(buf.array(), 0, n * Float.BYTES);
      i += n;
    }
    return d.digest();
  }

  /** Lower-case hex with a 0x prefix. */
  public static String hex(final byte[] bytes) {
    final StringBuilder sb = new StringBuilder(2 + bytes.length * 2).append("0x");
    for (final byte b : bytes) {
      sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return sb.toString();
  }
}
