package io.tensorlink.cli.xmr;

import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.TlCli;
import io.tensorlink.cli.support.Examples;
import io.tensorlink.cli.support.Facts;
import io.tensorlink.cli.support.JsonOption;
import io.tensorlink.monero.rpc.MoneroRpcException;
import io.tensorlink.monero.rpc.RpcEndpoint;
import io.tensorlink.monero.rpc.WalletRpc;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tl-cli xmr wallet create|open|show}: a Monero wallet inside a monero-wallet-rpc (the devnet's
 * by default). The keys stay in the wallet files of that wallet-rpc, under the name the user gives;
 * the password comes from a file or the environment and is never printed or logged.
 */
@Command(name = "wallet", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
    footer = {"  tl-cli xmr wallet create alice --password-file pw.txt", "  tl-cli xmr wallet show alice --password-file pw.txt --json"},
    description = "Create, open and show a Monero wallet in a wallet-rpc (default: the devnet's, from devnet up --with-monero).")
public final class XmrWalletCommand {
  /** The wallet file's password, when no --password-file is given (may be empty: a wallet without password). */
  public static final String ENV_WALLET_PASSWORD = "TL_XMR_WALLET_PASSWORD";
  /** The wallet-rpc's digest-login password, with --rpc-user. */
  public static final String ENV_RPC_PASSWORD = "TL_XMR_RPC_PASSWORD";
  /** wallet-rpc's WALLET_RPC_ERROR_CODE_WALLET_ALREADY_EXISTS. */
  private static final int WALLET_ALREADY_EXISTS = -21;

  @Spec CommandSpec spec;

  /** Where the wallet-rpc is and how to log in and unlock the wallet. */
  public static final class WalletRpcOptions {
    @Option(names = "--wallet-rpc", paramLabel = "<url>",
        description = "monero-wallet-rpc URL, e.g. http://127.0.0.1:18083 (default: the devnet's).")
    URI url;

    @Option(names = "--rpc-user", paramLabel = "<name>",
        description = "Digest login of the wallet-rpc (--rpc-login); the password comes from $" + ENV_RPC_PASSWORD + ".")
    String rpcUser;

    @Option(names = "--password-file", paramLabel = "<file>",
        description = "File holding the wallet's password (first line); else $" + ENV_WALLET_PASSWORD + ".")
    Path passwordFile;

    WalletRpc connect(final CliContext ctx) {
      RpcEndpoint endpoint = RunningDevnet.walletRpc(ctx, url, "--wallet-rpc");
      if (rpcUser != null) {
        final String pw = ctx.env().get(ENV_RPC_PASSWORD);
        if (pw == null) {
          throw new CliException("--rpc-user needs the password in $" + ENV_RPC_PASSWORD, ExitCodes.USAGE);
        }
        endpoint = endpoint.withCredentials(new RpcEndpoint.Credentials(rpcUser, pw));
      }
      return new WalletRpc(endpoint);
    }

    String password(final CliContext ctx) {
      if (passwordFile != null) {
        try {
          return Files.readAllLines(passwordFile, StandardCharsets.UTF_8).stream().findFirst().orElse("");
        } catch (final IOException e) {
          throw new CliException("--password-file " + passwordFile + " is unreadable: " + e.getMessage(), ExitCodes.CONFIG);
        }
      }
      final String pw = ctx.env().get(ENV_WALLET_PASSWORD);
      if (pw == null) {
        throw new CliException("no wallet password: give --password-file <file> or set $" + ENV_WALLET_PASSWORD
            + " (empty for a wallet without password)", ExitCodes.USAGE);
      }
      return pw;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli xmr wallet create alice  # password from $TL_XMR_WALLET_PASSWORD",
          "  tl-cli xmr wallet create bob --password-file pw.txt --wallet-rpc http://127.0.0.1:18083"},
      description = "Create a wallet file <name> in the wallet-rpc and print its primary address.")
  int create(@Parameters(paramLabel = "<name>", description = "Wallet file name in the wallet-rpc's wallet dir.") final String name,
      @Mixin final WalletRpcOptions options, @Mixin final JsonOption json) {
    final CliContext ctx = TlCli.context(spec);
    final String file = checkName(name);
    final String password = options.password(ctx);
    final WalletRpc w = options.connect(ctx);
    call(w, "create_wallet", x -> {
      try {
        x.createWallet(file, password);
      } catch (final MoneroRpcException e) {
        if (e.code() == WALLET_ALREADY_EXISTS) {
          throw new CliException("wallet " + file + " already exists in " + w.endpoint() + ": use tl-cli xmr wallet open " + file);
        }
        throw e;
      }
      return null;
    });
    final String address = call(w, "get_address", WalletRpc::address);
    Facts.print(ctx.out(), json, f -> f.put("wallet", file).put("walletRpc", w.endpoint().baseUri().toString())
        .put("address", address).line("created wallet " + file + " in " + w.endpoint().baseUri() + ": address " + address));
    return ExitCodes.OK;
  }

