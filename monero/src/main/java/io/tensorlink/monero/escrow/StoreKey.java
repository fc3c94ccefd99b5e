package io.tensorlink.monero.escrow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 key an {@link EscrowStore} encrypts its files with, and where it came from: a password the
 * user names (PBKDF2-HMAC-SHA256 with a random salt kept next to the files; the salt is not secret) or
 * the party's account key (HMAC-SHA256 of a fixed label under the key, so the store key reveals nothing
 * of the account key). {@link #toString()} never shows key material.
 */
public final class StoreKey {
  /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256; derived once per store, not per file. */
  static final int PBKDF2_ITERATIONS = 600_000;
  private static final String SALT_FILE = "store.salt";
  private static final byte[] ACCOUNT_LABEL = "tensorlink/xmr-escrow-store/1".getBytes(StandardCharsets.UTF_8);

  private final SecretKey key;
  private final String source;

  private StoreKey(final byte[] raw, final String source) {
    this.key = new SecretKeySpec(raw, "AES");
    Arrays.fill(raw, (byte) 0);
    this.source = source;
  }

  /**
   * A key from a password for the store in {@code dir}; the salt is created there on first use. An
   * empty password is refused: it would protect nothing.
   */
  public static StoreKey fromPassword(final char[] password, final Path dir) {
    if (password.length == 0) {
      throw new IllegalArgumentException("the escrow store password is empty");
    }
    try {
      final SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
      final PBEKeySpec spec = new PBEKeySpec(password, salt(dir), PBKDF2_ITERATIONS, 256);
      try {
        return new StoreKey(f.generateSecret(spec).getEncoded(), "password");
      } finally {
        spec.clearPassword();
      }
    } catch (final GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA256", e);
    }
  }

  /** A key from the party's account secret (e.g. its 32-byte secp256k1 private key). */
  public static StoreKey fromAccountKey(final byte[] accountSecret) {
    if (accountSecret.length < 16) {
      throw new IllegalArgumentException("an account secret of " + accountSecret.length + " bytes is too short for a store key");
    }
    try {
      final Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(accountSecret, "HmacSHA256"));
      return new StoreKey(mac.doFinal(ACCOUNT_LABEL), "account key");
    } catch (final GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HmacSHA256", e);
    }
  }

  SecretKey key() {
    return key;
  }

  /** "password" or "account key": named in errors, so a wrong key says which kind was tried. */
  public String source() {
    return source;
  }

  private static byte[] salt(final Path dir) {
    final Path f = dir.resolve(SALT_FILE);
    try {
      Files.createDirectories(dir);
      if (!Files.exists(f)) {
        final byte[] fresh = new byte[16];
        new SecureRandom().nextBytes(fresh);
        try {
          Files.write(f, fresh, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
        } catch (final FileAlreadyExistsException raced) {
          // another process created it first: use theirs
        }
      }
      final byte[] salt = Files.readAllBytes(f);
      if (salt.length != 16) {
        throw new IllegalStateException("the escrow store salt " + f + " is damaged (" + salt.length + " bytes, expected 16)");
      }
      return salt;
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot read or create the escrow store salt " + f, e);
    }
  }

  @Override
  public String toString() {
    return "StoreKey[" + source + "]";
  }
}
