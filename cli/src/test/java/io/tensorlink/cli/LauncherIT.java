package io.tensorlink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tl-cli through its launcher, bin/tl-cli (after package: the launcher runs the built jar). */
class LauncherIT {
  @TempDir Path dataDir;

  @Test
  void helpIsCleanAndMistakesGetSuggestions() throws Exception {
    final Launcher.Result help = run(Map.of(), "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).startsWith("Usage: tl-cli");
    assertThat(help.err()).as("the launcher drops the JVM's incubator warning").isEmpty();

    final Launcher.Result typo = run(Map.of(), "stak", "status");
    assertThat(typo.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(typo.err().strip()).isEqualTo("error: unknown command 'stak'; did you mean 'stake'? (see 'tl-cli --help')");
  }

  @Test
  void theProgressBarArrivesWhileTrainingRuns() throws Exception {
    final Process p = start(Map.of("TL_STDERR_TTY", "1"), "train", "--model", "mlp", "--dataset", "synthetic:4000",
        "--steps", "300", "--batch", "64", "--threads", "1", "--backend", "cpu");
    final AtomicBoolean barWhileAlive = new AtomicBoolean();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final Thread reader = Thread.ofVirtual().start(() -> {
      try (InputStream in = p.getErrorStream()) {
        final byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) > 0; ) {
          for (int i = 0; i < n; i++) {
            if (buf[i] == '\r' && p.isAlive()) {
              barWhileAlive.set(true);
            }
          }
          err.write(buf, 0, n);
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    reader.join();
    assertThat(p.exitValue()).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(barWhileAlive).as("a carriage-return update reached the reader before the run ended").isTrue();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("step 300/300").endsWith(System.lineSeparator());
    assertThat(out).contains("paramsRoot=0x");
  }

  @Test
  void onARealTerminalTheLauncherDrawsTheBarLive() throws Exception {
    Assumptions.assumeTrue(Launcher.ptyAvailable(), "util-linux script (/usr/bin/script) is not installed: no pty");
    // No TL_STDERR_TTY: the launcher must find out by itself that stderr is a terminal.
    final Process p = new Launcher(dataDir).startOnAPty("train", "--model", "mlp", "--dataset", "synthetic:4000",
        "--steps", "300", "--batch", "64", "--threads", "1", "--backend", "cpu");
    final AtomicBoolean redrawnWhileAlive = new AtomicBoolean();
    final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    final Thread reader = Thread.ofVirtual().start(() -> {
      try (InputStream in = p.getInputStream()) {
        final byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) > 0; ) {
          screen.write(buf, 0, n);
          // A redraw is a carriage return followed by the bar; the pty's own line ends are \r\n.
          if (screen.toString(StandardCharsets.UTF_8).contains("\r[") && p.isAlive()) {
            redrawnWhileAlive.set(true);
          }
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    try (java.io.OutputStream stdin = p.getOutputStream()) {
      assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    }
    reader.join();
    final String text = screen.toString(StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    assertThat(redrawnWhileAlive).as("the bar was redrawn on the terminal before the run ended").isTrue();
    assertThat(text).contains("step 300/300", "paramsRoot=0x");
  }

  @Test
  void ctrlCSavesACheckpointAndExits130() throws Exception {
    // A build started as a background job of a non-interactive shell inherits SIGINT ignored, and no
    // process below it can catch ctrl-C: nothing to test then.
    final boolean sigintIgnored = java.nio.file.Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(l -> l.startsWith("SigIgn:")).findFirst()
        .map(l -> (Long.parseUnsignedLong(l.substring(7).strip(), 16) & (1L << 1)) != 0).orElse(false);
    if (sigintIgnored) {
      System.out.println("SKIPPED LauncherIT.ctrlCSavesACheckpointAndExits130: SIGINT is ignored in this process tree"
          + " (started as a background job)");
    }
    org.junit.jupiter.api.Assumptions.assumeFalse(sigintIgnored, "SIGINT is ignored in this process tree");
    final Path ckpt = dataDir.resolve("run.tlck");
    final Process p = start(Map.of("TL_STDERR_TTY", "1"), "train", "--model", "mlp", "--dataset", "synthetic:4000",
        "--steps", "100000", "--batch", "64", "--threads", "1", "--backend", "cpu", "--out", ckpt.toString());
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final java.util.concurrent.CountDownLatch training = new java.util.concurrent.CountDownLatch(1);
    final Thread reader = Thread.ofVirtual().start(() -> {
      try (InputStream in = p.getErrorStream()) {
        final byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) > 0; ) {
          err.write(buf, 0, n);
          if (err.toString(StandardCharsets.UTF_8).contains("step ")) {
            training.countDown();
          }
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(training.await(2, TimeUnit.MINUTES)).as("training started").isTrue();
    // bin/tl-cli execs java, so this pid is the JVM's.
    assertThat(new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor()).isZero();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    reader.join();
    final String text = err.toString(StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isEqualTo(130);
    assertThat(text).containsPattern("\nerror: interrupted at step \\d+; checkpoint saved to " + java.util.regex.Pattern.quote(ckpt.toString()));
    assertThat(ckpt).exists();
  }

  @Test
  void twoDevnetUpsAtOnceStartOneAnvil() throws Exception {
    final int port;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    final Launcher launcher = new Launcher(dataDir);
    try {
      // Two separate processes on one data dir, as two terminals would start them.
      final Process a = launcher.start(Map.of(), "devnet", "up", "--port", Integer.toString(port));
      final Process b = launcher.start(Map.of(), "devnet", "up", "--port", Integer.toString(port));
      final String outA = new String(a.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      final String outB = new String(b.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(a.waitFor(2, TimeUnit.MINUTES) && b.waitFor(2, TimeUnit.MINUTES)).isTrue();
      assertThat(List.of(a.exitValue(), b.exitValue())).as(outA + outB).containsOnly(0);
      assertThat(List.of(outA, outB)).as("one started it, the other found it running")
          .satisfiesExactlyInAnyOrder(o -> assertThat(o).startsWith("devnet started: "), o -> assertThat(o).startsWith("devnet already running: "));
      final long anvils = ProcessHandle.allProcesses()
          .filter(h -> h.info().commandLine().map(c -> c.contains("anvil") && c.contains("--port " + port)).orElse(false)).count();
      assertThat(anvils).as("anvil processes on port %d", port).isEqualTo(1);
    } finally {
      assertThat(launcher.run(Map.of(), "devnet", "down").exitCode()).isZero();
    }
  }

  @Test
  void offATerminalTheProgressIsPlainLines() throws Exception {
    final Launcher.Result r = run(Map.of(), "train", "--model", "mlp", "--dataset", "synthetic:256", "--steps", "3",
        "--batch", "32", "--threads", "1", "--backend", "cpu");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).doesNotContain("\r").contains("step 1/3", "step 3/3");
  }

  private Launcher.Result run(final Map<String, String> env, final String... args) throws Exception {
    return new Launcher(dataDir).run(env, args);
  }

  private Process start(final Map<String, String> env, final String... args) throws IOException {
    return new Launcher(dataDir).start(env, args);
  }
}
