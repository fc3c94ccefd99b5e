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
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.web3j.crypto.Keys;
import org.web3j.protocol.core.DefaultBlockParameterName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tl-cli wallet new|import|show}: encrypted keystores in {@code <data-dir>/keystore}. */
@Command(name = "wallet", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli wallet new", "  tl-cli wallet show"}, description = "Create, import and show encrypted account keystores.",
    subcommands = {WalletCommand.New.class, WalletCommand.Import.class, WalletCommand.Show.class})
public final class WalletCommand {

  /** Options shared by the commands that write a keystore. */
  static final class WriteOptions {
    @Mixin PasswordOptions password;

    @Option(names = "--Xlight-kdf", hidden = true, description = "Weak scrypt parameters, for throw-away test keys.")
    boolean lightKdf;

    KeystoreWallet.Kdf kdf() {
      return lightKdf ? KeystoreWallet.Kdf.LIGHT : KeystoreWallet.Kdf.STANDARD;
    }
  }

  @Command(name = "new", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli wallet new", "  tl-cli wallet new --password-file pw.txt"}, description = "Generate a new account and store it encrypted (scrypt) in <data-dir>/keystore.")
  static final class New implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin WriteOptions write;

    @Override
    public Integer call() {
      final CliContext ctx = TlCli.context(spec);
      final char[] password = write.password.read(ctx, "new keystore", true);
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
      final char[] password = write.password.read(ctx, "new keystore", true);
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

  @Command(name = "show", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli wallet show", "  tl-cli wallet show --offline"}, description = "List the keystore accounts; with a reachable chain, their ETH, TL and stake.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ChainOptions chain;

    @Option(names = "--offline", description = "Do not query the chain.")
    boolean offline;

    @Override
    public Integer call() {
      final CliContext ctx = TlCli.context(spec);
      final PrintWriter out = ctx.out();
      final KeystoreWallet wallet = new KeystoreWallet(AccountOptions.keystoreDir(ctx));
      final List<Path> files = wallet.list();
      if (files.isEmpty()) {
        // The same code as every other command that needs a keystore and finds none.
        throw new CliException("no keystore in " + wallet.directory() + " (create one with 'tl-cli wallet new')", ExitCodes.CONFIG);
      }
      final List<String> addresses = files.stream().map(f -> "0x" + KeystoreWallet.addressOf(f)).toList();
      for (int i = 0; i < files.size(); i++) {
        out.printf("%s  %s%n", Keys.toChecksumAddress(addresses.get(i)), files.get(i));
      }
      if (!offline) {
        balances(ctx, addresses, out);
      }
      return ExitCodes.OK;
    }

    private void balances(final CliContext ctx, final List<String> addresses, final PrintWriter out) {
      try (ChainSession session = ChainSession.open(ctx, chain)) {
        final ContractSuite suite = session.viewSuite();
        for (final String address : addresses) {
          out.printf("%s  chain %d: %s, %s, staked %s%n", Keys.toChecksumAddress(address), session.chainId(),
              Units.eth(etherBalance(session, address)),
              Units.tl(Transactions.call("balanceOf", suite.token().balanceOf(address))),
              Units.tl(Transactions.call("stakeOf", suite.stakeManager().stakeOf(address))));
        }
      } catch (CliException e) {
        out.println("chain: " + e.getMessage());
      }
    }
  }

  private static BigInteger etherBalance(final ChainSession session, final String address) {
    try {
      return session.web3j().ethGetBalance(address, DefaultBlockParameterName.LATEST).send().getBalance();
    } catch (IOException e) {
      throw new CliException("eth_getBalance failed: " + e.getMessage());
    }
  }

  private static void report(final PrintWriter out, final String verb, final Path file) {
    out.printf("%s %s%nkeystore %s%n", verb, Keys.toChecksumAddress(KeystoreWallet.addressOf(file)), file);
  }
}
