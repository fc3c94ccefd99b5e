package io.tensorlink.monero.regtest;

import io.tensorlink.monero.rpc.DaemonRpc;
import io.tensorlink.monero.rpc.MoneroRpcException;
import io.tensorlink.monero.rpc.RpcEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A private {@code monerod --regtest --keep-fakechain --offline --fixed-difficulty 1} on loopback: no
 * peers, blocks only from {@code generateblocks}. Restartable on the same ports and data (the chain
 * survives).
 */
public final class RegtestDaemon implements AutoCloseable {
  /** Generous: six wallet-rpc and a monerod starting at once on a loaded 2-core machine took over a minute. */
  private static final Duration STARTUP = Duration.ofMinutes(3);
  /** generateblocks hashes every block (RandomX): 70 blocks took over a minute on a loaded 2-core machine. */
  private static final Duration CALL_TIMEOUT = Duration.ofMinutes(3);
  private static final int MINE_CHUNK = 20;

  private final MoneroBinaries binaries;
  private final Path dir;
  private final int rpcPort;
  private final int p2pPort;
  private final DaemonRpc rpc;
  private ManagedProcess process;

  private RegtestDaemon(final MoneroBinaries binaries, final Path dir, final int rpcPort, final int p2pPort) {
    this.binaries = binaries;
    this.dir = dir;
    this.rpcPort = rpcPort;
    this.p2pPort = p2pPort;
    this.rpc = new DaemonRpc(RpcEndpoint.loopback(rpcPort).withTimeout(CALL_TIMEOUT));
  }

  public static RegtestDaemon start(final MoneroBinaries binaries, final Path dir) {
    final RegtestDaemon d = new RegtestDaemon(binaries, dir, FreePorts.next(), FreePorts.next());
    d.launch();
    return d;
  }

  private void launch() {
    process = ManagedProcess.start("monerod:" + rpcPort, command(binaries, dir, rpcPort, p2pPort), dir.resolve("monerod.out"));
    process.awaitReady(this::answers, STARTUP);
  }

  /** The command line of a private regtest monerod with its chain in {@code dir/chain}. */
  static List<String> command(final MoneroBinaries binaries, final Path dir, final int rpcPort, final int p2pPort) {
    return List.of(binaries.monerod().toString(),
        // --keep-fakechain: without it a regtest monerod deletes its chain at every start, so a restart
        // would lose every block and output (seen as "failed to get output distribution").
        "--regtest", "--keep-fakechain", "--offline", "--fixed-difficulty", "1", "--data-dir", dir.resolve("chain").toString(),
        "--rpc-bind-ip", "127.0.0.1", "--rpc-bind-port", Integer.toString(rpcPort),
        "--p2p-bind-ip", "127.0.0.1", "--p2p-bind-port", Integer.toString(p2pPort),
        "--no-zmq", "--no-igd", "--non-interactive", "--log-level", "0",
        "--log-file", dir.resolve("monerod.log").toString());
  }

  private boolean answers() {
    try {
      return "OK".equals(rpc.info().status());
    } catch (final MoneroRpcException e) {
      return false;
    }
  }

  public DaemonRpc rpc() {
    return rpc;
  }

  /** {@code host:port} for wallet-rpc's {@code --daemon-address}. */
  public String address() {
    return "127.0.0.1:" + rpcPort;
  }

  /** Mines in chunks, so no single call runs into the RPC timeout; returns the new height. */
  public long mine(final int blocks, final String rewardAddress) {
    return mine(rpc, blocks, rewardAddress);
  }

  /** {@link #mine(int, String)} on any regtest daemon's RPC. */
  public static long mine(final DaemonRpc rpc, final int blocks, final String rewardAddress) {
    long height = 0;
    for (int left = blocks; left > 0; left -= MINE_CHUNK) {
      height = rpc.generateBlocks(Math.min(left, MINE_CHUNK), rewardAddress);
    }
    return height;
  }

  /** Stops the daemon (its chain stays on disk); {@link #restart()} brings it back on the same port. */
  public void stop() {
    if (process != null) {
      process.stop();
      process = null;
    }
  }

  public void restart() {
    stop();
    launch();
  }

  @Override
  public void close() {
    stop();
  }
}
