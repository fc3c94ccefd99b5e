package io.tensorlink.chain.devnet;

import io.tensorlink.contracts.devnet.AnvilException;
import io.tensorlink.contracts.devnet.AnvilProcess;
import io.tensorlink.contracts.devnet.DevnetGenesis;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

/**
 * The local development chain: an anvil process that outlives the CLI invocation that started it,
 * found again through the {@link DevnetState} file in the data dir. Every operation is
 * idempotent: {@code up} on a running devnet reports it, {@code down} on a stopped one does nothing.
 */
public final class Devnet {
  private static final Logger LOG = LoggerFactory.getLogger(Devnet.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final String LOCK_FILE = "devnet.lock";

  private final Path dataDir;
  private final Clock clock;

  public Devnet(final Path dataDir) {
    this(dataDir, Clock.systemUTC());
  }

  Devnet(final Path dataDir, final Clock clock) {
    this.dataDir = dataDir;
    this.clock = clock;
  }

  /** The outcome of {@link #up}: the state, and whether this call started the chain. */
  public record UpResult(DevnetState state, boolean started) {}

  /**
   * Starts anvil with the genesis unless a devnet recorded in this data dir is already running.
   *
   * @param port the port; 0 means the genesis' {@code rpcPort} (or the running devnet's)
   * @throws DevnetException when the devnet already runs on another port than an explicit one
   */
  @SuppressWarnings("try") // the lock is held for the block's duration, not used in it
  public UpResult up(final Path anvil, final DevnetGenesis genesis, final int port) {
    // Check-then-start under a lock: two `devnet up` at once on one data dir start one anvil.
    try (DataDirLock lock = DataDirLock.acquire(dataDir.resolve(LOCK_FILE))) {
      return upLocked(anvil, genesis, port);
    }
  }

  private UpResult upLocked(final Path anvil, final DevnetGenesis genesis, final int port) {
    final Optional<DevnetState> existing = DevnetState.read(dataDir);
    if (existing.isPresent() && isOurAnvil(existing.get())) {
      if (port != 0 && port != existing.get().port()) {
        throw new DevnetException("the devnet of this data dir is already running on port " + existing.get().port() + " ("
            + existing.get().rpcUrl() + "), not " + port + "; 'tl-cli devnet down' first to move it");
      }
      return new UpResult(existing.get(), false);
    }
    existing.ifPresent(stale -> LOG.info("removing stale devnet state (pid {} is gone)", stale.pid()));
    final int chosen = port == 0 ? genesis.rpcPort() : port;
    final Path log = dataDir.resolve("logs").resolve("anvil.log");
    final AnvilProcess anvilProcess;
    try {
      anvilProcess = AnvilProcess.start(anvil, genesis, chosen, log);
    } catch (AnvilException e) {
      throw new DevnetException("devnet did not start: " + e.getMessage());
    }
    final DevnetState state =
        new DevnetState(
            anvilProcess.pid(), anvilProcess.port(), anvilProcess.rpcUrl(), genesis.chainId(), log.toString(), clock.instant().toString());
    state.write(dataDir);
    return new UpResult(state, true);
  }

  /**
   * Stops the recorded anvil process, and only that one: a PID that now belongs to another
   * program is left alone and the stale state is removed.
   *
   * @return the state of the devnet that was stopped, empty when none was running
   */
  public Optional<DevnetState> down() {
    final Optional<DevnetState> recorded = DevnetState.read(dataDir);
    if (recorded.isEmpty()) {
      return Optional.empty();
    }
    final DevnetState state = recorded.get();
    if (!isOurAnvil(state)) {
      DevnetState.delete(dataDir);
      return Optional.empty();
    }
    final ProcessHandle handle = ProcessHandle.of(state.pid()).orElseThrow();
    handle.destroy();
    try {
      handle.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      LOG.warn("anvil pid {} ignored SIGTERM for {} s; killing it", state.pid(), STOP_TIMEOUT.toSeconds());
      handle.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevnetException("interrupted while stopping anvil pid " + state.pid());
    } catch (java.util.concurrent.ExecutionException e) {
      throw new DevnetException("cannot stop anvil pid " + state.pid() + ": " + e.getCause());
    }
    DevnetState.delete(dataDir);
    return Optional.of(state);
  }

  /** Asks the recorded devnet's RPC for its chain id and latest block. */
  public DevnetStatus status() {
    final Optional<DevnetState> recorded = DevnetState.read(dataDir);
    if (recorded.isEmpty() || !isOurAnvil(recorded.get())) {
      return DevnetStatus.stopped(recorded);
    }
    final OkHttpClient http =
        new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(5)).build();
    final Web3j web3 = Web3j.build(new HttpService(recorded.get().rpcUrl(), http));
    try {
      final BigInteger chainId = web3.ethChainId().send().getChainId();
      final BigInteger block = web3.ethBlockNumber().send().getBlockNumber();
      return new DevnetStatus(recorded, true, Optional.of(chainId.longValueExact()), Optional.of(block.longValueExact()));
    } catch (IOException e) {
      LOG.debug("devnet RPC {} does not answer: {}", recorded.get().rpcUrl(), e.getMessage());
      return DevnetStatus.stopped(recorded);
    } finally {
      web3.shutdown();
    }
  }

