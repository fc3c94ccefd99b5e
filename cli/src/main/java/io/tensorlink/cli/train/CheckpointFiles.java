package io.tensorlink.cli.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Tells a TensorLink checkpoint from other weight files by its magic bytes, to point at the right flag. */
final class CheckpointFiles {
  private static final byte[] MAGIC = "TLCK".getBytes(StandardCharsets.US_ASCII);

  private CheckpointFiles() {}

  /** Whether the file starts with the TLCK magic (false when it cannot be read: the real read reports why). */
  static boolean isCheckpoint(final Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
    } catch (IOException e) {
      return false;
    }
  }
}
