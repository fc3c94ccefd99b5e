package io.tensorlink.monero.regtest;

import io.tensorlink.monero.rpc.MoneroRpcException;
import io.tensorlink.monero.rpc.RpcEndpoint;
import io.tensorlink.monero.rpc.WalletRpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code monero-wallet-rpc} on loopback with its own wallet folder, pointed at a daemon. Optional
 * digest credentials ({@code --rpc-login}); without them it runs {@code --disable-rpc-login}.
 */
public final class WalletServer implements AutoCloseable {
  /** Generous: six wallet-rpc and a monerod starting at once on a loaded 2-core machine took over a minute. */
  private static final Duration STARTUP = Duration.ofMinutes(3);
  /**
   * create_wallet costs ~5 s of CPU in Debian's 0.18 build (key derivation); on a loaded shared machine
   * that became more than a minute of wall time, so the devnet's calls get a longer limit than the default.
   */
  private static final Duration CALL_TIMEOUT = Duration.ofMinutes(3);
  private static final String PID_FILE = "wallet-rpc.pid";
  private static final Logger LOG = LoggerFactory.getLogger(WalletServer.class);

  private final MoneroBinaries binaries;
  private final String name;
  private final Path dir;
  private final String daemonAddress;
  private final int port;
  private final Optional<RpcEndpoint.Credentials> login;
  private final WalletRpc rpc;
  private ManagedProcess process;

  private WalletServer(final MoneroBinaries binaries, final String name, final Path dir, final String daemonAddress,
      final int port, final Optional<RpcEndpoint.Credentials> login) {
    this.binaries = binaries;
    this.name = name;
    this.dir = dir;
    this.daemonAddress = daemonAddress;
    this.port = port;
    this.login = login;
    final RpcEndpoint endpoint = RpcEndpoint.loopback(port).withTimeout(CALL_TIMEOUT);
    this.rpc = new WalletRpc(login.map(endpoint::withCredentials).orElse(endpoint));
  }

  public static WalletServer start(final MoneroBinaries binaries, final String name, final Path dir,
      final String daemonAddress, final Optional<RpcEndpoint.Credentials> login) {
    final WalletServer w = new WalletServer(binaries, name, dir, daemonAddress, FreePorts.next(), login);
    w.launch();
    return w;
  }

  private void launch() {
    stopLeftover();
    process = ManagedProcess.start("wallet-rpc:" + name, command(binaries, dir, daemonAddress, port, login), dir.resolve("wallet-rpc.out"));
    writePid(process.pid());
    process.awaitReady(this::answers, STARTUP);
  }

  /**
   * A wallet-rpc that a killed JVM left running on this folder still holds its wallet files, which
   * another cannot open then: stopped first, if the recorded pid still runs monero-wallet-rpc.
   */
  private void stopLeftover() {
    final Path file = dir.resolve(PID_FILE);
    try {
      if (Files.exists(file)) {
        final long pid = Long.parseLong(Files.readString(file).trim());
        if (ManagedProcess.runs(pid, binaries.walletRpc().getFileName().toString())) {
          LOG.warn("stopping the wallet-rpc (pid {}) left running on {}", pid, dir);
          ManagedProcess.stop(pid, binaries.walletRpc().getFileName().toString());
        }
      }
    } catch (final IOException | NumberFormatException e) {
      LOG.warn("ignoring an unreadable {}: {}", file, e.getMessage());
    }
  }

  private void writePid(final long pid) {
    try {
      Files.writeString(dir.resolve(PID_FILE), Long.toString(pid));
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot record the wallet-rpc's pid in " + dir, e);
    }
  }

  /** The command line of a wallet-rpc on loopback with its wallets in {@code dir/wallets}. */
  static List<String> command(final MoneroBinaries binaries, final Path dir, final String daemonAddress, final int port,
      final Optional<RpcEndpoint.Credentials> login) {
    final List<String> cmd = new ArrayList<>(List.of(binaries.walletRpc().toString(),
        "--daemon-address", daemonAddress, "--trusted-daemon",
        "--rpc-bind-ip", "127.0.0.1", "--rpc-bind-port", Integer.toString(port),
        "--wallet-dir", dir.resolve("wallets").toString(), "--shared-ringdb-dir", dir.resolve("ringdb").toString(),
        "--non-interactive", "--log-level", "0", "--log-file", dir.resolve("wallet-rpc.log").toString()));
    if (login.isPresent()) {
      // The password travels on the command line (visible in ps to this user); fine for loopback devnets,
      // real deployments use --rpc-login from a config file.
      cmd.add("--rpc-login");
      cmd.add(login.get().username() + ":" + login.get().password());
    } else {
      cmd.add("--disable-rpc-login");
    }
    return cmd;
  }

  private boolean answers() {
    try {
      rpc.version();
      return true;
    } catch (final MoneroRpcException e) {
      return false;
    }
  }

  public WalletRpc rpc() {
    return rpc;
  }

  public RpcEndpoint endpoint() {
    return rpc.endpoint();
  }

  /** SIGKILL, as a crash: what the wallet did not store is lost. */
  public void kill() {
    if (process != null) {
      process.kill();
      process = null;
    }
  }

  /** Starts it again on the same port and folder (no wallet open). */
  public void restart() {
    close();
    launch();
  }

  @Override
  public void close() {
    if (process != null) {
      process.stop();
      process = null;
    }
  }
}