  /** Mines {@code blocks} empty blocks on the running devnet; returns the new block number. */
  public long mine(final int blocks) {
    if (blocks < 1) {
      throw new DevnetException("the number of blocks to mine must be at least 1, got " + blocks);
    }
    return withRpc(rpc -> {
      rpc.call("anvil_mine", List.of("0x" + Integer.toHexString(blocks)));
      return rpc.web3().ethBlockNumber().send().getBlockNumber().longValueExact();
    });
  }

  /**
   * Moves the devnet's clock {@code seconds} ahead and mines a block at the new time, so deadlines
   * and unbonding periods can be reached; returns the new block's timestamp (Unix seconds).
   */
  public long advance(final long seconds) {
    if (seconds < 1) {
      throw new DevnetException("the time to advance must be at least 1 s, got " + seconds);
    }
    return withRpc(rpc -> {
      rpc.call("evm_increaseTime", List.of(seconds));
      rpc.call("evm_mine", List.of());
      return rpc.web3().ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send()
          .getBlock().getTimestamp().longValueExact();
    });
  }

  /** The devnet's RPC: the web3j client and the service for anvil's own methods. */
  private record Rpc(Web3j web3, HttpService http) {
    void call(final String method, final List<?> params) throws IOException {
      final Response<?> r = new Request<>(method, params, http, RawResponse.class).send();
      if (r.hasError()) {
        throw new DevnetException(method + " failed: " + r.getError().getMessage());
      }
    }
  }

  /** An answer whose result is not needed. */
  public static final class RawResponse extends Response<Object> {}

  private interface RpcAction<T> {
    T apply(Rpc rpc) throws IOException;
  }

  private <T> T withRpc(final RpcAction<T> action) {
    final DevnetState state = DevnetState.read(dataDir).filter(Devnet::isOurAnvil)
        .orElseThrow(() -> new DevnetException("no devnet runs from this data dir; start one with 'tl-cli devnet up'"));
    final HttpService http = new HttpService(state.rpcUrl());
    final Web3j web3 = Web3j.build(http);
    try {
      return action.apply(new Rpc(web3, http));
    } catch (IOException e) {
      throw new DevnetException("devnet RPC " + state.rpcUrl() + " failed: " + e.getMessage());
    } finally {
      web3.shutdown();
    }
  }

  /** Whether the PID is alive and still an anvil (PIDs are reused after a reboot or crash). */
  private static boolean isOurAnvil(final DevnetState state) {
    return ProcessHandle.of(state.pid())
        .filter(ProcessHandle::isAlive)
        .flatMap(h -> h.info().command())
        .map(cmd -> Path.of(cmd).getFileName().toString().equals("anvil"))
        .orElse(false);
  }
}
