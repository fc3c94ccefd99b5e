package io.tensorlink.cli.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * {@code node.json} in the data dir: how to reach the running node (its pid, RPC and metrics URLs,
 * p2p addresses). Written atomically after the node is up, removed when it stops; a stale file
 * (its pid gone) reads as "not running".
 */
public record NodeRunFile(long pid, String rpcUrl, String metricsUrl, String peerId, List<String> p2pAddresses) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public NodeRunFile {
    p2pAddresses = List.copyOf(p2pAddresses);
  }

  void write(final Path file) {
    try {
      Files.createDirectories(file.getParent());
      final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new CliException("cannot write " + file + ": " + e.getMessage(), ExitCodes.FAILURE, e);
    }
  }

  /** The run file of a live node; empty when there is none or its process is gone. */
  static Optional<NodeRunFile> readLive(final Path file) {
    final NodeRunFile run;
    try {
      run = JSON.readValue(Files.readAllBytes(file), NodeRunFile.class);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new CliException(file + " is damaged (" + e.getMessage().lines().findFirst().orElse("") + "): delete it if no node runs",
          ExitCodes.CONFIG, e);
    }
    return ProcessHandle.of(run.pid()).filter(ProcessHandle::isAlive).map(p -> run);
  }

  static NodeRunFile requireLive(final Path file) {
    return readLive(file).orElseThrow(() -> new CliException(
        "no node is running from " + file.getParent() + " (start one with 'tl-cli node start')", ExitCodes.NOT_RUNNING));
  }
}
