package io.tensorlink.compute.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The safetensors format (as read by {@code safetensors.torch.load_file}): an 8-byte
 * little-endian header length {@code N}, {@code N} bytes of UTF-8 JSON, then the raw data. The
 * JSON maps each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}}, offsets
 * relative to the start of the data; the optional {@code "__metadata__"} maps strings to
 * strings. Only {@code F32} is written or accepted. The header is space-padded to a multiple of
 * 8 bytes and tensors are laid out contiguously in the given order, as the reference writer does.
 */
public final class Safetensors {

  /** The reference implementation refuses headers above 100 MB; so do we. */
  static final long MAX_HEADER_BYTES = 100_000_000L;

  private static final String METADATA_KEY = "__metadata__";
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private Safetensors() {}

  /** A file's tensors (in data-offset order) and its metadata. */
  public record Contents(NamedTensors tensors, Map<String, String> metadata) {}

  public static void write(final Path file, final NamedTensors tensors, final Map<String, String> metadata) {
    final ObjectNode header = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      final ObjectNode meta = header.putObject(METADATA_KEY);
      new TreeMap<>(metadata).forEach(meta::put);
    }
    long offset = 0;
    for (int i = 0; i < tensors.count(); i++) {
      final String name = tensors.name(i);
      if (name.equals(METADATA_KEY)) {
        throw new CheckpointException("tensor name " + METADATA_KEY + " is reserved by the safetensors format");
      }
      final Tensor t = tensors.get(i);
      final ObjectNode entry = header.putObject(name);
      entry.put("dtype", "F32");
      final ArrayNode shape = entry.putArray("shape");
      for (final int d : t.shape()) {
        shape.add(d);
      }
      entry.putArray("data_offsets").add(offset).add(offset + 4L * t.size());
      offset += 4L * t.size();
    }
    final byte[] json = headerBytes(header);
    final int padded = (json.length + 7) / 8 * 8;
    if (8L + padded + offset > Integer.MAX_VALUE) {
      throw new CheckpointException("safetensors export of " + offset + " data bytes exceeds the 2 GiB limit of this writer");
    }
    final ByteBuffer out = ByteBuffer.allocate(8 + padded + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(padded).put(json);
    for (int i = json.length; i < padded; i++) {
      out.put((byte) ' ');
    }
    for (final Tensor t : tensors.tensors()) {
      out.asFloatBuffer().put(t.data());
      out.position(out.position() + 4 * t.size());
    }
    out.flip();
    AtomicFiles.write(file, out);
  }

