package io.tensorlink.cli.contracts;

import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.contracts.deploy.MnemonicAccounts;
import io.tensorlink.contracts.devnet.DevnetGenesis;
import io.tensorlink.contracts.wallet.KeystoreWallet;
import io.tensorlink.contracts.wallet.WalletException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.web3j.crypto.WalletUtils;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Which account signs: a keystore (the default), or a public devnet genesis account. */
public final class AccountOptions {
  @Option(names = "--keystore", paramLabel = "<file>",
      description = "Keystore file to sign with (default: the only one in <data-dir>/keystore).")
  Path keystore;

  @Option(names = "--from", paramLabel = "<address|name>",
      description = "Sign with the keystore in <data-dir>/keystore holding this address, or whose file name starts with <name>.")
  String from;

  @Option(names = "--genesis-account", paramLabel = "<n>",
      description = "Sign with account n of the devnet genesis mnemonic instead of a keystore (devnet chain id only).")
  Integer genesisAccount;

  @Mixin PasswordOptions password;

  /** The keystore directory of a data dir. */
  public static Path keystoreDir(final CliContext ctx) {
    return ctx.dataDir().resolve("keystore");
  }

  /** Unlocks the signing account; {@code chainId} guards the public genesis keys to the devnet. */
  public Credentials unlock(final CliContext ctx, final long chainId) {
    if (genesisAccount != null) {
      requireOneChoice();
      return genesisAccount(ctx, genesisAccount, chainId);
    }
    return unlockKeystore(ctx);
  }

  /** Whether the caller chose a devnet genesis account, whose use needs the chain id. */
  public boolean genesis() {
    return genesisAccount != null;
  }

  /** Whether the caller chose an account explicitly (a keystore or a genesis account). */
  public boolean explicit() {
    return keystore != null || genesisAccount != null || from != null;
  }

  private void requireOneChoice() {
    if ((keystore != null ? 1 : 0) + (genesisAccount != null ? 1 : 0) + (from != null ? 1 : 0) > 1) {
      throw new CliException("give one of --keystore, --from and --genesis-account", ExitCodes.USAGE);
    }
  }

  /** The chosen account's address, without unlocking anything. */
  public String address(final CliContext ctx, final long chainId) {
    if (genesisAccount != null) {
      return genesisAccount(ctx, genesisAccount, chainId).getAddress();
    }
    try {
      return "0x" + KeystoreWallet.addressOf(keystoreFile(ctx));
    } catch (WalletException e) {
      throw new CliException(e.getMessage(), ExitCodes.CONFIG);
    }
  }

  /** The keystore file chosen by --from/--keystore, else the only one. */
  public Path keystoreFile(final CliContext ctx) {
    requireOneChoice();
    try {
      if (from != null) {
        return byAddressOrName(new KeystoreWallet(keystoreDir(ctx)), from);
      }
      return keystore != null ? keystore : new KeystoreWallet(keystoreDir(ctx)).single();
    } catch (WalletException e) {
      throw new CliException(e.getMessage(), ExitCodes.CONFIG);
    }
  }

  /** The keystore of {@code wanted}: an address, else the one file whose name starts with it. */
  public static Path byAddressOrName(final KeystoreWallet wallet, final String wanted) {
    if (WalletUtils.isValidAddress(wanted)) {
      return wallet.find(wanted).orElseThrow(() -> new CliException(
          "no keystore for " + wanted + " in " + wallet.directory() + " ('tl-cli wallet list' shows them)", ExitCodes.CONFIG));
    }
    final List<Path> named = wallet.list().stream().filter(p -> p.getFileName().toString().startsWith(wanted)).toList();
    if (named.size() != 1) {
      throw new CliException((named.isEmpty() ? "no keystore" : "several keystores") + " named '" + wanted + "…' in "
          + wallet.directory() + " ('tl-cli wallet list' shows them)", ExitCodes.CONFIG);
    }
    return named.get(0);
  }

  /** Decrypts the chosen keystore with the password from --password-file/--password-env or a prompt. */
  public Credentials unlockKeystore(final CliContext ctx) {
    final Path file = keystoreFile(ctx);
    final char[] secret = password.read(ctx, "keystore", false);
    try {
      return KeystoreWallet.unlock(file, secret);
    } catch (WalletException e) {
      throw new CliException(e.getMessage(), ExitCodes.CONFIG);
    } finally {
      Arrays.fill(secret, '\0');
    }
  }

  static Credentials genesisAccount(final CliContext ctx, final int index, final long chainId) {
    final DevnetGenesis genesis = ChainOptions.genesis(ctx, null);
    if (genesis.chainId() != chainId) {
      throw new CliException("--genesis-account uses the public devnet mnemonic: refused on chain " + chainId
          + " (devnet chain id is " + genesis.chainId() + ")", ExitCodes.USAGE);
    }
    if (index < 0 || index >= genesis.accounts()) {
      throw new CliException("--genesis-account must be 0.." + (genesis.accounts() - 1) + ", got " + index, ExitCodes.USAGE);
    }
    return new MnemonicAccounts(genesis.mnemonic()).account(index);
  }
}
