package io.tensorlink.cli.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.cli.Launcher;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

/** What the node-process tests share: a free loopback port, a command that must succeed, a wait on a live process. */
final class NodeProcesses {
  private NodeProcesses() {}

  /** A condition polled until it holds; it may read files or call a node. */
  interface Check {
    boolean holds() throws Exception;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static Launcher.Result ok(final Launcher.Result r) {
    assertThat(r.exitCode()).as("stdout: %s%nstderr: %s", r.out(), r.err()).isZero();
    return r;
  }

  /**
   * Polls {@code check} every {@code poll} until it holds; fails with {@code owner}'s stderr if that
   * process exits first, or after {@code timeout}.
   */
  static void waitFor(final Check check, final String ownerName, final Process owner, final Duration timeout,
      final Duration poll, final String what) throws Exception {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (!check.holds()) {
      if (!owner.isAlive()) {
        throw new AssertionError(ownerName + " exited (" + owner.exitValue() + ") while waiting for " + what + ": "
            + new String(owner.getErrorStream().readAllBytes()));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      Thread.sleep(poll.toMillis());
    }
  }
}