  /** Reads every tensor; checks the header and offsets but not names or shapes. */
  public static Contents read(final Path file) {
    final byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CheckpointException("cannot read " + file + " (" + e + ")", e);
    }
    return decode(file.toString(), bytes);
  }

  /**
   * Reads a file that must hold exactly the tensors of {@code expected}, with the same names and
   * shapes, and returns them in {@code expected}'s order.
   */
  public static NamedTensors readMatching(final Path file, final NamedTensors expected) {
    final NamedTensors found = read(file).tensors();
    final List<String> missing = new ArrayList<>(expected.names());
    missing.removeAll(found.names());
    if (!missing.isEmpty()) {
      throw new CheckpointException(file + ": missing tensors " + missing + " required by the model");
    }
    final List<String> extra = new ArrayList<>(found.names());
    extra.removeAll(expected.names());
    if (!extra.isEmpty()) {
      throw new CheckpointException(file + ": tensors " + extra + " are not parameters of the model (expected "
          + expected.names() + ")");
    }
    final NamedTensors.Builder b = NamedTensors.builder();
    for (final String name : expected.names()) {
      final Tensor t = found.get(name);
      if (!t.sameShape(expected.get(name))) {
        throw new CheckpointException(file + ": tensor '" + name + "' has shape " + Arrays.toString(t.shape())
            + " but the model expects " + Arrays.toString(expected.get(name).shape()));
      }
      b.add(name, t);
    }
    return b.build();
  }

  static Contents decode(final String source, final byte[] bytes) {
    if (bytes.length < 8) {
      throw new CheckpointException(source + ": " + bytes.length + " bytes is too short for a safetensors header length");
    }
    final ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    final long headerLen = buf.getLong();
    if (headerLen < 2 || headerLen > MAX_HEADER_BYTES || headerLen > bytes.length - 8L) {
      throw new CheckpointException(source + ": header length " + Long.toUnsignedString(headerLen)
          + " is not sane for a file of " + bytes.length + " bytes (limit " + MAX_HEADER_BYTES + ")");
    }
    final JsonNode header;
    try {
      header = JSON.readTree(new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new CheckpointException(source + ": header is not valid JSON (" + e.getOriginalMessage() + ")", e);
    }
    if (header == null || !header.isObject()) {
      throw new CheckpointException(source + ": header must be a JSON object");
    }
    final int dataStart = 8 + (int) headerLen;
    final long dataLen = bytes.length - dataStart;
    final Map<String, String> metadata = new LinkedHashMap<>();
    final List<Entry> entries = new ArrayList<>();
    for (final Map.Entry<String, JsonNode> field : header.properties()) {
      if (field.getKey().equals(METADATA_KEY)) {
        readMetadata(source, field.getValue(), metadata);
      } else {
        entries.add(entry(source, field.getKey(), field.getValue(), dataLen));
      }
    }
    entries.sort(Comparator.comparingLong(Entry::begin));
    long expectedBegin = 0;
    for (final Entry e : entries) {
      if (e.begin != expectedBegin) {
        throw new CheckpointException(source + ": tensor '" + e.name + "' data_offsets [" + e.begin + ", " + e.end
            + "] " + (e.begin < expectedBegin ? "overlap the previous tensor" : "leave a gap after byte " + expectedBegin));
      }
      expectedBegin = e.end;
    }
    if (expectedBegin != dataLen) {
      throw new CheckpointException(source + ": tensors cover " + expectedBegin + " data bytes but the file holds "
          + dataLen + " after the header");
    }
    final NamedTensors.Builder tensors = NamedTensors.builder();
    for (final Entry e : entries) {
      final float[] data = new float[(int) ((e.end - e.begin) / 4)];
      ByteBuffer.wrap(bytes, dataStart + (int) e.begin, (int) (e.end - e.begin))
          .order(ByteOrder.LITTLE_ENDIAN)
          .asFloatBuffer()
          .get(data);
      tensors.add(e.name, Tensor.of(data, e.shape));
    }
    return new Contents(tensors.build(), metadata);
  }

  private record Entry(String name, int[] shape, long begin, long end) {}

  private static Entry entry(final String source, final String name, final JsonNode node, final long dataLen) {
    final String where = source + ": tensor '" + name + "'";
    if (!node.isObject()) {
      throw new CheckpointException(where + ": entry must be a JSON object");
    }
    final JsonNode dtype = node.get("dtype");
    if (dtype == null || !dtype.isTextual()) {
      throw new CheckpointException(where + ": missing dtype");
    }
    if (!dtype.asText().equals("F32")) {
      throw new CheckpointException(where + ": dtype " + dtype.asText() + " is not supported (only F32)");
    }
    final JsonNode shapeNode = node.get("shape");
    if (shapeNode == null || !shapeNode.isArray()) {
      throw new CheckpointException(where + ": missing shape");
    }
    final int[] shape = new int[shapeNode.size()];
    long elements = 1;
    for (int d = 0; d < shape.length; d++) {
      final JsonNode dim = shapeNode.get(d);
      if (!dim.canConvertToInt() || !dim.isIntegralNumber() || dim.asInt() < 0) {
        throw new CheckpointException(where + ": shape " + shapeNode + " has an invalid dimension " + dim);
      }
      shape[d] = dim.asInt();
      elements *= shape[d];
      if (elements > Integer.MAX_VALUE) {
        throw new CheckpointException(where + ": shape " + shapeNode + " is too large");
      }
    }
    final JsonNode offsets = node.get("data_offsets");
    if (offsets == null || !offsets.isArray() || offsets.size() != 2
        || !offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
      throw new CheckpointException(where + ": data_offsets must be [begin, end]");
    }
    final long begin = offsets.get(0).asLong();
    final long end = offsets.get(1).asLong();
    if (begin < 0 || end < begin || end > dataLen) {
      throw new CheckpointException(where + ": data_offsets [" + begin + ", " + end + "] outside the " + dataLen
          + " data bytes");
    }
    if (end - begin != elements * 4) {
      throw new CheckpointException(where + ": data_offsets span " + (end - begin) + " bytes but shape " + shapeNode
          + " of F32 needs " + elements * 4);
    }
    return new Entry(name, shape, begin, end);
  }

  private static void readMetadata(final String source, final JsonNode node, final Map<String, String> out) {
    if (!node.isObject()) {
      throw new CheckpointException(source + ": " + METADATA_KEY + " must be an object of strings");
    }
    for (final Map.Entry<String, JsonNode> m : node.properties()) {
      if (!m.getValue().isTextual()) {
        throw new CheckpointException(source + ": " + METADATA_KEY + " value for '" + m.getKey() + "' is not a string");
      }
      out.put(m.getKey(), m.getValue().asText());
    }
  }

  private static byte[] headerBytes(final ObjectNode header) {
    try {
      return JSON.writeValueAsBytes(header);
    } catch (JsonProcessingException e) {
      throw new CheckpointException("cannot encode safetensors header (" + e.getOriginalMessage() + ")", e);
    }
  }
}
