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
import java.util.Arrays;
import java.util.HexFormat;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import java.util.Optional;

/**
 * One file per escrow in a folder of the party's data dir, replaced atomically (write, fsync, rename),
 * so a crash leaves the previous or the new state, never a torn one. The record holds multisig
 * key-exchange messages, so each file is encrypted: {@code MAGIC ‖ 12-byte nonce ‖ AES-256-GCM(JSON)},
 * with the file name as associated data (a file moved to another escrow's name does not decrypt). A
 * wrong key, a damaged file and an unencrypted one are each a clear error.
 */
public final class EscrowStore {
  static final byte[] MAGIC = "TLXS1".getBytes(StandardCharsets.US_ASCII);
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String FILE_SUFFIX = ".escrow";

  private final Path dir;
  private final StoreKey key;
  private final SecureRandom random = new SecureRandom();

  public EscrowStore(final Path dir, final StoreKey key) {
    this.dir = dir;
    this.key = java.util.Objects.requireNonNull(key, "key");
  }

  public Path dir() {
    return dir;
  }

  public Optional<EscrowRecord> load(final String escrowId) {
    final Path f = file(escrowId);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    return Optional.of(read(f));
  }

  private EscrowRecord read(final Path f) {
    final byte[] bytes;
    try {
      bytes = Files.readAllBytes(f);
    } catch (final IOException e) {
      throw new UncheckedIOException("escrow state " + f + " is unreadable", e);
    }
    if (bytes.length < MAGIC.length + NONCE_BYTES || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new EscrowException(EscrowException.Reason.STATE, "escrow state " + f + " is not an encrypted escrow file"
          + " (damaged, or written by another program)");
    }
    final byte[] json;
    try {
      final Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, bytes, MAGIC.length, NONCE_BYTES));
      c.updateAAD(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
      json = c.doFinal(bytes, MAGIC.length + NONCE_BYTES, bytes.length - MAGIC.length - NONCE_BYTES);
    } catch (final AEADBadTagException e) {
      throw new EscrowException(EscrowException.Reason.STATE, "escrow state " + f + " does not decrypt with this "
          + key.source() + ": wrong " + key.source() + ", or the file was changed or renamed");
    } catch (final GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
    try {
      return EscrowRecord.parse(json);
    } catch (final UncheckedIOException e) {
      throw new UncheckedIOException("escrow state " + f + " is unreadable", e.getCause());
    }
  }

  private byte[] encrypt(final Path f, final byte[] json) {
    try {
      final byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      final Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
      final byte[] sealed = c.doFinal(json);
      final byte[] out = new byte[MAGIC.length + NONCE_BYTES + sealed.length];
      System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
      System.arraycopy(nonce, 0, out, MAGIC.length, NONCE_BYTES);
      System.arraycopy(sealed, 0, out, MAGIC.length + NONCE_BYTES, sealed.length);
      return out;
    } catch (final GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  /** Whether {@code dir} holds no escrow file (no key needed to ask). */
  public static boolean isEmpty(final Path dir) {
    if (!Files.isDirectory(dir)) {
      return true;
    }
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      return files.noneMatch(f -> f.getFileName().toString().endsWith(FILE_SUFFIX));
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** Every escrow in the folder, sorted by escrow id (for status listings). */
  public java.util.List<EscrowRecord> list() {
    if (!Files.isDirectory(dir)) {
      return java.util.List.of();
    }
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(FILE_SUFFIX)).map(this::read).sorted(java.util.Comparator.comparing(r -> r.terms().escrowId())).toList();
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  public void save(final EscrowRecord record) {
    final Path f = file(record.terms().escrowId());
    try {
      Files.createDirectories(dir);
      // A fresh temporary name per write: two writers of one escrow (a process being replaced by its
      // restart) then race only on the atomic rename, never on a half-written shared temporary file.
      final Path tmp = Files.createTempFile(dir, f.getFileName().toString(), ".tmp");
      final byte[] sealed = encrypt(f, record.toJson());
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(java.nio.ByteBuffer.wrap(sealed));
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
    return dir.resolve(safe.substring(0, Math.min(40, safe.length())) + "-" + shortHash(escrowId) + FILE_SUFFIX);
  }

  static String shortHash(final String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)), 0, 6);
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
