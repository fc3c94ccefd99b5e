package io.tensorlink.bench.p2p;

import io.netty.buffer.Unpooled;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.interop.BulkHashProtocol;
import io.tensorlink.p2p.transport.Hosts;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Two hosts in one JVM, connected over loopback TCP with Noise and yamux; the dialer sends the
 * payload on {@code /tl/bulk/1.0.0} and the listener hashes it and replies with the SHA-256, exactly
 * what {@code p2p/interop/peer.mjs} does for the js↔js reference. Timed from opening the stream to
 * the verified reply; the first {@code warmup} runs are not reported, nor further runs while the JIT
 * is still busy ({@link #JIT_SETTLED}). Each run also reports the JVM's CPU time (all threads: both
 * endpoints, hashing, GC, JIT) per GB moved, the CPU-s/GB for both endpoints together, and
 * the JIT's compilation time during the run.
 */
final class BulkThroughput {
  private static final com.sun.management.OperatingSystemMXBean CPU =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
  /**
   * Warm-up goes on past the requested runs while the JIT compiled for more than this share of the
   * last run: on two cores a compiler thread busy beside both event loops and the hashing thread
   * takes CPU from the transfer, which made the first measured runs of a batch the slowest.
   */
  private static final double JIT_SETTLED = 0.02;
  /** ... but for at most this many times the requested warm-up runs (a loaded box never settles). */
  private static final int MAX_WARMUP_FACTOR = 3;

  /** One timed transfer: wall time, process CPU time and JIT compilation time (ms, all compilers). */
  private record Transfer(double ms, long cpuNanos, long jitMs) {}

  private BulkThroughput() {}

  private static Transfer transfer(final Host sender, final Host receiver, final byte[] payload, final byte[] expected) {
    final long jitStart = JIT.getTotalCompilationTime();
    final long cpuStart = CPU.getProcessCpuTime();
    final long start = System.nanoTime();
    final byte[] reply = BulkHashProtocol.send(sender, receiver.peerId(), Unpooled.wrappedBuffer(payload))
        .orTimeout(120, TimeUnit.SECONDS).join();
    final double ms = (System.nanoTime() - start) / 1e6;
    if (!Arrays.equals(reply, expected)) {
      throw new IllegalStateException("receiver's SHA-256 does not match what was sent");
    }
    return new Transfer(ms, CPU.getProcessCpuTime() - cpuStart, JIT.getTotalCompilationTime() - jitStart);
  }

  static void run(final long bytes, final int runs, final int warmup) {
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("bulk size must be below 2 GiB, got " + bytes);
    }
    final byte[] payload = new byte[(int) bytes];
    new Random(1).nextBytes(payload);
    final byte[] expected = BulkHashProtocol.sha256().digest(payload);
    try (Host receiver = Hosts.create(HostConfig.loopback());
        Host sender = Hosts.create(HostConfig.loopback())) {
      receiver.start().join();
      sender.start().join();
      BulkHashProtocol.serve(receiver, received -> {});
      sender.dial(receiver.listenAddresses().get(0).withPeerId(receiver.peerId())).orTimeout(10, TimeUnit.SECONDS).join();
      int warmed = 0;
      Transfer last;
      do {
        last = transfer(sender, receiver, payload, expected);
        warmed++;
      } while (warmed < warmup || (last.jitMs() > JIT_SETTLED * last.ms() && warmed < MAX_WARMUP_FACTOR * warmup));
      // Nothing is formatted or printed until the last run: code that first runs between two
      // measured runs (String.format, the first println) is compiled during the next one.
      final List<Transfer> measured = new ArrayList<>(runs);
      for (int i = 0; i < runs; i++) {
        measured.add(transfer(sender, receiver, payload, expected));
      }
      System.err.printf(Locale.ROOT, "bulk: Java warmed up in %d runs (JIT busy %d ms of the last one's %.0f ms)%n",
          warmed, last.jitMs(), last.ms());
      for (final Transfer t : measured) {
        System.out.println(P2pBench.json(
            "{\"bench\":\"bulk\",\"impl\":\"java\",\"bytes\":%d,\"ms\":%.3f,\"mbPerSec\":%.1f,\"cpuSecPerGb\":%.2f,\"jitMs\":%d}",
            bytes, t.ms(), bytes / 1e6 / (t.ms() / 1e3), t.cpuNanos() / (double) bytes, t.jitMs()));
      }
    }
  }
}
