package io.tensorlink.cli.xmr;

import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.monero.regtest.DevnetMonero;

/** The devnet's regtest monerod and wallet-rpc ({@code devnet up --with-monero}), the XMR commands' default. */
final class RunningDevnet {
  private RunningDevnet() {}

  /** Their ports, or a NOT_RUNNING error that says {@code instead} (e.g. which option to give). */
  static DevnetMonero.State require(final CliContext ctx, final String instead) {
    final DevnetMonero devnet = new DevnetMonero(DevnetMonero.dirIn(ctx.dataDir()));
    return devnet.state().filter(devnet::running).orElseThrow(() -> new CliException(
        "no devnet monero in " + DevnetMonero.dirIn(ctx.dataDir()) + ": " + instead
            + " or start it with tl-cli devnet up --with-monero", ExitCodes.NOT_RUNNING));
  }
}
