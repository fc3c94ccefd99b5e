package io.tensorlink.compute.hash;

import io.tensorlink.compute.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 over a tensor's elements as little-endian float32 bytes (shape not included): the bulk
 * hash under every tensor commitment ({@code ParamsRoot.tensorHash}).
 *
 * <p>SHA-256 rather than Keccak-256 for speed alone. Hashing tensors is most of a record's cost for
 * small models (docs/pol.md, Targets), and HotSpot compiles {@link MessageDigest}'s SHA-256 to the
 * CPU's SHA extensions (x86 SHA-NI, ARMv8 SHA2; AVX2 code where those are missing): about 1.3 GB/s
 * per core on this machine against 0.33 GB/s for a tuned scalar Keccak. The digest is the same on
 * every CPU, so determinism is untouched. Names, shapes and every Merkle node stay Keccak-256, the
 * hash the contracts check.
 */
public final class TensorDigest {
  /** Floats converted per {@link MessageDigest#update} call: 64 KiB, small enough to stay in L2. */
  private static final int CHUNK_FLOATS = 16 * 1024;

  private TensorDigest() {}

  /** SHA-256 of the elements' IEEE 754 bit patterns, NaN payloads as they are. */
  public static byte[] sha256(final Tensor tensor) {
    final float[] data = tensor.data();
    final MessageDigest sha256 = newSha256();
    final byte[] chunk = new byte[Float.BYTES * Math.min(CHUNK_FLOATS, data.length)];
    // A bulk put copies the bit patterns (NaN payloads too), swapping bytes only on a big-endian CPU.
    final FloatBuffer floats = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    for (int i = 0; i < data.length; i += CHUNK_FLOATS) {
      final int n = Math.min(CHUNK_FLOATS, data.length - i);
      floats.put(0, data, i, n);
      sha256.update(chunk, 0, n * Float.BYTES);
    }
    return sha256.digest();
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }
}
