package io.tensorlink.contracts.wallet;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.web3j.crypto.exception.CipherException;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.WalletUtils;
import org.web3j.utils.Numeric;

/**
 * Encrypted keystores (web3j/geth "UTC--…" JSON files, scrypt + AES-128-CTR) in one directory.
 *
 * <p>Passwords and keys are never logged nor put in exception messages. Files are created readable
 * by their owner only where the file system supports POSIX permissions.
 */
public final class KeystoreWallet {
  /** How hard the key-derivation function is; {@link #STANDARD} unless a test needs speed. */
  public enum Kdf {
    /** scrypt n=2^18 (geth's default): about a second and 256 MiB per unlock. */
    STANDARD,
    /** scrypt n=2^12: fast, for throw-away devnet and test keys. */
    LIGHT
  }

  private final Path directory;

  public KeystoreWallet(final Path directory) {
    this.directory = directory;
  }

  public Path directory() {
    return directory;
  }

  /** Creates a fresh random key; returns its keystore file. */
  public Path create(final char[] password, final Kdf kdf) {
    try {
      return write(Keys.createEcKeyPair(), password, kdf);
    } catch (InvalidAlgorithmParameterException | NoSuchAlgorithmException | NoSuchProviderException e) {
      throw new WalletException("cannot generate a key: " + e.getMessage(), e);
    }
  }

  /**
   * Encrypts an existing private key (64 hex digits, optional 0x) into a new keystore file.
   *
   * @throws WalletException if the key is malformed (the message never repeats it) or already here
   */
  public Path importKey(final char[] privateKeyHex, final char[] password, final Kdf kdf) {
    final String hex = Numeric.cleanHexPrefix(new String(privateKeyHex).trim());
    if (hex.length() != 64 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new WalletException("a private key must be 64 hex digits (32 bytes), optionally prefixed by 0x");
    }
    final BigInteger key = new BigInteger(hex, 16);
    if (key.signum() == 0 || key.compareTo(org.web3j.crypto.Sign.CURVE_PARAMS.getN()) >= 0) {
      throw new WalletException("the private key is out of range for secp256k1");
    }
    final ECKeyPair pair = ECKeyPair.create(key);
    final String address = Keys.toChecksumAddress(Keys.getAddress(pair));
    if (find(address).isPresent()) {
      throw new WalletException("a keystore for " + address + " already exists in " + directory);
    }
    return write(pair, password, kdf);
  }

  /**
   * Decrypts a keystore file.
   *
   * @throws WalletException naming the file when it is missing, not a keystore, or the password is wrong
   */
  public static Credentials unlock(final Path keystore, final char[] password) {
    if (!Files.isRegularFile(keystore)) {
      throw new WalletException("no keystore file at " + keystore);
    }
    try {
      return WalletUtils.loadCredentials(new String(password), keystore.toFile());
    } catch (CipherException e) {
      if (e.getMessage() != null && e.getMessage().contains("Invalid password")) {
        throw new WalletException("wrong password for keystore " + keystore, e);
      }
      throw new WalletException(keystore + " cannot be decrypted: " + e.getMessage(), e);
    } catch (JsonProcessingException e) {
      throw new WalletException(keystore + " is not a keystore file (invalid JSON)", e);
    } catch (IOException | RuntimeException e) {
      throw new WalletException(keystore + " is not a readable keystore file: " + e.getMessage(), e);
    }
  }

  /** The keystore files in the directory, sorted by name (so by creation time for UTC-- names). */
  public List<Path> list() {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p)).sorted().toList();
    } catch (IOException e) {
      throw new WalletException("cannot list " + directory + ": " + e.getMessage(), e);
    }
  }

  /**
   * The only keystore in the directory.
   *
   * @throws WalletException when there is none, or several (listing them so the user can pick one)
   */
  public Path single() {
    final List<Path> all = list();
    if (all.isEmpty()) {
      throw new WalletException("no keystore in " + directory + "; create one with 'tl-cli wallet new' or 'tl-cli wallet import'");
    }
    if (all.size() > 1) {
      throw new WalletException("several keystores in " + directory + ", pick one with --keystore: " + all);
    }
    return all.get(0);
  }

  /** The keystore holding {@code address}, read from the file name or the file's "address" field. */
  public java.util.Optional<Path> find(final String address) {
    final String wanted = Numeric.cleanHexPrefix(address).toLowerCase(Locale.ROOT);
    return list().stream().filter(p -> wanted.equals(addressOf(p))).findFirst();
  }

  /** The address a keystore file declares (lower-case hex without 0x), without decrypting it. */
  public static String addressOf(final Path keystore) {
    try {
      final var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(keystore.toFile());
      return Numeric.cleanHexPrefix(node.path("address").asText("")).toLowerCase(Locale.ROOT);
    } catch (IOException e) {
      throw new WalletException(keystore + " is not a keystore file: " + e.getMessage(), e);
    }
  }

  private Path write(final ECKeyPair pair, final char[] password, final Kdf kdf) {
    if (password.length == 0) {
      throw new WalletException("the keystore password must not be empty");
    }
    try {
      Files.createDirectories(directory);
      restrict(directory, "rwx------");
      final String name =
          WalletUtils.generateWalletFile(new String(password), pair, directory.toFile(), kdf == Kdf.STANDARD);
      final Path file = directory.resolve(name);
      restrict(file, "rw-------");
      return file;
    } catch (CipherException | IOException e) {
      throw new WalletException("cannot write a keystore in " + directory + ": " + e.getMessage(), e);
    }
  }

  private static void restrict(final Path path, final String permissions) throws IOException {
    if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    }
  }
}
