package io.tensorlink.cli.devnet;

import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.monero.regtest.DevnetMonero;
import io.tensorlink.monero.regtest.MoneroBinaries;
import java.io.UncheckedIOException;

/** The Monero part of {@code devnet up --with-monero} and {@code devnet down} (docs/monero.md). */
final class DevnetMoneroSide {
  private DevnetMoneroSide() {}

  static void up(final CliContext ctx) {
    final MoneroBinaries binaries = MoneroBinaries.find().orElseThrow(() -> new CliException(
        "--with-monero: monerod/monero-wallet-rpc not found: " + MoneroBinaries.INSTALL_HINT, ExitCodes.CONFIG));
    final DevnetMonero.UpResult r;
    try {
      r = new DevnetMonero(DevnetMonero.dirIn(ctx.dataDir())).up(binaries);
    } catch (final IllegalStateException | UncheckedIOException e) {
      throw new CliException("--with-monero: " + e.getMessage());
    }
    final DevnetMonero.State s = r.state();
    ctx.out().printf("monero %s: monerod %s (pid %d), wallet-rpc http://127.0.0.1:%d (pid %d), files in %s%n",
        r.started() ? "started" : "already running", s.daemonAddress(), s.monerodPid(), s.walletRpcPort(), s.walletRpcPid(),
        DevnetMonero.dirIn(ctx.dataDir()));
  }

  static void down(final CliContext ctx) {
    final DevnetMonero devnet = new DevnetMonero(DevnetMonero.dirIn(ctx.dataDir()));
    try {
      devnet.down().ifPresent(s -> ctx.out().printf("monero stopped: monerod pid %d, wallet-rpc pid %d%n",
          s.monerodPid(), s.walletRpcPid()));
    } catch (final UncheckedIOException e) {
      throw new CliException("devnet down: " + e.getMessage(), ExitCodes.CONFIG);
    }
  }
}
