package io.tensorlink.p2p.crypto;

import io.tensorlink.p2p.util.MalformedInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The node's private key on disk: {@code "TLK1"} magic, the protobuf {@code PrivateKey}, then a
 * CRC32C of both, so truncation and bit rot are reported as such instead of as an odd key. Written
 * to a temporary file with owner-only permissions (rw-------) and linked into place atomically, so
 * two nodes racing on one data directory end up with the same key.
 */
public final class KeyFile {
  /** Default file name inside the node's data directory. */
  public static final String DEFAULT_NAME = "p2p-identity.key";

  private static final byte[] MAGIC = {'T', 'L', 'K', '1'};
  private static final int MAX_FILE = 4096;
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private KeyFile() {}

  /** Loads the key at {@code path}, or creates and saves a new one of {@code type}. */
  public static PrivKey loadOrCreate(final Path path, final KeyType type) throws IOException {
    if (Files.exists(path)) {
      return load(path);
    }
    final PrivKey key = Keys.generate(type);
    try {
      save(path, key);
    } catch (final FileAlreadyExistsException e) {
      return load(path); // another process created it first
    }
    return key;
  }

  /**
   * Reads a key file.
   *
   * @throws KeyFileException naming the file and the defect when it is corrupt
   */
  public static PrivKey load(final Path path) throws IOException {
    final long size = Files.size(path);
    if (size > MAX_FILE) {
      throw new KeyFileException(path, "file is " + size + " bytes, larger than any key file");
    }
    final byte[] bytes = Files.readAllBytes(path);
    if (bytes.length < MAGIC.length + 4 || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new KeyFileException(path, "not a TensorLink key file (bad magic)");
    }
    final int bodyEnd = bytes.length - 4;
    final CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bodyEnd);
    if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bodyEnd, 4).getInt()) {
      throw new KeyFileException(path, "checksum mismatch (truncated or corrupted)");
    }
    try {
      return Keys.unmarshalPrivate(Arrays.copyOfRange(bytes, MAGIC.length, bodyEnd));
    } catch (final MalformedInputException e) {
      throw new KeyFileException(path, e.getMessage());
    }
  }

  /** Writes {@code key} to a new file at {@code path}; fails if the file exists. */
  public static void save(final Path path, final PrivKey key) throws IOException {
    if (Files.exists(path)) {
      throw new FileAlreadyExistsException(path.toString(), null, "refusing to overwrite a key file");
    }
    final byte[] body = key.marshal();
    final ByteBuffer out = ByteBuffer.allocate(MAGIC.length + body.length + 4);
    out.put(MAGIC).put(body);
    final CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, out.position());
    out.putInt((int) crc.getValue());
    final Path dir = path.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    final Path tmp = Files.createTempFile(dir, ".identity", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    try {
      Files.write(tmp, out.array());
      try {
        // A hard link appears atomically and, unlike rename, never replaces a key another process
        // wrote in the meantime: it fails with FileAlreadyExistsException instead.
        Files.createLink(path, tmp);
      } catch (final UnsupportedOperationException e) {
        Files.move(tmp, path); // no REPLACE_EXISTING: still refuses to overwrite
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** A key file exists but cannot be used; the message names the file and the defect. */
  public static final class KeyFileException extends IOException {
    public KeyFileException(final Path path, final String defect) {
      super("key file " + path + " is unusable: " + defect);
    }
  }
}
