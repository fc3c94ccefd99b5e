package io.tensorlink.chain.pol.wire;

import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.rlp.RLP;

/**
 * A named tensor set on the verify wire: {@code [[[name, [dim…], f32le data]…]]}, tensors in set
 * order. Decoding checks that names are unique, dimensions positive (minimal integers) and the data
 * exactly {@code 4·∏dims} bytes, and that nothing trails the list; it skips the re-encoding
 * comparison of the small messages (megabytes of floats: the hash check against the record, in
 * the caller, is what binds the content).
 */
public final class TensorCodec {
  private static final int MAX_TENSORS = 4096;
  private static final int MAX_RANK = 8;
  private static final int MAX_NAME = 256;

  private TensorCodec() {}

  public static Bytes encode(final NamedTensors set) {
    return PolCodec.flat(RLP.encodeList(outer -> outer.writeList(w -> {
      for (int i = 0; i < set.count(); i++) {
        final Tensor t = set.get(i);
        final String name = set.name(i);
        w.writeList(e -> {
          e.writeString(name);
          e.writeList(d -> {
            for (final int dim : t.shape()) {
              PolCodec.uint64(d, dim);
            }
          });
          final ByteBuffer b = ByteBuffer.allocate(4 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
          b.asFloatBuffer().put(t.data());
          e.writeValue(Bytes.wrap(b.array()));
        });
      }
    })));
  }

  /** @param maxBytes refuses larger inputs before parsing */
  public static NamedTensors decode(final Bytes input, final int maxBytes) {
    return PolCodec.decodeStructure(input, "TensorSet", maxBytes, f -> {
      final NamedTensors.Builder out = NamedTensors.builder();
      for (final Named n : f.list("tensors", MAX_TENSORS, item -> item.struct("tensor", TensorCodec::one))) {
        try {
          out.add(n.name(), n.tensor());
        } catch (IllegalArgumentException e) {
          throw new WireException("TensorSet: " + e.getMessage(), e);
        }
      }
      return out.build();
    });
  }

  private record Named(String name, Tensor tensor) {}

  private static Named one(final Fields e) {
    final String name = new String(e.bytes("name", MAX_NAME).toArrayUnsafe(), java.nio.charset.StandardCharsets.UTF_8);
    final List<Integer> dims = e.list("shape", MAX_RANK, d -> d.uint31("dim"));
    final int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
    long size = 1;
    for (final int d : shape) {
      if (d <= 0) {
        throw new WireException("TensorSet: tensor '" + name + "' has a non-positive dimension");
      }
      size *= d;
    }
    final Bytes data = e.bytes("data", Integer.MAX_VALUE);
    if (data.size() != 4 * size) {
      throw new WireException("TensorSet: tensor '" + name + "' has " + data.size() + " data bytes, shape needs "
          + 4 * size);
    }
    final float[] f = new float[(int) size];
    ByteBuffer.wrap(data.toArrayUnsafe()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
    return new Named(name, Tensor.of(f, shape));
  }
}
