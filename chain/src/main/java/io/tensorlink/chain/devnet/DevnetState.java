package io.tensorlink.chain.devnet;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * What {@code devnet up} records in the data dir so that {@code down} and {@code status} find the
 * chain again from another process: the PID it must stop (and only that one) and the port.
 */
public record DevnetState(long pid, int port, String rpcUrl, long chainId, String logFile, String startedAt) {
  static final String FILE_NAME = "devnet.json";
  private static final ObjectMapper JSON =
      new ObjectMapper();

  /** The recorded state, or empty when no devnet was started from this data dir. */
  public static Optional<DevnetState> read(final Path dataDir) {
    final Path file = dataDir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), DevnetState.class));
    } catch (IOException e) {
      // Jackson's own message carries the parser's source location; the original one is enough.
      final String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new DevnetStateException(file + ": unreadable devnet state (" + why
          + "); stop anvil by hand if it runs, then delete this file");
    }
  }

  /** Writes atomically, so a killed process never leaves half a state file. */
  void write(final Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      final Path tmp = Files.createTempFile(dataDir, FILE_NAME, ".tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
      Files.move(tmp, dataDir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new DevnetException("cannot write devnet state in " + dataDir + ": " + e.getMessage());
    }
  }

  static void delete(final Path dataDir) {
    try {
      Files.deleteIfExists(dataDir.resolve(FILE_NAME));
    } catch (IOException e) {
      throw new DevnetException("cannot delete devnet state in " + dataDir + ": " + e.getMessage());
    }
  }
}
