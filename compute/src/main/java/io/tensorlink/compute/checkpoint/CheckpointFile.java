package io.tensorlink.compute.checkpoint;

import io.tensorlink.compute.hash.Keccak;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The native checkpoint format, version 1. All integers little-endian:
 *
 * <pre>
 *   magic    "TLCK"                          4 bytes
 *   version  u32 = 1
 *   step     u64
 *   metadata u32 count, then count × (string key, string value)
 *   params   tensor list
 *   optState tensor list
 *   checksum keccak256 of every preceding byte   32 bytes
 *
 *   string      = u32 byte length, UTF-8 bytes
 *   tensor list = u32 count, then count × (string name, u32 rank, rank × u32 dim, f32 data)
 * </pre>
 *
 * <p>Loading parses with bounds checks (a short file says where it ends and what it was
 * reading), then requires the checksum to match before returning anything: a corrupt file is an
 * error, never a partial load. Saving writes a temp file and renames it over the target.
 */
public final class CheckpointFile {

  static final byte[] MAGIC = {'T', 'L', 'C', 'K'};
  static final int VERSION = 1;
  private static final int CHECKSUM_BYTES = 32;
  private static final int MAX_RANK = 8;

  private CheckpointFile() {}

  public static void save(final Checkpoint checkpoint, final Path file) {
    final ByteBuffer body = ByteBuffer.allocate(encodedSize(checkpoint)).order(ByteOrder.LITTLE_ENDIAN);
    body.put(MAGIC).putInt(VERSION).putLong(checkpoint.step());
    body.putInt(checkpoint.metadata().size());
    for (final Map.Entry<String, String> e : checkpoint.metadata().entrySet()) {
      putString(body, e.getKey());
      putString(body, e.getValue());
    }
    putTensors(body, checkpoint.params());
    putTensors(body, checkpoint.optimizerState());
    final byte[] checksum = Keccak.keccak256(body.array());
    body.flip();
    AtomicFiles.write(file, body, ByteBuffer.wrap(checksum));
  }

