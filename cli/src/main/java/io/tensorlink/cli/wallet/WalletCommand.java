package io.tensorlink.cli.wallet;

import io.tensorlink.cli.support.Examples;
import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.TlCli;
import io.tensorlink.cli.contracts.AccountOptions;
import io.tensorlink.cli.contracts.ChainOptions;
import io.tensorlink.cli.contracts.ChainSession;
import io.tensorlink.cli.contracts.PasswordOptions;
import io.tensorlink.cli.contracts.Transactions;
import io.tensorlink.cli.support.Units;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.wallet.KeystoreWallet;
import io.tensorlink.contracts.wallet.WalletException;
import io.tensorlink.cli.support.Facts;
import io.tensorlink.cli.support.JsonOption;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Optional;
import org.web3j.protocol.core.RemoteCall;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.web3j.crypto.Keys;
import org.web3j.protocol.core.DefaultBlockParameterName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tl-cli wallet new|import|list|show|export|password}: encrypted keystores in {@code <data-dir>/keystore}. */
@Command(name = "wallet", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli wallet new", "  tl-cli wallet show"}, description = "Create, import, list, export and re-encrypt account keystores.")
public final class WalletCommand {
  /** The commands of this group, built only when a command line names the group (see CommandTree). */
  public static List<Class<?>> commands() {
    return List.of(WalletCommand.New.class, WalletCommand.Import.class, WalletCommand.ListAccounts.class, WalletCommand.Show.class, WalletCommand.Export.class, WalletCommand.ChangePassword.class);
  }


  /** Options shared by the commands that write a keystore. */
  static final class WriteOptions {
    @Mixin PasswordOptions password;

    @Option(names = "--Xlight-kdf", hidden = true, description = "Weak scrypt parameters, for throw-away test keys.")
    boolean lightKdf;

    KeystoreWallet.Kdf kdf() {
      return WalletCommand.kdf(lightKdf);
    }

    char[] newPassword(final CliContext ctx, final CommandSpec spec) {
      return WalletCommand.newPassword(ctx, spec, password);
    }
  }

  static KeystoreWallet.Kdf kdf(final boolean light) {
    return light ? KeystoreWallet.Kdf.LIGHT : KeystoreWallet.Kdf.STANDARD;
  }

  /** A new keystore's password (asked twice on a prompt), with a warning on stderr when it is short. */
  static char[] newPassword(final CliContext ctx, final CommandSpec spec, final PasswordOptions source) {
    final char[] secret = source.read(ctx, "new keystore", true);
    if (secret.length < MIN_PASSWORD) {
      spec.commandLine().getErr().println("warning: the password has " + secret.length + " characters; "
          + MIN_PASSWORD + " or more resist guessing far better if the keystore file leaks");
      spec.commandLine().getErr().flush();
    }
    return secret;
  }

  /** Below this length a keystore password draws a warning. */
  static final int MIN_PASSWORD = 8;

  @Command(name = "new", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli wallet new", "  tl-cli wallet new --password-file pw.txt"}, description = "Generate a new account and store it encrypted (scrypt) in <data-dir>/keystore.")
  static final class New implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin WriteOptions write;

    @Override
    public Integer call() {
      final CliContext ctx = TlCli.context(spec);
      final char[] password = write.newPassword(ctx, spec);
      try {
        final Path file = new KeystoreWallet(AccountOptions.keystoreDir(ctx)).create(password, write.kdf());
        report(ctx.out(), "created", file);
        return ExitCodes.OK;
      } catch (WalletException e) {
        throw new CliException(e.getMessage());
      } finally {
        Arrays.fill(password, '\0');
      }
    }
  }

  @Command(name = "import", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli wallet import --private-key-file key.hex --password-file pw.txt"}, description = "Encrypt an existing private key into <data-dir>/keystore.")
  static final class Import implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin WriteOptions write;

    @Option(names = "--private-key-file", paramLabel = "<file>", description = "Read the hex private key from this file.")
    Path keyFile;

    @Option(names = "--private-key-env", paramLabel = "<NAME>", description = "Read the hex private key from this environment variable.")
    String keyEnv;

    @Override
    public Integer call() {
      final CliContext ctx = TlCli.context(spec);
      final char[] key = privateKey(ctx);
      final char[] password = write.newPassword(ctx, spec);
      try {
        final Path file = new KeystoreWallet(AccountOptions.keystoreDir(ctx)).importKey(key, password, write.kdf());
        report(ctx.out(), "imported", file);
        return ExitCodes.OK;
      } catch (WalletException e) {
        throw new CliException(e.getMessage(), ExitCodes.USAGE);
      } finally {
        Arrays.fill(key, '\0');
        Arrays.fill(password, '\0');
      }
    }

    private char[] privateKey(final CliContext ctx) {
      if (keyFile != null && keyEnv != null) {
        throw new CliException("give either --private-key-file or --private-key-env, not both", ExitCodes.USAGE);
      }
      if (keyFile != null) {
        return PasswordOptions.firstLine(keyFile);
      }
      if (keyEnv != null) {
        final String v = ctx.env().get(keyEnv);
        if (v == null || v.isBlank()) {
          throw new CliException("environment variable " + keyEnv + " (--private-key-env) is not set or empty", ExitCodes.CONFIG);
        }
        return v.toCharArray();
      }
      final Console console = System.console();
      if (console == null) {
        throw new CliException("no terminal to prompt for the private key; use --private-key-file or --private-key-env", ExitCodes.CONFIG);
      }
      return console.readPassword("private key (hex): ");
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli wallet list", "  tl-cli stake status --from 0x70997970C51812dc3A010C7d01b50e0d17dc79C8"},
      description = "List the keystore accounts (address and file) without touching the chain.")
  static final class ListAccounts implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin JsonOption json;

    @Override
    public Integer call() {
      final CliContext ctx = TlCli.context(spec);
      final KeystoreWallet wallet = new KeystoreWallet(AccountOptions.keystoreDir(ctx));
      final List<Map<String, String>> accounts = wallet.list().stream()
          .map(f -> Map.of("address", Keys.toChecksumAddress(KeystoreWallet.addressOf(f)), "file", f.toString())).toList();
      Facts.print(ctx.out(), json, f -> {
        f.put("keystoreDir", wallet.directory().toString()).put("accounts", accounts);
        if (accounts.isEmpty()) {
          f.line("no keystore in " + wallet.directory() + " (create one with 'tl-cli wallet new')");
        }
        accounts.forEach(a -> f.line(a.get("address") + "  " + a.get("file")));
      });
      return ExitCodes.OK;
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli wallet export 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --out backup.json", "  tl-cli wallet export UTC-- > backup.json"},
      description = "Export an account's encrypted keystore file (never the plain key) for a backup or another wallet.")
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "<address|name>", description = "The account's address, or the start of its keystore file name.")
    String account;

    @Option(names = "--out", paramLabel = "<file>", description = "Write here (refuses to overwrite) instead of stdout.")
    Path out;

    @Override
    public Integer call() throws IOException {
      final CliContext ctx = TlCli.context(spec);
      final Path file = AccountOptions.byAddressOrName(new KeystoreWallet(AccountOptions.keystoreDir(ctx)), account);
      if (out == null) {
        ctx.out().println(Files.readString(file));
        return ExitCodes.OK;
      }
      if (Files.exists(out)) {
        throw new CliException("--out " + out + " exists; not overwriting it", ExitCodes.USAGE);
      }
      Files.copy(file, out);
      ctx.out().println("exported " + Keys.toChecksumAddress(KeystoreWallet.addressOf(file)) + " to " + out + " (encrypted keystore)");
      return ExitCodes.OK;
    }
  }

  @Command(name = "password", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli wallet password --from 0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
          "  tl-cli wallet password --password-file old.txt --new-password-file new.txt"},
      description = "Change a keystore's password: decrypt with the old one, encrypt again with the new one.")
  static final class ChangePassword implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AccountOptions account;

    @Option(names = "--new-password-file", paramLabel = "<file>", description = "Read the new password from this file (default: prompt twice).")
    Path newPasswordFile;

    @Option(names = "--new-password-env", paramLabel = "<NAME>", description = "Read the new password from this environment variable.")
    String newPasswordEnv;

    @Option(names = "--Xlight-kdf", hidden = true, description = "Weak scrypt parameters, for throw-away test keys.")
    boolean lightKdf;

    @Override
    public Integer call() throws IOException {
      final CliContext ctx = TlCli.context(spec);
      final Path old = account.keystoreFile(ctx);
      final org.web3j.crypto.Credentials unlocked = account.unlockKeystore(ctx);
      final char[] password = newPassword(ctx, spec, PasswordOptions.of(newPasswordFile, newPasswordEnv));
      final char[] key = org.web3j.utils.Numeric.toHexStringNoPrefixZeroPadded(unlocked.getEcKeyPair().getPrivateKey(), 64).toCharArray();
      // The old file steps aside (not deleted) until the new one is written, so a failure loses nothing.
      final Path aside = old.resolveSibling(old.getFileName() + ".old");
      Files.move(old, aside);
      try {
        final Path file = new KeystoreWallet(old.getParent()).importKey(key, password, kdf(lightKdf));
        Files.delete(aside);
        ctx.out().printf("password changed for %s%nkeystore %s%n", Keys.toChecksumAddress(unlocked.getAddress()), file);
        return ExitCodes.OK;
      } catch (RuntimeException e) {
        Files.move(aside, old);
        throw e instanceof WalletException ? new CliException(e.getMessage()) : e;
      } finally {
        Arrays.fill(key, '\0');
        Arrays.fill(password, '\0');
      }
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli wallet show", "  tl-cli wallet show --offline --json"},
      description = "List the keystore accounts; with a reachable chain, their ETH, TL and stake.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ChainOptions chain;
    @Mixin JsonOption json;

    @Option(names = "--offline", description = "Do not query the chain.")
    boolean offline;

    /** What one account holds on the chain; {@code tl} and {@code staked} are empty where no suite is recorded. */
    private record Holdings(BigInteger eth, Optional<BigInteger> tl, Optional<BigInteger> staked) {}

    /** The chain's answer for every account, or why there is none. */
    private record ChainView(Long chainId, Map<String, Holdings> holdings, String error) {}

    @Override
    public Integer call() {
      final CliContext ctx = TlCli.context(spec);
      final KeystoreWallet wallet = new KeystoreWallet(AccountOptions.keystoreDir(ctx));
      final List<Path> files = wallet.list();
      if (files.isEmpty()) {
        // The same code as every other command that needs a keystore and finds none.
        throw new CliException("no keystore in " + wallet.directory() + " (create one with 'tl-cli wallet new')", ExitCodes.CONFIG);
      }
      final List<String> addresses = files.stream().map(f -> Keys.toChecksumAddress(KeystoreWallet.addressOf(f))).toList();
      final ChainView view = offline ? new ChainView(null, Map.of(), null) : chainView(ctx, addresses);
      Facts.print(ctx.out(), json, f -> {
        final List<Map<String, Object>> accounts = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
          final String address = addresses.get(i);
          final Holdings h = view.holdings().get(address);
          final Map<String, Object> a = new LinkedHashMap<>();
          a.put("address", address);
          a.put("file", files.get(i).toString());
          a.put("eth", h == null ? null : Units.plain(h.eth()));
          a.put("ethWei", h == null ? null : h.eth().toString());
          a.put("tl", h == null ? null : h.tl().map(Units::plain).orElse(null));
          a.put("tlWei", h == null ? null : h.tl().map(BigInteger::toString).orElse(null));
          a.put("staked", h == null ? null : h.staked().map(Units::plain).orElse(null));
          a.put("stakedWei", h == null ? null : h.staked().map(BigInteger::toString).orElse(null));
          accounts.add(a);
          f.line(address + "  " + files.get(i));
        }
        addresses.forEach(address -> {
          final Holdings h = view.holdings().get(address);
          if (h != null) {
            f.line(address + "  chain " + view.chainId() + ": " + Units.eth(h.eth()) + ", "
                + h.tl().map(Units::tl).orElse("no suite deployed (no TL)")
                + h.staked().map(s -> ", staked " + Units.tl(s)).orElse(""));
          }
        });
        if (view.error() != null) {
          f.line("chain: " + view.error());
        }
        f.put("keystoreDir", wallet.directory().toString()).put("chainId", view.chainId()).put("chainError", view.error())
            .put("accounts", accounts);
      });
      return ExitCodes.OK;
    }

    /** Balances from the chain; an unreachable chain is reported beside the accounts, not as a failure of the command. */
    private ChainView chainView(final CliContext ctx, final List<String> addresses) {
      try (ChainSession session = ChainSession.open(ctx, chain)) {
        final Optional<ContractSuite> suite = session.viewSuiteIfRecorded();
        final Map<String, Holdings> holdings = new LinkedHashMap<>();
        for (final String address : addresses) {
          holdings.put(address, new Holdings(etherBalance(session, address),
              suite.map(s -> Transactions.call("balanceOf", s.token().balanceOf(address))),
              suite.map(s -> Transactions.call("stakeOf", s.stakeManager().stakeOf(address)))));
        }
        return new ChainView(session.chainId(), holdings, null);
      } catch (CliException e) {
        return new ChainView(null, Map.of(), e.getMessage());
      }
    }
  }

  private static BigInteger etherBalance(final ChainSession session, final String address) {
    return Transactions.call("eth_getBalance", new RemoteCall<>(
        () -> session.web3j().ethGetBalance(address, DefaultBlockParameterName.LATEST).send().getBalance()));
  }

  private static void report(final PrintWriter out, final String verb, final Path file) {
    out.printf("%s %s%nkeystore %s%n", verb, Keys.toChecksumAddress(KeystoreWallet.addressOf(file)), file);
  }
}