  @Command(name = "open", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli xmr wallet open alice --password-file pw.txt"},
      description = "Open the wallet file <name> in the wallet-rpc (it stays open there) and print its address.")
  int open(@Parameters(paramLabel = "<name>", description = "Wallet file name in the wallet-rpc's wallet dir.") final String name,
      @Mixin final WalletRpcOptions options, @Mixin final JsonOption json) {
    final CliContext ctx = TlCli.context(spec);
    final String file = checkName(name);
    final String password = options.password(ctx);
    final WalletRpc w = options.connect(ctx);
    call(w, "open_wallet", x -> {
      x.openWallet(file, password);
      return null;
    });
    final String address = call(w, "get_address", WalletRpc::address);
    Facts.print(ctx.out(), json, f -> f.put("wallet", file).put("walletRpc", w.endpoint().baseUri().toString())
        .put("address", address).line("opened wallet " + file + ": address " + address));
    return ExitCodes.OK;
  }

  @Command(name = "show", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli xmr wallet show", "  tl-cli xmr wallet show alice --password-file pw.txt --json"},
      description = "Address and balance (after a refresh) of the wallet open in the wallet-rpc, or of <name> after opening it.")
  int show(@Parameters(paramLabel = "<name>", arity = "0..1", description = "Wallet to open first (default: the one open).") final String name,
      @Mixin final WalletRpcOptions options, @Mixin final JsonOption json) {
    final CliContext ctx = TlCli.context(spec);
    final WalletRpc w = options.connect(ctx);
    if (name != null) {
      final String file = checkName(name);
      final String password = options.password(ctx);
      call(w, "open_wallet", x -> {
        x.openWallet(file, password);
        return null;
      });
    }
    final String address = call(w, "get_address", WalletRpc::address);
    final WalletRpc.Balance b = call(w, "get_balance", x -> {
      x.refresh();
      return x.balance();
    });
    Facts.print(ctx.out(), json, f -> f
        .put("walletRpc", w.endpoint().baseUri().toString())
        .fact("address", address, "address", address)
        .fact("balance", Long.toString(b.balance()), "balance", XmrAmounts.xmr(b.balance()) + " XMR")
        .fact("unlockedBalance", Long.toString(b.unlockedBalance()), "unlocked", XmrAmounts.xmr(b.unlockedBalance()) + " XMR"
            + (b.blocksToUnlock() > 0 ? " (" + b.blocksToUnlock() + " blocks to unlock the rest)" : "")));
    return ExitCodes.OK;
  }

  /** A plain file name: wallet-rpc resolves it inside its --wallet-dir, so no paths. */
  private static String checkName(final String name) {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw new CliException("<name> must be a plain file name (letters, digits, . _ -, at most 64), got '" + name + "'",
          ExitCodes.USAGE);
    }
    return name;
  }

  /** A wallet-rpc call whose failure becomes one clear line (never with the call's parameters). */
  static <T> T call(final WalletRpc w, final String what, final Function<WalletRpc, T> f) {
    try {
      return f.apply(w);
    } catch (final MoneroRpcException e) {
      final int code = switch (e.kind()) {
        case UNREACHABLE -> ExitCodes.NOT_RUNNING;
        default -> ExitCodes.FAILURE;
      };
      throw new CliException("wallet-rpc " + w.endpoint().baseUri() + ": " + e.getMessage(), code);
    }
  }
}
