package io.tensorlink.cli.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.cli.CliRun;
import io.tensorlink.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tl-cli wallet without a chain: keystores in the data dir and where passwords come from. */
class WalletCommandTest {
  private static final String KEY0 = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
  private static final String ADDRESS0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

  @TempDir Path dataDir;
  @TempDir Path secrets;

  @Test
  void newWithAPasswordFileCreatesAPrivateKeystoreAndShowListsIt() throws Exception {
    final Path pw = Files.writeString(secrets.resolve("pw"), "hunter2\n");

    final CliRun created = CliRun.run(dataDir, "wallet", "new", "--password-file", pw.toString(), "--Xlight-kdf");

    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(created.out()).containsPattern("created 0x[0-9a-fA-F]{40}\nkeystore " + dataDir.resolve("keystore") + "/UTC--");
    final Path file;
    try (var files = Files.list(dataDir.resolve("keystore"))) {
      file = files.findFirst().orElseThrow();
    }
    assertThat(Files.readString(file)).doesNotContain("hunter2");
    final CliRun shown = CliRun.run(dataDir, "wallet", "show", "--offline");
    assertThat(shown.exitCode()).isZero();
    assertThat(shown.out()).contains(file.toString());
  }

  @Test
  void importFromAFileGivesTheKeysAddressWithoutPrintingTheKey() throws Exception {
    final Path key = Files.writeString(secrets.resolve("key"), "0x" + KEY0 + "\n");

    final CliRun imported = CliRun.run(dataDir, Map.of("PW", "pw"), "wallet", "import",
        "--private-key-file", key.toString(), "--password-env", "PW", "--Xlight-kdf");

    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(imported.out()).startsWith("imported " + ADDRESS0).doesNotContain(KEY0);
    final CliRun again = CliRun.run(dataDir, Map.of("PW", "pw"), "wallet", "import",
        "--private-key-file", key.toString(), "--password-env", "PW", "--Xlight-kdf");
    assertThat(again.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(again.err()).contains("a keystore for " + ADDRESS0 + " already exists");
  }

  @Test
  void malformedKeysAndMissingPasswordSourcesAreClearErrors() throws Exception {
    final Path shortKey = Files.writeString(secrets.resolve("k"), "0x1234");
    final CliRun bad = CliRun.run(dataDir, Map.of("PW", "pw"), "wallet", "import", "--private-key-file", shortKey.toString(), "--password-env", "PW");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains("64 hex digits").doesNotContain("1234");

    // Tests run without a terminal, so there is nobody to prompt.
    final CliRun noSource = CliRun.run(dataDir, "wallet", "new");
    assertThat(noSource.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(noSource.err()).contains("no terminal to prompt for the new keystore password; use --password-file <file> or --password-env <NAME>");

    final CliRun unset = CliRun.run(dataDir, "wallet", "new", "--password-env", "TL_NOT_SET");
    assertThat(unset.err()).contains("environment variable TL_NOT_SET (--password-env) is not set or empty");

    final Path empty = Files.writeString(secrets.resolve("empty"), "");
    assertThat(CliRun.run(dataDir, "wallet", "new", "--password-file", empty.toString()).err()).contains("is empty");

    final CliRun both = CliRun.run(dataDir, Map.of("PW", "x"), "wallet", "new", "--password-env", "PW", "--password-file", empty.toString());
    assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);

    final CliRun flagValue = CliRun.run(dataDir, "wallet", "new", "--password", "x");
    assertThat(flagValue.exitCode()).isEqualTo(ExitCodes.USAGE);

    final CliRun none = CliRun.run(dataDir, "wallet", "show");
    assertThat(none.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(none.err()).contains("no keystore in " + dataDir.resolve("keystore"));
  }

  @Test
  void listExportAndChangeThePassword() throws Exception {
    final Path key = Files.writeString(secrets.resolve("key"), KEY0 + "\n");
    final Map<String, String> env = Map.of("OLD", "correct horse", "NEW", "battery staple", "SHORT", "abc");
    assertThat(CliRun.run(dataDir, env, "wallet", "import", "--private-key-file", key.toString(), "--password-env", "OLD",
        "--Xlight-kdf").exitCode()).isZero();

    final CliRun list = CliRun.run(dataDir, "wallet", "list");
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out()).startsWith(ADDRESS0 + "  " + dataDir.resolve("keystore"));

    final CliRun exported = CliRun.run(dataDir, "wallet", "export", ADDRESS0);
    assertThat(exported.exitCode()).as(exported.err()).isZero();
    assertThat(exported.out()).contains("\"crypto\"").doesNotContain(KEY0);
    final Path backup = secrets.resolve("backup.json");
    assertThat(CliRun.run(dataDir, "wallet", "export", "UTC--", "--out", backup.toString()).exitCode()).isZero();
    assertThat(backup).exists();
    assertThat(CliRun.run(dataDir, "wallet", "export", "UTC--", "--out", backup.toString()).exitCode()).isEqualTo(ExitCodes.USAGE);

    final CliRun changed = CliRun.run(dataDir, env, "wallet", "password", "--from", ADDRESS0, "--password-env", "OLD",
        "--new-password-env", "SHORT", "--Xlight-kdf");
    assertThat(changed.exitCode()).as(changed.err()).isZero();
    assertThat(changed.out()).startsWith("password changed for " + ADDRESS0);
    assertThat(changed.err()).contains("warning: the password has 3 characters");

    final CliRun wrongOld = CliRun.run(dataDir, env, "wallet", "password", "--password-env", "OLD", "--new-password-env", "NEW");
    assertThat(wrongOld.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(wrongOld.err()).contains("wrong password");
    assertThat(CliRun.run(dataDir, "wallet", "list").out().lines()).as("still one keystore").hasSize(1);
  }
}