  public static Checkpoint load(final Path file) {
    final byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CheckpointException("cannot read checkpoint " + file + " (" + e + ")", e);
    }
    return decode(file.toString(), bytes);
  }

  static Checkpoint decode(final String source, final byte[] bytes) {
    final Reader in = new Reader(source, bytes);
    final byte[] magic = in.bytes(4, "magic");
    if (!Arrays.equals(magic, MAGIC)) {
      throw new CheckpointException(source + ": not a TensorLink checkpoint (magic " + Keccak.hex(magic)
          + ", expected \"TLCK\")");
    }
    final int version = in.u32("version");
    if (version != VERSION) {
      throw new CheckpointException(source + ": unsupported checkpoint version " + version + " (this build reads "
          + VERSION + ")");
    }
    final long step = in.buf.getLong(in.need(8, "step"));
    final int metaCount = in.count("metadata count", 8);
    final Map<String, String> metadata = new TreeMap<>();
    for (int i = 0; i < metaCount; i++) {
      final String key = in.string("metadata key " + i);
      metadata.put(key, in.string("metadata value '" + key + "'"));
    }
    final NamedTensors params = in.tensors("params");
    final NamedTensors optState = in.tensors("optimizer state");
    final int bodyEnd = in.buf.position();
    final byte[] stored = in.bytes(CHECKSUM_BYTES, "checksum");
    if (in.buf.hasRemaining()) {
      throw new CheckpointException(source + ": " + in.buf.remaining() + " unexpected bytes after the checksum");
    }
    final byte[] actual = Keccak.keccak256(Arrays.copyOf(bytes, bodyEnd));
    if (!Arrays.equals(stored, actual)) {
      throw new CheckpointException(source + ": checksum mismatch (stored " + Keccak.hex(stored) + ", computed "
          + Keccak.hex(actual) + "): the file is corrupt");
    }
    return new Checkpoint(step, params, optState, metadata);
  }

  private static int encodedSize(final Checkpoint c) {
    long size = 4 + 4 + 8 + 4;
    for (final Map.Entry<String, String> e : c.metadata().entrySet()) {
      size += 8 + utf8(e.getKey()).length + utf8(e.getValue()).length;
    }
    size += tensorsSize(c.params()) + tensorsSize(c.optimizerState());
    if (size > Integer.MAX_VALUE - CHECKSUM_BYTES) {
      throw new CheckpointException("checkpoint of " + size + " bytes exceeds the 2 GiB format limit");
    }
    return (int) size;
  }

  private static long tensorsSize(final NamedTensors t) {
    long size = 4;
    for (int i = 0; i < t.count(); i++) {
      size += 4 + utf8(t.name(i)).length + 4 + 4L * t.get(i).rank() + 4L * t.get(i).size();
    }
    return size;
  }

  private static void putTensors(final ByteBuffer out, final NamedTensors tensors) {
    out.putInt(tensors.count());
    for (int i = 0; i < tensors.count(); i++) {
      putString(out, tensors.name(i));
      final Tensor t = tensors.get(i);
      out.putInt(t.rank());
      for (final int d : t.shape()) {
        out.putInt(d);
      }
      out.asFloatBuffer().put(t.data());
      out.position(out.position() + 4 * t.size());
    }
  }

  private static void putString(final ByteBuffer out, final String s) {
    final byte[] b = utf8(s);
    out.putInt(b.length).put(b);
  }

  private static byte[] utf8(final String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Bounds-checked little-endian reads that name the field when the file ends early. */
  private static final class Reader {
    private final String source;
    private final ByteBuffer buf;

    Reader(final String source, final byte[] bytes) {
      this.source = source;
      this.buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Returns the current position after checking {@code n} bytes follow, and skips them. */
    int need(final long n, final String what) {
      if (n > buf.remaining()) {
        throw new CheckpointException(source + ": truncated at byte " + buf.limit() + " while reading " + what
            + " (needs " + n + " bytes from offset " + buf.position() + ")");
      }
      final int at = buf.position();
      buf.position(at + (int) n);
      return at;
    }

    int u32(final String what) {
      return buf.getInt(need(4, what));
    }

    /** A non-negative count whose items take at least {@code minItemBytes} each. */
    int count(final String what, final int minItemBytes) {
      final int n = u32(what);
      if (n < 0 || (long) n * minItemBytes > buf.remaining()) {
        throw new CheckpointException(source + ": " + what + " " + Integer.toUnsignedString(n)
            + " cannot fit in the remaining " + buf.remaining() + " bytes (truncated or corrupt)");
      }
      return n;
    }

    byte[] bytes(final int n, final String what) {
      final byte[] out = new byte[n];
      buf.get(need(n, what), out, 0, n);
      return out;
    }

    String string(final String what) {
      final int len = count(what + " length", 1);
      return new String(bytes(len, what), StandardCharsets.UTF_8);
    }

    NamedTensors tensors(final String section) {
      final int count = count(section + " tensor count", 12);
      final NamedTensors.Builder b = NamedTensors.builder();
      for (int i = 0; i < count; i++) {
        final String name = string(section + " tensor " + i + " name");
        final int rank = u32(section + " '" + name + "' rank");
        if (rank < 0 || rank > MAX_RANK) {
          throw new CheckpointException(source + ": " + section + " tensor '" + name + "' has rank " + rank
              + " (at most " + MAX_RANK + ")");
        }
        final int[] shape = new int[rank];
        long elements = 1;
        for (int d = 0; d < rank; d++) {
          shape[d] = u32(section + " '" + name + "' dimension " + d);
          if (shape[d] < 0) {
            throw new CheckpointException(source + ": " + section + " tensor '" + name + "' has negative dimension "
                + shape[d]);
          }
          elements *= shape[d];
        }
        if (elements * 4 > buf.remaining()) {
          throw new CheckpointException(source + ": truncated at byte " + buf.limit() + " while reading " + section
              + " tensor '" + name + "' data (shape " + Arrays.toString(shape) + " needs " + elements * 4
              + " bytes from offset " + buf.position() + ")");
        }
        final float[] data = new float[(int) elements];
        buf.asFloatBuffer().get(data);
        buf.position(buf.position() + 4 * data.length);
        try {
          b.add(name, Tensor.of(data, shape));
        } catch (IllegalArgumentException e) {
          throw new CheckpointException(source + ": " + section + ": " + e.getMessage(), e);
        }
      }
      return b.build();
    }
  }
}
