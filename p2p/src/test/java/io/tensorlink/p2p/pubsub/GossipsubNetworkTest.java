package io.tensorlink.p2p.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.tensorlink.p2p.host.Connection;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.transport.Hosts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ten real hosts on loopback (TCP + Noise + yamux), each with gossipsub, in one JVM. */
class GossipsubNetworkTest {
  private static final String TOPIC = "/tl/jobs/1";
  private static final int NODES = 10;
  private static final GossipsubConfig CONFIG =
      GossipsubConfig.builder().heartbeatInterval(Duration.ofMillis(200)).build();

  private final List<Host> hosts = new ArrayList<>();
  private final List<Gossipsub> gossip = new ArrayList<>();
  private final List<ConcurrentLinkedQueue<ReceivedMessage>> inboxes = new ArrayList<>();

  @BeforeEach
  void startNetwork() {
    for (int i = 0; i < NODES; i++) {
      final Host host = Hosts.create(HostConfig.loopback());
      host.start().orTimeout(10, TimeUnit.SECONDS).join();
      hosts.add(host);
      gossip.add(new Gossipsub(host, CONFIG).start());
      final ConcurrentLinkedQueue<ReceivedMessage> inbox = new ConcurrentLinkedQueue<>();
      inboxes.add(inbox);
      gossip.get(i).subscribe(TOPIC, inbox::add).join();
    }
    // A ring plus chords: every node has 4 links, the network's diameter is small but not 1.
    for (int i = 0; i < NODES; i++) {
      dial(i, (i + 1) % NODES);
      dial(i, (i + 3) % NODES);
    }
    awaitMeshes();
  }

  @AfterEach
  void stopNetwork() {
    gossip.forEach(Gossipsub::close);
    hosts.forEach(Host::close);
  }

  @Test
  void deliversAThousandMessagesToEverySubscriberWithNoLossOrDuplicate() {
    for (int i = 0; i < 1000; i++) {
      gossip.get(i % NODES).publish(TOPIC, ("message " + i).getBytes());
    }
    await(() -> inboxes.stream().allMatch(q -> q.size() >= 900), Duration.ofSeconds(90), "all deliveries");
    sleep(Duration.ofMillis(500)); // let stragglers (duplicates, if any) arrive before counting

    for (int n = 0; n < NODES; n++) {
      final List<ReceivedMessage> got = List.copyOf(inboxes.get(n));
      final Set<String> payloads = got.stream().map(m -> m.data().toStringUtf8()).collect(Collectors.toSet());
      assertThat(got).as("node %d deliveries", n).hasSize(900);
      assertThat(payloads).as("node %d distinct payloads", n).hasSize(900);
      for (int i = 0; i < 1000; i++) {
        if (i % NODES != n) {
          assertThat(payloads).contains("message " + i);
        }
      }
      final int node = n;
      assertThat(got).noneMatch(m -> m.author().equals(hosts.get(node).peerId()));
    }
  }

  @Test
  void aNodeThatDisconnectsAndReconnectsReceivesAgain() {
    final int leaver = 4;
    final Set<Connection> dropped = new HashSet<>(hosts.get(leaver).connections());
    dropped.forEach(c -> c.close().orTimeout(5, TimeUnit.SECONDS).join());
    await(() -> gossip.get(leaver).peers().join().isEmpty(), Duration.ofSeconds(10), "leaver forgotten");
    // Nobody may still count the leaver as a mesh peer, or the next publish would be sent to a ghost.
    await(() -> gossip.stream().allMatch(g -> !g.meshPeers(TOPIC).join().contains(hosts.get(leaver).peerId())),
        Duration.ofSeconds(10), "leaver pruned everywhere");

    gossip.get(0).publish(TOPIC, "while away".getBytes()).join();
    await(() -> inboxes.get(1).size() == 1, Duration.ofSeconds(10), "delivery to node 1");
    assertThat(inboxes.get(leaver)).isEmpty();

    dial(leaver, (leaver + 1) % NODES);
    dial(leaver, (leaver + 3) % NODES);
    awaitMeshes();
    gossip.get(0).publish(TOPIC, "welcome back".getBytes()).join();

    await(() -> inboxes.get(leaver).stream().anyMatch(m -> m.data().toStringUtf8().equals("welcome back")),
        Duration.ofSeconds(10), "delivery after reconnecting");
    final List<ByteString> ids = inboxes.get(leaver).stream().map(ReceivedMessage::messageId).toList();
    assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
  }

  private void dial(final int from, final int to) {
    final Host target = hosts.get(to);
    hosts.get(from).dial(target.listenAddresses().get(0).withPeerId(target.peerId())).orTimeout(10, TimeUnit.SECONDS).join();
  }

  /** Every node knows its neighbours' subscriptions and has a non-empty mesh. */
  private void awaitMeshes() {
    await(() -> {
      for (int i = 0; i < NODES; i++) {
        final int connected = hosts.get(i).connections().size();
        if (connected == 0 || gossip.get(i).topicPeers(TOPIC).join().size() < connected
            || gossip.get(i).meshPeers(TOPIC).join().isEmpty()) {
          return false;
        }
      }
      return true;
    }, Duration.ofSeconds(20), "meshes");
  }

  private String describe() {
    final StringBuilder out = new StringBuilder();
    for (int i = 0; i < NODES; i++) {
      out.append(String.format("%nnode %d: connections=%d gossip peers=%d topic peers=%d mesh=%d",
          i, hosts.get(i).connections().size(), gossip.get(i).peers().join().size(),
          gossip.get(i).topicPeers(TOPIC).join().size(), gossip.get(i).meshPeers(TOPIC).join().size()));
    }
    return out.toString();
  }

  private void await(final BooleanSupplier condition, final Duration timeout, final String what) {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + describe());
      }
      sleep(Duration.ofMillis(50));
    }
  }

  private static void sleep(final Duration d) {
    try {
      Thread.sleep(d);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
