package io.tensorlink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Runs tl-cli through its launcher, bin/tl-cli, as a user would (after package: it runs the built jar). */
public final class Launcher {
  private static final Path SCRIPT = Path.of("/usr/bin/script");
  private final Path dataDir;

  public Launcher(final Path dataDir) {
    this.dataDir = dataDir;
  }

  public record Result(int exitCode, String out, String err) {}

  /** Runs to completion (two minutes at most) and collects both streams. */
  public Result run(final Map<String, String> env, final String... args) throws IOException, InterruptedException {
    final Process p = start(env, args);
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final Thread reader = Thread.ofVirtual().start(() -> {
      try (InputStream in = p.getErrorStream()) {
        in.transferTo(err);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("tl-cli %s finished", List.of(args)).isTrue();
    reader.join();
    return new Result(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
  }

  public Process start(final Map<String, String> env, final String... args) throws IOException {
    final ProcessBuilder pb = new ProcessBuilder(command(args));
    pb.environment().remove("TL_STDERR_TTY");
    pb.environment().putAll(env);
    return pb.start();
  }

  /** Whether {@link #startOnAPty} can run here (util-linux {@code script}). */
  public static boolean ptyAvailable() {
    return Files.isExecutable(SCRIPT);
  }

  /**
   * Starts bin/tl-cli on a pseudo-terminal ({@code script -qec}): its stdin, stdout and stderr are
   * one pty, so the launcher sees a terminal as a user's shell would. What the terminal shows is the
   * process's stdout (carriage returns before newlines, typed input echoed); what is written to the
   * process's stdin is typed.
   */
  public Process startOnAPty(final String... args) throws IOException {
    final String line = command(args).stream().map(Launcher::quoted).collect(Collectors.joining(" "));
    final ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), "-qec", line, "/dev/null").redirectErrorStream(true);
    pb.environment().remove("TL_STDERR_TTY");
    pb.environment().remove("TL_STDIN_TTY");
    return pb.start();
  }

  private List<String> command(final String... args) {
    final List<String> command = new ArrayList<>(List.of(CliRun.repositoryRoot().resolve("bin").resolve("tl-cli").toString(),
        "--data-dir", dataDir.toString()));
    command.addAll(List.of(args));
    return command;
  }

  private static String quoted(final String arg) {
    return "'" + arg.replace("'", "'\\''") + "'";
  }
}
