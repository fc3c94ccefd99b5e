package io.tensorlink.cli.xmr;

import io.tensorlink.chain.node.Role;
import io.tensorlink.chain.node.XmrJobs;
import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.monero.regtest.MoneroBinaries;
import io.tensorlink.monero.rpc.MoneroRpcException;
import io.tensorlink.monero.rpc.RpcEndpoint;
import io.tensorlink.monero.rpc.WalletRpc;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * {@code tl-cli node start --xmr}: the node settles XMR jobs (docs/monero.md). Its payout settings
 * come from the config ({@code xmr.payout-address}, {@code xmr.min-payout}); the escrow wallets run
 * on {@code --xmr-daemon}; a client funds its escrows from the wallet open in {@code --xmr-wallet-rpc}.
 * Both default to the devnet's ({@code devnet up --with-monero}).
 */
public final class XmrNodeOptions {
  /** Long enough for three parties' wallet-rpc to start and create wallets on a loaded 2-core machine. */
  private static final Duration SETUP_TIMEOUT = Duration.ofMinutes(5);

  @Option(names = "--xmr", description = "Settle XMR jobs: answer escrow offers as worker or arbiter, set up and fund the"
      + " escrows of this client's jobs created with --pay xmr, release and refund when a job ends. Needs the config key"
      + " xmr.payout-address and Debian's monero package (or $" + MoneroBinaries.ENV + ").")
  boolean enabled;

  @Option(names = "--xmr-daemon", paramLabel = "<host:port>",
      description = "With --xmr: the monerod the escrow wallets use (default: the devnet's).")
  String daemon;

  @Option(names = "--xmr-wallet-rpc", paramLabel = "<url>", description = "With --xmr, client: the monero-wallet-rpc whose"
      + " open wallet funds the escrows, opened with tl-cli xmr wallet open (default: the devnet's).")
  URI walletRpc;

  /** The node's XMR settings, when {@code --xmr} is given; a usage or config error names what is missing. */
  public Optional<XmrJobs.Settings> settings(final CliContext ctx, final Set<Role> roles) {
    if (!enabled) {
      if (daemon != null || walletRpc != null) {
        throw new CliException("--xmr-daemon and --xmr-wallet-rpc apply with --xmr only", ExitCodes.USAGE);
      }
      return Optional.empty();
    }
    final MoneroBinaries binaries = MoneroBinaries.find().orElseThrow(() -> new CliException(
        "--xmr needs monero-wallet-rpc: " + MoneroBinaries.INSTALL_HINT, ExitCodes.CONFIG));
    final String daemonAddress = daemon != null ? daemon
        : RunningDevnet.require(ctx, "give --xmr-daemon <host:port>").daemonAddress();
    final Optional<WalletRpc> personal = roles.contains(Role.CLIENT) ? Optional.of(personalWallet(ctx)) : Optional.empty();
    try {
      return Optional.of(new XmrJobs.Settings(ctx.dataDir(), binaries, daemonAddress, personal,
          XmrCommand.payoutSettings(ctx), SETUP_TIMEOUT));
    } catch (final IllegalArgumentException e) {
      throw new CliException("--xmr-daemon: " + e.getMessage(), ExitCodes.USAGE, e);
    }
  }

  /** The client's wallet-rpc, which must answer and have a wallet open. */
  private WalletRpc personalWallet(final CliContext ctx) {
    final RpcEndpoint endpoint = RunningDevnet.walletRpc(ctx, walletRpc, "--xmr-wallet-rpc");
    final WalletRpc wallet = new WalletRpc(endpoint);
    try {
      wallet.address();
    } catch (final MoneroRpcException e) {
      throw new CliException("--xmr-wallet-rpc " + endpoint + ": no open wallet to fund escrows from (" + e.getMessage()
          + "); open one with tl-cli xmr wallet open <name>", ExitCodes.CONFIG, e);
    }
    return wallet;
  }
}
