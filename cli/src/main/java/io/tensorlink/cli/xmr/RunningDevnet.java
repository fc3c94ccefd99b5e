package io.tensorlink.cli.xmr;

import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.monero.regtest.DevnetMonero;
import io.tensorlink.monero.rpc.RpcEndpoint;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The devnet's regtest monerod and wallet-rpc ({@code devnet up --with-monero}), the XMR commands' default. */
final class RunningDevnet {
  private RunningDevnet() {}

  /** Wallet calls get this long: create_wallet costs seconds of CPU in 0.18, far more on a busy machine. */
  private static final Duration WALLET_CALLS = Duration.ofMinutes(3);

  /**
   * The wallet-rpc at {@code url} (given with {@code flag}: an http:// URL with a host, else a usage
   * error), or the devnet's when {@code url} is null.
   */
  static RpcEndpoint walletRpc(final CliContext ctx, final URI url, final String flag) {
    if (url == null) {
      return require(ctx, "give " + flag + " <url>").walletRpc().withTimeout(WALLET_CALLS);
    }
    if (!"http".equals(url.getScheme()) || url.getHost() == null) {
      throw new CliException(flag + " must be an http:// URL with a host, got " + url, ExitCodes.USAGE);
    }
    return new RpcEndpoint(url, Optional.empty(), WALLET_CALLS);
  }

  /** Their ports, or a NOT_RUNNING error that says {@code instead} (e.g. which option to give). */
  static DevnetMonero.State require(final CliContext ctx, final String instead) {
    final DevnetMonero devnet = new DevnetMonero(DevnetMonero.dirIn(ctx.dataDir()));
    return devnet.state().filter(devnet::running).orElseThrow(() -> new CliException(
        "no devnet monero in " + DevnetMonero.dirIn(ctx.dataDir()) + ": " + instead
            + " or start it with tl-cli devnet up --with-monero", ExitCodes.NOT_RUNNING));
  }
}
