package io.tensorlink.monero.regtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensorlink.monero.rpc.DaemonRpc;
import io.tensorlink.monero.rpc.MoneroRpcException;
import io.tensorlink.monero.rpc.RpcEndpoint;
import io.tensorlink.monero.rpc.WalletRpc;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devnet's Monero side ({@code tl-cli devnet up --with-monero}): a regtest monerod and one
 * wallet-rpc in {@code dir}, started as processes that outlive the command (unlike {@link MoneroRegtest},
 * which stops everything with its JVM), recorded in {@code dir/devnet-monero.json}. {@link #down()}
 * stops exactly the recorded processes, after checking each pid still runs that program (pids are
 * reused). The wallet-rpc starts with no wallet; users create theirs with {@code tl-cli xmr wallet}.
 */
public final class DevnetMonero {
  private static final Logger LOG = LoggerFactory.getLogger(DevnetMonero.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration STARTUP = Duration.ofMinutes(3);
  /** Ring members and the 60-block coinbase maturity: transfers need about this many blocks first. */
  public static final int INITIAL_BLOCKS = 80;

  private final Path dir;

  public DevnetMonero(final Path dir) {
    this.dir = dir;
  }

  /** Where a TensorLink data dir keeps its devnet's Monero processes' files. */
  public static Path dirIn(final Path dataDir) {
    return dataDir.resolve("monero");
  }

  /** What {@code up} started: pids and loopback ports. */
  public record State(long monerodPid, int monerodRpcPort, long walletRpcPid, int walletRpcPort, String startedAt) {
    /** {@code host:port} of monerod, for a wallet's {@code --daemon-address}. */
    public String daemonAddress() {
      return "127.0.0.1:" + monerodRpcPort;
    }

    public RpcEndpoint walletRpc() {
      return RpcEndpoint.loopback(walletRpcPort);
    }

    public RpcEndpoint daemonRpc() {
      return RpcEndpoint.loopback(monerodRpcPort);
    }
  }

  public record UpResult(State state, boolean started) {}

  public Path stateFile() {
    return dir.resolve("devnet-monero.json");
  }

  /** The recorded state, whether or not its processes still run. */
  public Optional<State> state() {
    final Path f = stateFile();
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(f.toFile(), State.class));
    } catch (final IOException e) {
      throw new UncheckedIOException("the devnet's Monero state " + f + " is unreadable (remove it if no monerod runs)", e);
    }
  }

  /** Whether both recorded processes still run monerod and monero-wallet-rpc. */
  public boolean running(final State s) {
    return ManagedProcess.runs(s.monerodPid(), "monerod") && ManagedProcess.runs(s.walletRpcPid(), "monero-wallet-rpc");
  }

  /**
   * Starts monerod and a wallet-rpc unless the recorded ones run, and mines {@link #INITIAL_BLOCKS}
   * blocks (to an address nobody here owns) on a fresh chain, so wallets can make transfers.
   */
  public UpResult up(final MoneroBinaries binaries) {
    final Optional<State> existing = state();
    if (existing.isPresent() && running(existing.get())) {
      return new UpResult(existing.get(), false);
    }
    existing.ifPresent(stale -> {
      LOG.info("removing stale devnet Monero state (pids {} / {} are gone)", stale.monerodPid(), stale.walletRpcPid());
      stopQuietly(stale);
    });
    final int rpcPort = FreePorts.next();
    final Path daemonDir = dir.resolve("monerod");
    final Process monerod = startDetached(RegtestDaemon.command(binaries, daemonDir, rpcPort, FreePorts.next()),
        daemonDir.resolve("monerod.out"));
    final DaemonRpc daemon = new DaemonRpc(RpcEndpoint.loopback(rpcPort).withTimeout(STARTUP));
    Process walletRpc = null;
    try {
      awaitReady("monerod", monerod, () -> answers(() -> daemon.info()), daemonDir.resolve("monerod.out"));
      final int walletPort = FreePorts.next();
      final Path walletDir = dir.resolve("wallet-rpc");
      walletRpc = startDetached(WalletServer.command(binaries, walletDir, "127.0.0.1:" + rpcPort, walletPort, Optional.empty()),
          walletDir.resolve("wallet-rpc.out"));
      final WalletRpc wallet = new WalletRpc(RpcEndpoint.loopback(walletPort));
      awaitReady("monero-wallet-rpc", walletRpc, () -> answers(wallet::version), walletDir.resolve("wallet-rpc.out"));
      final long height = daemon.info().height();
      if (height < INITIAL_BLOCKS) {
        RegtestDaemon.mine(daemon, (int) (INITIAL_BLOCKS - height), MoneroRegtest.BURN_ADDRESS);
      }
      final State s = new State(monerod.pid(), rpcPort, walletRpc.pid(), walletPort, Instant.now().toString());
      write(s);
      return new UpResult(s, true);
    } catch (final RuntimeException e) {
      if (walletRpc != null) {
        walletRpc.destroyForcibly();
      }
      monerod.destroyForcibly();
      throw e;
    }
  }

  /** Stops the recorded processes (wallet-rpc first: it saves its open wallet on SIGTERM); empty when none was recorded. */
  public Optional<State> down() {
    final Optional<State> s = state();
    s.ifPresent(this::stopQuietly);
    try {
      Files.deleteIfExists(stateFile());
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot remove " + stateFile(), e);
    }
    return s;
  }

  private void stopQuietly(final State s) {
    ManagedProcess.stop(s.walletRpcPid(), "monero-wallet-rpc");
    ManagedProcess.stop(s.monerodPid(), "monerod");
  }

  private void write(final State s) {
    try {
      Files.createDirectories(dir);
      final Path tmp = stateFile().resolveSibling("devnet-monero.json.tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), s);
      Files.move(tmp, stateFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot write " + stateFile(), e);
    }
  }

  private static boolean answers(final Runnable probe) {
    try {
      probe.run();
      return true;
    } catch (final MoneroRpcException e) {
      return false;
    }
  }

  private static Process startDetached(final List<String> command, final Path out) {
    try {
      Files.createDirectories(out.getParent());
      // No shutdown hook: the process is meant to outlive this JVM (devnet down stops it by pid).
      return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot start " + command.getFirst(), e);
    }
  }

  private static void awaitReady(final String name, final Process p, final BooleanSupplier ready, final Path out) {
    final Instant deadline = Instant.now().plus(STARTUP);
    while (!ready.getAsBoolean()) {
      if (!p.isAlive()) {
        throw new IllegalStateException(name + " exited with " + p.exitValue() + " during startup; see " + out);
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(name + " not ready within " + STARTUP + "; see " + out);
      }
      ManagedProcess.sleep(150);
    }
  }
}
