package io.tensorlink.bench.p2p;

import io.netty.buffer.Unpooled;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.interop.BulkHashProtocol;
import io.tensorlink.p2p.transport.Hosts;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Two hosts in one JVM, connected over loopback TCP with Noise and yamux; the dialer sends the
 * payload on {@code /tl/bulk/1.0.0} and the listener hashes it and replies with the SHA-256, exactly
 * what {@code p2p/interop/peer.mjs} does for the js↔js reference. Timed from opening the stream to
 * the verified reply; the first {@code warmup} runs (JIT compilation) are not reported. Each run
 * also reports the JVM's CPU time (all threads: both endpoints, hashing, GC) per GB moved, the
 * issue's CPU-s/GB for both endpoints together.
 */
final class BulkThroughput {
  private static final com.sun.management.OperatingSystemMXBean CPU =
      (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  private BulkThroughput() {}

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
      for (int i = 0; i < warmup + runs; i++) {
        final long cpuStart = CPU.getProcessCpuTime();
        final long start = System.nanoTime();
        final byte[] reply = BulkHashProtocol.send(sender, receiver.peerId(), Unpooled.wrappedBuffer(payload))
            .orTimeout(120, TimeUnit.SECONDS).join();
        final double ms = (System.nanoTime() - start) / 1e6;
        final double cpuSecPerGb = (CPU.getProcessCpuTime() - cpuStart) / 1e9 / (bytes / 1e9);
        if (!Arrays.equals(reply, expected)) {
          throw new IllegalStateException("receiver's SHA-256 does not match what was sent");
        }
        if (i >= warmup) {
          System.out.println(P2pBench.json(
              "{\"bench\":\"bulk\",\"impl\":\"java\",\"bytes\":%d,\"ms\":%.3f,\"mbPerSec\":%.1f,\"cpuSecPerGb\":%.2f}",
              bytes, ms, bytes / 1e6 / (ms / 1e3), cpuSecPerGb));
        }
      }
    }
  }
}
