package io.tensorlink.contracts.devnet;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running anvil chain on loopback, configured from a {@link DevnetGenesis}.
 *
 * <p>{@link #close()} stops the process; a caller that wants the chain to outlive the JVM (as
 * {@code tl-cli devnet up} does) simply does not close it and records {@link #pid()} instead.
 * Output goes to a log file so a detached anvil never blocks on a full pipe.
 */
public final class AnvilProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AnvilProcess.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final int BIND_ATTEMPTS = 3;

  private final Process process;
  private final String host;
  private final int port;
  private final long chainId;
  private final Path logFile;

  private AnvilProcess(
      final Process process, final String host, final int port, final long chainId, final Path logFile) {
    this.process = process;
    this.host = host;
    this.port = port;
    this.chainId = chainId;
    this.logFile = logFile;
  }

  /**
   * Starts anvil and waits until its RPC answers {@code eth_chainId} with the genesis chain id.
   *
   * @param port the port to listen on; 0 picks a free one (retrying if another process takes it)
   */
  public static AnvilProcess start(
      final Path anvil, final DevnetGenesis genesis, final int port, final Path logFile) {
    AnvilException last = null;
    for (int attempt = 0; attempt < (port == 0 ? BIND_ATTEMPTS : 1); attempt++) {
      final int chosen = port == 0 ? freePort(genesis.rpcHost()) : requireFree(genesis.rpcHost(), port);
      try {
        return startOnce(anvil, genesis, chosen, logFile);
      } catch (AnvilException e) {
        last = e;
        LOG.debug("anvil start on port {} failed: {}", chosen, e.getMessage());
      }
    }
    throw last;
  }

  /** The command line anvil is started with; exposed for status output and tests. */
  public static List<String> command(final Path anvil, final DevnetGenesis genesis, final int port) {
    final List<String> cmd = new ArrayList<>();
    cmd.add(anvil.toString());
    cmd.addAll(List.of("--host", genesis.rpcHost(), "--port", Integer.toString(port)));
    cmd.addAll(List.of("--chain-id", Long.toString(genesis.chainId())));
    cmd.addAll(List.of("--mnemonic", genesis.mnemonic()));
    cmd.addAll(List.of("--accounts", Integer.toString(genesis.accounts())));
    cmd.addAll(List.of("--balance", genesis.etherBalance().toString()));
    if (genesis.blockTimeSeconds() > 0) {
      cmd.addAll(List.of("--block-time", Integer.toString(genesis.blockTimeSeconds())));
    }
    return cmd;
  }

  private static AnvilProcess startOnce(
      final Path anvil, final DevnetGenesis genesis, final int port, final Path logFile) {
    final Process process;
    try {
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      process =
          new ProcessBuilder(command(anvil, genesis, port))
              .redirectErrorStream(true)
              .redirectOutput(logFile.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
    } catch (IOException e) {
      throw new AnvilException("cannot start " + anvil + ": " + e.getMessage(), e);
    }
    final AnvilProcess started = new AnvilProcess(process, genesis.rpcHost(), port, genesis.chainId(), logFile);
    try {
      started.awaitReady();
    } catch (AnvilException e) {
      started.close();
      throw e;
    }
    LOG.info("anvil pid {} listening on {} (chain id {})", process.pid(), started.rpcUrl(), genesis.chainId());
    return started;
  }

  private void awaitReady() {
    final long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AnvilException(
            "anvil exited with code " + process.exitValue() + " before its RPC came up: " + logTail());
      }
      final Long answered = queryChainId(http, rpcUrl());
      if (answered != null) {
        if (answered != chainId) {
          throw new AnvilException(
              "anvil on " + rpcUrl() + " reports chain id " + answered + ", expected " + chainId);
        }
        return;
      }
      sleep(100);
    }
    throw new AnvilException("anvil RPC " + rpcUrl() + " not ready after " + START_TIMEOUT.toSeconds() + " s: " + logTail());
  }

  /** The chain id an RPC endpoint reports, or null when it does not answer (yet). */
  static Long queryChainId(final HttpClient http, final String rpcUrl) {
    final HttpRequest request =
        HttpRequest.newBuilder(URI.create(rpcUrl))
            .timeout(Duration.ofSeconds(2))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}"))
            .build();
    try {
      final String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
      final int at = body.indexOf("\"result\":\"0x");
      if (at < 0) {
        return null;
      }
      final int start = at + "\"result\":\"0x".length();
      return Long.parseLong(body.substring(start, body.indexOf('"', start)), 16);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AnvilException("interrupted while waiting for anvil", e);
    }
  }

  private String logTail() {
    try {
      final List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  public String rpcUrl() {
    return "http://" + host + ":" + port;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public long chainId() {
    return chainId;
  }

  public Path logFile() {
    return logFile;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Stops anvil: SIGTERM, then SIGKILL if it has not exited within five seconds. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  static int freePort(final String host) {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new AnvilException("no free port on " + host + ": " + e.getMessage(), e);
    }
  }

  /**
   * Fails when something already listens on the port. anvil binds with address reuse, so without
   * this check a second anvil starts "successfully" and the first one answers its RPC.
   */
  static int requireFree(final String host, final int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(host))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new AnvilException("port " + port + " on " + host + " is already in use: " + e.getMessage(), e);
    }
  }

  private static void sleep(final long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AnvilException("interrupted while waiting for anvil", e);
    }
  }
}
