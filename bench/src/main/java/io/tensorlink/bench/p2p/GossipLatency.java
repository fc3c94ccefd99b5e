package io.tensorlink.bench.p2p;

import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.pubsub.Gossipsub;
import io.tensorlink.p2p.pubsub.GossipsubConfig;
import io.tensorlink.p2p.transport.Hosts;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A gossipsub network of real hosts in one JVM (a ring plus chords, 4 links a node, defaults
 * otherwise). Messages carry their publish time (same clock, one process); every subscriber records
 * publish→delivery. Publishing is paced at one message per 10 ms so the figure is latency, not
 * queueing. Prints p50, p99 and max over every (message, receiver) pair.
 */
final class GossipLatency {
  private static final String TOPIC = "/tl/bench/1";

  private GossipLatency() {}

  static void run(final int nodes, final int messages) throws InterruptedException {
    final List<Host> hosts = new ArrayList<>();
    final List<Gossipsub> gossip = new ArrayList<>();
    final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    try {
      for (int i = 0; i < nodes; i++) {
        final Host host = Hosts.create(HostConfig.loopback());
        host.start().join();
        hosts.add(host);
        final Gossipsub g = new Gossipsub(host, GossipsubConfig.defaults()).start();
        gossip.add(g);
        g.subscribe(TOPIC, m -> latencies.add(System.nanoTime() - m.data().asReadOnlyByteBuffer().getLong())).join();
      }
      for (int i = 0; i < nodes; i++) {
        for (final int j : new int[] {(i + 1) % nodes, (i + 3) % nodes}) {
          if (j != i) {
            hosts.get(i).dial(hosts.get(j).listenAddresses().get(0).withPeerId(hosts.get(j).peerId()))
                .orTimeout(10, TimeUnit.SECONDS).join();
          }
        }
      }
      Thread.sleep(Duration.ofSeconds(3)); // subscriptions, grafts and a few heartbeats
      for (int i = 0; i < messages; i++) {
        final byte[] payload = ByteBuffer.allocate(64).putLong(System.nanoTime()).putInt(i).array();
        gossip.get(i % nodes).publish(TOPIC, payload);
        LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
      }
      final long expected = (long) messages * (nodes - 1);
      final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (latencies.size() < expected && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      final long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      System.out.println(P2pBench.json(
          "{\"bench\":\"gossip\",\"impl\":\"java\",\"nodes\":%d,\"messages\":%d,\"deliveries\":%d,\"expected\":%d,"
              + "\"p50Ms\":%.3f,\"p99Ms\":%.3f,\"maxMs\":%.3f}",
          nodes, messages, sorted.length, expected, pct(sorted, 0.50), pct(sorted, 0.99),
          sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6));
    } finally {
      gossip.forEach(Gossipsub::close);
      hosts.forEach(Host::close);
    }
  }

  private static double pct(final long[] sorted, final double q) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
  }
}
