package io.tensorlink.chain.xmr;

import io.tensorlink.monero.regtest.MoneroBinaries;
import io.tensorlink.monero.regtest.WalletServer;
import io.tensorlink.monero.rpc.WalletRpc;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code monero-wallet-rpc} per escrow, started on loopback the first time the escrow needs its
 * wallet: a wallet-rpc keeps one wallet open, and a party's multisig wallet must stay open between the
 * setup rounds and the payouts. Each runs in {@code <data-dir>/xmr/wallet-rpc/<escrow>} with its
 * wallet file there, so a node restarted on the same data dir opens the same wallet again. All are
 * stopped on {@link #close}.
 */
public final class EscrowWalletServers implements Function<String, WalletRpc>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EscrowWalletServers.class);

  private final MoneroBinaries binaries;
  private final Path dir;
  private final String daemonAddress;
  private final Map<String, WalletServer> servers = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param dataDir the node's data dir
   * @param daemonAddress the monerod the escrow wallets use, {@code host:port}
   */
  public EscrowWalletServers(final MoneroBinaries binaries, final Path dataDir, final String daemonAddress) {
    this.binaries = binaries;
    this.dir = dataDir.resolve("xmr").resolve("wallet-rpc");
    this.daemonAddress = daemonAddress;
  }

  /** The wallet-rpc of {@code escrowId}, started if it does not run yet. */
  @Override
  public WalletRpc apply(final String escrowId) {
    if (closed) {
      throw new IllegalStateException("the escrow wallet servers are stopped");
    }
    return servers.computeIfAbsent(escrowId, id -> {
      final Path folder = dir.resolve(folderName(id));
      final WalletServer server = WalletServer.start(binaries, id, folder, daemonAddress, Optional.empty());
      LOG.info("escrow {}: wallet-rpc {} started in {}", id, server.endpoint(), folder);
      return server;
    }).rpc();
  }

  /** {@code job-7/0xab…} as a folder name: the escrow id's one slash becomes a dash. */
  static String folderName(final String escrowId) {
    final String name = escrowId.replace('/', '-');
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("escrow id " + escrowId + " is not job-<jobId>/<worker>");
    }
    return name;
  }

  @Override
  public void close() {
    closed = true;
    servers.values().forEach(WalletServer::close);
    servers.clear();
  }
}
