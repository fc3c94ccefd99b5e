package io.tensorlink.contracts.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The {@code deployments/} folder: one {@code <chainId>.json} per chain (see
 * {@code deployments/README.md}). Writes go through a temporary file and an atomic move, so a
 * crash never leaves a half-written record.
 */
public final class DeploymentStore {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path directory;

  public DeploymentStore(final Path directory) {
    this.directory = directory;
  }

  public Path file(final long chainId) {
    return directory.resolve(chainId + ".json");
  }

  /** The recorded deployment for a chain, if there is one. */
  public Optional<Deployment> read(final long chainId) {
    final Path file = file(chainId);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      final Deployment d = JSON.readValue(file.toFile(), Deployment.class);
      if (d.chainId() != chainId) {
        throw new DeploymentException(file + " records chain id " + d.chainId() + ", not " + chainId);
      }
      return Optional.of(d);
    } catch (IOException e) {
      throw new DeploymentException(file + " is not a deployment record: " + e.getMessage(), e);
    }
  }

  /** Like {@link #read} but fails with the command to run when there is no record. */
  public Deployment require(final long chainId) {
    return read(chainId)
        .orElseThrow(
            () -> new DeploymentException(
                "no deployment recorded for chain " + chainId + " in " + directory + "; run 'tl-cli contracts deploy' first"));
  }

  public Path write(final Deployment deployment) {
    final Path file = file(deployment.chainId());
    try {
      Files.createDirectories(directory);
      final Path tmp = Files.createTempFile(directory, deployment.chainId() + ".", ".tmp");
      JSON.writeValue(tmp.toFile(), deployment);
      // Temporary files are owner-only; a deployment record is public information.
      if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      }
      return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new DeploymentException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
