package io.tensorlink.compute.checkpoint;

import io.tensorlink.compute.hash.Keccak;
import io.tensorlink.compute.hash.TensorDigest;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The commitment to a set of named tensors that step records and PoL blocks carry.
 *
 * <p>{@code tensorHash = keccak256(u32le(len(name)) ‖ utf8(name) ‖ u32le(rank) ‖ u32le(dim)… ‖
 * sha256(f32le(data)))}; binding name and shape means a reshaped or renamed tensor never
 * collides with the original. {@code paramsRoot} is the {@link MerkleTree} root over the tensor
 * hashes in spec order (the {@link NamedTensors} order). Hashing the data first keeps the header
 * a fixed small prefix; the data hash is SHA-256 for speed ({@link TensorDigest}).
 */
public final class ParamsRoot {

  private ParamsRoot() {}

  public static byte[] tensorHash(final String name, final Tensor tensor) {
    final byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    final int[] shape = tensor.shape();
    final ByteBuffer header = ByteBuffer.allocate(8 + utf8.length + 4 * shape.length).order(ByteOrder.LITTLE_ENDIAN);
    header.putInt(utf8.length).put(utf8).putInt(shape.length);
    for (final int d : shape) {
      header.putInt(d);
    }
    return Keccak.keccak256(header.array(), TensorDigest.sha256(tensor));
  }

  /** Per-tensor hashes in order. */
  public static List<byte[]> tensorHashes(final NamedTensors tensors) {
    final List<byte[]> hashes = new ArrayList<>(tensors.count());
    for (int i = 0; i < tensors.count(); i++) {
      hashes.add(tensorHash(tensors.name(i), tensors.get(i)));
    }
    return hashes;
  }

  public static byte[] of(final NamedTensors tensors) {
    return MerkleTree.of(tensorHashes(tensors)).root();
  }

  /** {@code 0x}-prefixed lower-case hex of {@link #of}. */
  public static String hex(final NamedTensors tensors) {
    return Keccak.hex(of(tensors));
  }
}
