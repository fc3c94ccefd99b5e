package io.tensorlink.monero.escrow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One JSON file per escrow in a folder of the party's data dir, replaced atomically (write, fsync,
 * rename), so a crash leaves the previous or the new state, never a torn one. The file holds multisig
 * key-exchange messages: the folder must be private to the node.
 */
public final class EscrowStore {
  private final Path dir;

  public EscrowStore(final Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  public Optional<EscrowRecord> load(final String escrowId) {
    final Path f = file(escrowId);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(EscrowJson.CANONICAL.readValue(f.toFile(), EscrowRecord.class));
    } catch (final IOException e) {
      throw new UncheckedIOException("escrow state " + f + " is unreadable", e);
    }
  }

  /** Every escrow in the folder, sorted by escrow id (for status listings). */
  public java.util.List<EscrowRecord> list() {
    if (!Files.isDirectory(dir)) {
      return java.util.List.of();
    }
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".json")).map(f -> {
        try {
          return EscrowJson.CANONICAL.readValue(f.toFile(), EscrowRecord.class);
        } catch (final IOException e) {
          throw new UncheckedIOException("escrow state " + f + " is unreadable", e);
        }
      }).sorted(java.util.Comparator.comparing(r -> r.terms().escrowId())).toList();
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  public void save(final EscrowRecord record) {
    final Path f = file(record.terms().escrowId());
    try {
      Files.createDirectories(dir);
      final Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
      final byte[] json = EscrowJson.CANONICAL.writerWithDefaultPrettyPrinter().writeValueAsBytes(record);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(java.nio.ByteBuffer.wrap(json));
        ch.force(true);
      }
      try {
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (final AtomicMoveNotSupportedException e) {
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot write escrow state " + f, e);
    }
  }

  /** A readable, collision-free file name for any escrow id. */
  Path file(final String escrowId) {
    final String safe = escrowId.replaceAll("[^A-Za-z0-9._-]", "_");
    return dir.resolve(safe.substring(0, Math.min(40, safe.length())) + "-" + shortHash(escrowId) + ".json");
  }

  static String shortHash(final String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)), 0, 6);
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
