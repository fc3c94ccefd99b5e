package io.tensorlink.monero.regtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One child process (monerod or wallet-rpc) with its output in a log file. {@link #stop()} sends
 * SIGTERM (both save their state on it), waits, then kills; a JVM shutdown hook does the same if the
 * owner never gets to close it, so no process outlives the JVM that started it.
 */
final class ManagedProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ManagedProcess.class);
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  private final String name;
  private final Process process;
  private final Path log;
  private final Thread shutdownHook;

  private ManagedProcess(final String name, final Process process, final Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.shutdownHook = new Thread(process::destroyForcibly, "kill-" + name);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  static ManagedProcess start(final String name, final List<String> command, final Path log) {
    try {
      Files.createDirectories(log.getParent());
      final Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      LOG.info("started {} (pid {}), log {}", name, p.pid(), log);
      return new ManagedProcess(name, p, log);
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot start " + name + " (" + command.get(0) + ")", e);
    }
  }

  /** Polls {@code ready} until it holds; fails with the log's tail if the process dies or time runs out. */
  void awaitReady(final BooleanSupplier ready, final Duration timeout) {
    final Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + " during startup: " + tail());
      }
      if (ready.getAsBoolean()) {
        return;
      }
      sleep(150);
    }
    stop();
    throw new IllegalStateException(name + " not ready within " + timeout + ": " + tail());
  }

  /** SIGKILL, as a crash would: no chance to save. */
  void kill() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(10));
    removeHook();
  }

  void stop() {
    if (process.isAlive()) {
      process.destroy();
      if (!waitFor(STOP_GRACE)) {
        LOG.warn("{} ignored SIGTERM for {}; killing it", name, STOP_GRACE);
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(10));
      }
    }
    removeHook();
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    stop();
  }

  private boolean waitFor(final Duration d) {
    try {
      return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return false;
    }
  }

  private void removeHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (final IllegalStateException e) {
      // the JVM is already shutting down: the hook runs anyway
    }
  }

  private String tail() {
    try {
      final List<String> lines = Files.readAllLines(log);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (final IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  static void sleep(final long millis) {
    try {
      Thread.sleep(millis);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Whether {@code pid} is alive and runs {@code program} (a pid may have been reused by another). */
  static boolean runs(final long pid, final String program) {
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
        .flatMap(h -> h.info().command())
        .map(cmd -> Path.of(cmd).getFileName().toString().equals(program))
        .orElse(false);
  }

  /** SIGTERM to {@code pid} if it still runs {@code program}, SIGKILL after the grace period. */
  static void stop(final long pid, final String program) {
    if (!runs(pid, program)) {
      return; // gone, or the pid now belongs to another program: leave it alone
    }
    final ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
    h.destroy();
    try {
      h.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (final TimeoutException e) {
      LOG.warn("{} pid {} ignored SIGTERM for {} s; killing it", program, pid, STOP_GRACE.toSeconds());
      h.destroyForcibly();
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      h.destroyForcibly();
    } catch (final ExecutionException e) {
      throw new IllegalStateException("cannot stop " + program + " pid " + pid + ": " + e.getCause(), e);
    }
  }
}
