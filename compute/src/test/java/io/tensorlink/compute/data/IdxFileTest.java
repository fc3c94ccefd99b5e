package io.tensorlink.compute.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {

  @TempDir Path dir;

  static byte[] idx(final int dims, final int[] shape, final byte[] body) {
    final ByteBuffer b = ByteBuffer.allocate(4 + 4 * shape.length + body.length);
    b.put((byte) 0).put((byte) 0).put((byte) 8).put((byte) dims);
    for (final int d : shape) {
      b.putInt(d);
    }
    return b.put(body).array();
  }

  static byte[] gzip(final byte[] raw) throws IOException {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(raw);
    }
    return bytes.toByteArray();
  }

  private Path write(final String name, final byte[] content) throws IOException {
    return Files.write(dir.resolve(name), content);
  }

  @Test
  void readsGzippedAndPlainFilesAlike() throws IOException {
    final byte[] body = {1, 2, 3, 4, 5, (byte) 255};
    final byte[] raw = idx(3, new int[] {1, 2, 3}, body);
    final IdxFile gz = IdxFile.read(write("a.gz", gzip(raw)), 3);
    final IdxFile plain = IdxFile.read(write("a", raw), 3);
    assertThat(gz.shape()).containsExactly(1, 2, 3);
    assertThat(gz.data()).containsExactly(body);
    assertThat(plain.data()).containsExactly(body);
    assertThat(gz.get(5)).isEqualTo(255);
  }

  @Test
  void badMagicNamesFileAndValue() throws IOException {
    final byte[] raw = idx(3, new int[] {1, 1, 1}, new byte[] {0});
    raw[2] = 0x0D; // float32 type code
    final Path file = write("images.gz", gzip(raw));
    assertThatThrownBy(() -> IdxFile.read(file, 3))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("bad magic 0x00000d03");
  }

  @Test
  void wrongRankIsBadMagic() throws IOException {
    final Path file = write("labels", idx(1, new int[] {2}, new byte[] {0, 1}));
    assertThatThrownBy(() -> IdxFile.read(file, 3))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("expected 0x00000803");
  }

  @Test
  void truncatedBodyReportsDeclaredAndPresentSizes() throws IOException {
    final byte[] raw = idx(3, new int[] {2, 2, 2}, new byte[8]);
    final Path file = write("short.gz", gzip(Arrays.copyOf(raw, raw.length - 3)));
    assertThatThrownBy(() -> IdxFile.read(file, 3))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("truncated")
        .hasMessageContaining("8 bytes but only 5 follow");
  }

  @Test
  void truncatedHeaderIsReported() throws IOException {
    final Path file = write("hdr", new byte[] {0, 0, 8, 3, 0, 0});
    assertThatThrownBy(() -> IdxFile.read(file, 3))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("truncated header (dimension 0 missing)");
  }

  @Test
  void truncatedGzipStreamIsReported() throws IOException {
    final byte[] gz = gzip(idx(1, new int[] {4096}, new byte[4096]));
    final Path file = write("cut.gz", Arrays.copyOf(gz, gz.length / 2));
    assertThatThrownBy(() -> IdxFile.read(file, 1))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("truncated");
  }

  @Test
  void nonPositiveDimensionIsRejected() throws IOException {
    final Path file = write("neg", idx(1, new int[] {-5}, new byte[0]));
    assertThatThrownBy(() -> IdxFile.read(file, 1)).hasMessageContaining("dimension 0 is -5");
  }

  @Test
  void missingFileIsReported() {
    final Path file = dir.resolve("absent.gz");
    assertThatThrownBy(() -> IdxFile.read(file, 1))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("cannot read");
  }
}
