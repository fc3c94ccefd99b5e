package io.tensorlink.cli.train;

import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks, before any work, that a file the command will write at the end can be written. */
final class OutputFiles {
  private OutputFiles() {}

  /** The file's folder exists and is writable, and the file itself is not a folder or read-only. */
  static void requireWritable(final String option, final Path file) {
    final Path absolute = file.toAbsolutePath();
    final Path dir = absolute.getParent();
    if (Files.isDirectory(absolute)) {
      throw new CliException(option + " " + file + " is a directory; give a file name", ExitCodes.USAGE);
    }
    if (dir == null || !Files.isDirectory(dir)) {
      throw new CliException(option + " " + file + ": folder " + dir + " does not exist", ExitCodes.USAGE);
    }
    if (!Files.isWritable(dir) || Files.exists(absolute) && !Files.isWritable(absolute)) {
      throw new CliException(option + " " + file + " is not writable", ExitCodes.USAGE);
    }
  }
}
