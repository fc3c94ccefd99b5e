package io.tensorlink.contracts.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.contracts.wallet.KeystoreWallet.Kdf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

class KeystoreWalletTest {
  /** anvil's well-known account 0 of the public test mnemonic. */
  private static final String KEY0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
  private static final String ADDRESS0 = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";

  @TempDir Path dir;

  @Test
  void importedKeyUnlocksToTheSameAddressAndFileIsPrivate() throws Exception {
    final KeystoreWallet wallet = new KeystoreWallet(dir.resolve("keystore"));
    final Path file = wallet.importKey(KEY0.toCharArray(), "pw-1".toCharArray(), Kdf.LIGHT);

    final Credentials credentials = KeystoreWallet.unlock(file, "pw-1".toCharArray());

    assertThat(credentials.getAddress()).isEqualTo(ADDRESS0);
    assertThat(KeystoreWallet.addressOf(file)).isEqualTo(ADDRESS0.substring(2));
    assertThat(wallet.single()).isEqualTo(file);
    assertThat(Files.readString(file)).doesNotContain(KEY0.substring(2)).doesNotContain("pw-1");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void createdKeyUnlocksWithStandardScrypt() {
    final KeystoreWallet wallet = new KeystoreWallet(dir);
    final Path file = wallet.create("correct horse".toCharArray(), Kdf.STANDARD);

    assertThat(KeystoreWallet.unlock(file, "correct horse".toCharArray()).getAddress())
        .isEqualTo("0x" + KeystoreWallet.addressOf(file));
    assertThat(Files.exists(file)).isTrue();
  }

  @Test
  void wrongPasswordIsReportedWithTheFile() {
    final Path file = new KeystoreWallet(dir).importKey(KEY0.toCharArray(), "right".toCharArray(), Kdf.LIGHT);

    assertThatThrownBy(() -> KeystoreWallet.unlock(file, "wrong".toCharArray()))
        .isInstanceOf(WalletException.class)
        .hasMessage("wrong password for keystore " + file);
  }

  @Test
  void badKeystoresAndKeysGiveClearErrorsWithoutEchoingSecrets() throws Exception {
    final KeystoreWallet wallet = new KeystoreWallet(dir);
    final Path garbage = Files.writeString(dir.resolve("garbage.json"), "{not json");

    assertThatThrownBy(() -> KeystoreWallet.unlock(garbage, "x".toCharArray()))
        .hasMessageContaining("is not a keystore file");
    assertThatThrownBy(() -> KeystoreWallet.unlock(dir.resolve("missing.json"), "x".toCharArray()))
        .hasMessageContaining("no keystore file at");
    assertThatThrownBy(() -> wallet.importKey("0x1234".toCharArray(), "x".toCharArray(), Kdf.LIGHT))
        .hasMessageContaining("64 hex digits")
        .hasMessageNotContaining("1234");
    assertThatThrownBy(() -> wallet.importKey(("0x" + "f".repeat(64)).toCharArray(), "x".toCharArray(), Kdf.LIGHT))
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> wallet.create(new char[0], Kdf.LIGHT)).hasMessageContaining("must not be empty");
  }

  @Test
  void selectingAKeystoreNeedsExactlyOne() {
    final KeystoreWallet wallet = new KeystoreWallet(dir.resolve("ks"));
    assertThatThrownBy(wallet::single).hasMessageContaining("no keystore in").hasMessageContaining("wallet new");

    wallet.importKey(KEY0.toCharArray(), "a".toCharArray(), Kdf.LIGHT);
    assertThatThrownBy(() -> wallet.importKey(KEY0.toCharArray(), "a".toCharArray(), Kdf.LIGHT))
        .hasMessageContaining("already exists");
    wallet.create("b".toCharArray(), Kdf.LIGHT);

    assertThatThrownBy(wallet::single).hasMessageContaining("several keystores").hasMessageContaining("--keystore");
    assertThat(wallet.find(ADDRESS0)).isPresent();
  }
}
