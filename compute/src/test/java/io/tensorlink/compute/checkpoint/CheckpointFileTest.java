package io.tensorlink.compute.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFileTest {

  @TempDir Path dir;

  private static Checkpoint sample() {
    final NamedTensors params = TestTensors.mlp(3);
    final NamedTensors.Builder opt = NamedTensors.builder();
    for (int i = 0; i < params.count(); i++) {
      opt.add("m." + params.name(i), TestTensors.filled(100 + i, params.get(i).shape()));
    }
    // Bit patterns a lossy format would lose: -0, NaN with payload, subnormal, infinity.
    opt.add("special", Tensor.of(new float[] {-0f, Float.intBitsToFloat(0x7fc01234), Float.MIN_VALUE,
        Float.NEGATIVE_INFINITY}, 4));
    opt.add("scalar", Tensor.of(new float[] {7f}));
    return new Checkpoint(42, params, opt.build(), Map.of("specHash", "0xabc", "optimizer", "adamw", "ünï", "çødé"));
  }

  @Test
  void roundTripIsBitExact() {
    final Checkpoint c = sample();
    final Path file = dir.resolve("ckpt.tlck");
    CheckpointFile.save(c, file);
    final Checkpoint back = CheckpointFile.load(file);
    assertThat(back.step()).isEqualTo(42);
    assertThat(back.params()).isEqualTo(c.params());
    assertThat(back.optimizerState()).isEqualTo(c.optimizerState());
    assertThat(back.optimizerState().get("special").data()[1])
        .satisfies(f -> assertThat(Float.floatToRawIntBits(f)).isEqualTo(0x7fc01234));
    assertThat(back.metadata()).isEqualTo(c.metadata());
    assertThat(back.paramsRoot()).isEqualTo(c.paramsRoot());
  }

  @Test
  void saveReplacesAtomicallyAndLeavesNoTempFiles() throws IOException {
    final Path file = dir.resolve("sub/ckpt.tlck");
    CheckpointFile.save(sample(), file);
    final Checkpoint second = new Checkpoint(43, TestTensors.mlp(9), NamedTensors.builder().build(), Map.of());
    CheckpointFile.save(second, file);
    assertThat(CheckpointFile.load(file).step()).isEqualTo(43);
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void everyTruncationIsAnErrorNamingTheFile() throws IOException {
    final Path file = dir.resolve("ckpt.tlck");
    CheckpointFile.save(sample(), file);
    final byte[] full = Files.readAllBytes(file);
    for (int len = 0; len < full.length; len += Math.max(1, len / 7)) {
      final byte[] cut = Arrays.copyOf(full, len);
      assertThatThrownBy(() -> CheckpointFile.decode("cut.tlck", cut))
          .as("truncated to %d bytes", len)
          .isInstanceOf(CheckpointException.class)
          .hasMessageStartingWith("cut.tlck: ")
          .hasMessageMatching("(?s).*(truncated|cannot fit|not a TensorLink).*");
    }
  }

  @Test
  void truncationInsideTensorDataNamesTheTensor() throws IOException {
    final Path file = dir.resolve("ckpt.tlck");
    CheckpointFile.save(sample(), file);
    final byte[] full = Files.readAllBytes(file);
    final byte[] cut = Arrays.copyOf(full, 150);
    assertThatThrownBy(() -> CheckpointFile.decode("c", cut))
        .hasMessageContaining("truncated at byte 150 while reading params tensor 'fc1.weight' data");
  }

  @Test
  void flippedDataBitIsAChecksumMismatch() throws IOException {
    final Path file = dir.resolve("ckpt.tlck");
    CheckpointFile.save(sample(), file);
    final byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 33] ^= 0x10; // last byte of the last optimizer tensor
    Files.write(file, bytes);
    assertThatThrownBy(() -> CheckpointFile.load(file))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("checksum mismatch");
  }

  @Test
  void flippedStructureBitIsReportedAsCorrupt() throws IOException {
    final Path file = dir.resolve("ckpt.tlck");
    CheckpointFile.save(sample(), file);
    final byte[] full = Files.readAllBytes(file);
    for (int i = 8; i < full.length; i += 5) {
      final byte[] bytes = full.clone();
      bytes[i] ^= 0x40;
      assertThatThrownBy(() -> CheckpointFile.decode("c", bytes))
          .as("bit flipped at byte %d", i)
          .isInstanceOf(CheckpointException.class)
          .hasMessageMatching("(?s)c: .*(corrupt|truncated|rank|negative|duplicate).*");
    }
  }

  @Test
  void wrongMagicVersionAndTrailingBytesAreNamed() throws IOException {
    final Path file = dir.resolve("ckpt.tlck");
    CheckpointFile.save(sample(), file);
    final byte[] bytes = Files.readAllBytes(file);

    final byte[] magic = bytes.clone();
    magic[0] = 'X';
    assertThatThrownBy(() -> CheckpointFile.decode("m", magic)).hasMessageContaining("not a TensorLink checkpoint");

    final byte[] version = bytes.clone();
    version[4] = 2;
    assertThatThrownBy(() -> CheckpointFile.decode("v", version))
        .hasMessageContaining("unsupported checkpoint version 2");

    final byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
    assertThatThrownBy(() -> CheckpointFile.decode("l", longer)).hasMessageContaining("3 unexpected bytes after");
  }

  @Test
  void missingFileIsNamed() {
    final Path file = dir.resolve("none.tlck");
    assertThatThrownBy(() -> CheckpointFile.load(file)).hasMessageContaining("cannot read checkpoint " + file);
  }
}
