package io.tensorlink.monero.regtest;

import io.tensorlink.monero.rpc.RpcEndpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A private regtest network in one data dir: a {@link RegtestDaemon} and any number of
 * {@link WalletServer}s, each in {@code <dir>/<name>}. Closing it stops every process it started, in
 * reverse order.
 */
public final class MoneroRegtest implements AutoCloseable {
  /**
   * A valid address nobody here owns, for mining blocks whose rewards must not land in a wallet under
   * test (regtest uses mainnet address formats): the Monero general fund's.
   */
  public static final String BURN_ADDRESS =
      "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";

  private final MoneroBinaries binaries;
  private final Path dir;
  private final RegtestDaemon daemon;
  private final List<WalletServer> wallets = new ArrayList<>();

  private MoneroRegtest(final MoneroBinaries binaries, final Path dir, final RegtestDaemon daemon) {
    this.binaries = binaries;
    this.dir = dir;
    this.daemon = daemon;
  }

  public static MoneroRegtest start(final MoneroBinaries binaries, final Path dir) {
    return new MoneroRegtest(binaries, dir, RegtestDaemon.start(binaries, dir.resolve("monerod")));
  }

  public RegtestDaemon daemon() {
    return daemon;
  }

  /** Starts a wallet-rpc; several may start in parallel from different threads. */
  public WalletServer startWallet(final String name) {
    return startWallet(name, Optional.empty());
  }

  public WalletServer startWallet(final String name, final Optional<RpcEndpoint.Credentials> login) {
    final WalletServer w = WalletServer.start(binaries, name, dir.resolve(name), daemon.address(), login);
    synchronized (this) {
      wallets.add(w);
    }
    return w;
  }

  /** Mines {@code blocks} to the burn address: confirmations and unlocks without changing any test balance. */
  public void mine(final int blocks) {
    daemon.mine(blocks, BURN_ADDRESS);
  }

  @Override
  public synchronized void close() {
    RuntimeException first = null;
    for (int i = wallets.size() - 1; i >= 0; i--) {
      try {
        wallets.get(i).close();
      } catch (final RuntimeException e) {
        first = first == null ? e : first;
      }
    }
    wallets.clear();
    daemon.close();
    if (first != null) {
      throw first;
    }
  }
}
