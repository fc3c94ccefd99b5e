package io.tensorlink.compute.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

  @TempDir Path dir;

  /** The layout the format specifies, built by hand: u64le length, JSON, space padding, f32le data. */
  private static byte[] handBuilt(final String json, final float... values) {
    final byte[] header = json.getBytes(StandardCharsets.UTF_8);
    final int padded = (header.length + 7) / 8 * 8;
    final ByteBuffer b = ByteBuffer.allocate(8 + padded + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(padded).put(header);
    while (b.position() < 8 + padded) {
      b.put((byte) ' ');
    }
    for (final float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }

  private static final String TWO_TENSORS = "{\"__metadata__\":{\"format\":\"pt\"},"
      + "\"fc1.weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
      + "\"fc1.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[16,24]}}";

  private static NamedTensors twoTensors() {
    return NamedTensors.builder()
        .add("fc1.weight", Tensor.of(new float[] {1f, 2f, 3f, -4f}, 2, 2))
        .add("fc1.bias", Tensor.of(new float[] {0.5f, -0f}, 2))
        .build();
  }

  @Test
  void writesExactlyTheSpecifiedByteLayout() throws IOException {
    final Path file = dir.resolve("m.safetensors");
    Safetensors.write(file, twoTensors(), Map.of("format", "pt"));
    assertThat(Files.readAllBytes(file)).isEqualTo(handBuilt(TWO_TENSORS, 1f, 2f, 3f, -4f, 0.5f, -0f));
  }

  @Test
  void readsAHandBuiltFileInAnyKeyOrder() throws IOException {
    final String reordered = "{\"b\":{\"data_offsets\":[8,12],\"shape\":[],\"dtype\":\"F32\"},"
        + "\"a\":{\"shape\":[1,2],\"dtype\":\"F32\",\"data_offsets\":[0,8]}}";
    final Path file = Files.write(dir.resolve("h.safetensors"), handBuilt(reordered, 1.5f, 2.5f, 9f));
    final Safetensors.Contents c = Safetensors.read(file);
    assertThat(c.tensors().names()).containsExactly("a", "b");
    assertThat(c.tensors().get("a")).isEqualTo(Tensor.of(new float[] {1.5f, 2.5f}, 1, 2));
    assertThat(c.tensors().get("b").shape()).isEmpty();
    assertThat(c.tensors().get("b").data()).containsExactly(9f);
    assertThat(c.metadata()).isEmpty();
  }

  @Test
  void roundTripsThroughReadMatching() {
    final Path file = dir.resolve("m.safetensors");
    final NamedTensors params = TestTensors.mlp(5);
    Safetensors.write(file, params, Map.of("specHash", "0x01"));
    assertThat(Safetensors.readMatching(file, params.zerosLike())).isEqualTo(params);
    assertThat(Safetensors.read(file).metadata()).containsEntry("specHash", "0x01");
  }

  @Test
  void importChecksNamesAndShapesAgainstTheModel() {
    final Path file = dir.resolve("m.safetensors");
    Safetensors.write(file, twoTensors(), Map.of());
    final NamedTensors wrongShape = NamedTensors.builder()
        .add("fc1.weight", Tensor.zeros(2, 3)).add("fc1.bias", Tensor.zeros(2)).build();
    assertThatThrownBy(() -> Safetensors.readMatching(file, wrongShape))
        .hasMessageContaining("tensor 'fc1.weight' has shape [2, 2] but the model expects [2, 3]");
    final NamedTensors more = NamedTensors.builder().addAll(twoTensors()).add("fc2.bias", Tensor.zeros(1)).build();
    assertThatThrownBy(() -> Safetensors.readMatching(file, more)).hasMessageContaining("missing tensors [fc2.bias]");
    final NamedTensors fewer = NamedTensors.builder().add("fc1.bias", Tensor.zeros(2)).build();
    assertThatThrownBy(() -> Safetensors.readMatching(file, fewer))
        .hasMessageContaining("tensors [fc1.weight] are not parameters of the model");
  }

  @Test
  void malformedFilesAreRejectedNamingTheKey() {
    record Case(String json, int floats, String message) {}
    final List<Case> cases = List.of(
        new Case("{\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 1, "tensor 'w': dtype F16 is not supported"),
        new Case("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,12]}}", 2, "tensor 'w': data_offsets [0, 12] outside the 8 data bytes"),
        new Case("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 2, "tensor 'w': data_offsets span 8 bytes but shape [3]"),
        new Case("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
            + "\"v\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 2, "overlap the previous tensor"),
        new Case("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 2, "tensor 'w' data_offsets [4, 8] leave a gap"),
        new Case("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 2, "tensors cover 4 data bytes but the file holds 8"),
        new Case("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 1, "tensor 'w': shape [-1] has an invalid dimension"),
        new Case("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 1, "tensor 'w': data_offsets must be [begin, end]"),
        new Case("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"w\":{}}", 1, "not valid JSON"),
        new Case("[1,2]", 0, "header must be a JSON object"),
        new Case("{\"__metadata__\":{\"k\":1}}", 0, "__metadata__ value for 'k' is not a string"));
    for (final Case c : cases) {
      final byte[] bytes = handBuilt(c.json, new float[c.floats]);
      assertThatThrownBy(() -> Safetensors.decode("f.safetensors", bytes))
          .as(c.json)
          .isInstanceOf(CheckpointException.class)
          .hasMessageStartingWith("f.safetensors: ")
          .hasMessageContaining(c.message);
    }
  }

  @Test
  void insaneHeaderLengthIsRejected() {
    final byte[] huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array();
    assertThatThrownBy(() -> Safetensors.decode("f", huge)).hasMessageContaining("header length 1099511627776 is not sane");
    final byte[] negative = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).array();
    assertThatThrownBy(() -> Safetensors.decode("f", negative)).hasMessageContaining("is not sane");
    assertThatThrownBy(() -> Safetensors.decode("f", new byte[5])).hasMessageContaining("5 bytes is too short");
  }

  @Test
  void pythonSafetensorsReaderLoadsOurExport() throws Exception {
    final String python = "/usr/bin/python3";
    assumeTrue(Files.isExecutable(Path.of(python)), "no " + python + ": cannot cross-check with Python");
    assumeTrue(run(python, "-c", "import safetensors.numpy") == 0,
        "Python package safetensors is not installed (Debian bookworm has no python3-safetensors; "
            + "PyPI is unreachable here): cross-check skipped, the byte layout test above still runs");
    final Path file = dir.resolve("py.safetensors");
    Safetensors.write(file, TestTensors.mlp(7), Map.of("format", "pt"));
    final NamedTensors p = TestTensors.mlp(7);
    final String script = "import sys, safetensors.numpy as s\n"
        + "t = s.load_file(sys.argv[1])\n"
        + "assert list(t['fc1.weight'].shape) == [6, 4], t['fc1.weight'].shape\n"
        + "assert str(t['fc1.weight'].dtype) == 'float32'\n"
        + "assert float(t['fc2.bias'][2]) == float(sys.argv[2]), (t['fc2.bias'][2], sys.argv[2])\n";
    assertThat(run(python, "-c", script, file.toString(), Float.toString(p.get("fc2.bias").data()[2]))).isZero();
  }

  private static int run(final String... cmd) throws IOException, InterruptedException {
    final Process p = new ProcessBuilder(cmd).inheritIO().start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }
}
