package io.tensorlink.p2p.pubsub;

import static io.tensorlink.p2p.host.Conditions.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.transport.Hosts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Direct peers over real loopback hosts: dialled and re-dialled by gossipsub, sent everything, never meshed. */
class DirectPeersTest {
  private static final String TOPIC = "/tl/jobs/1";
  private final Host a = Hosts.create(HostConfig.loopback());
  private final Host b = Hosts.create(HostConfig.loopback());
  private Gossipsub ga;
  private Gossipsub gb;

  @AfterEach
  void stop() {
    for (final Gossipsub g : new Gossipsub[] {ga, gb}) {
      if (g != null) {
        g.close();
      }
    }
    a.close();
    b.close();
  }

  private static GossipsubConfig direct(final Host peer) {
    return GossipsubConfig.builder().heartbeatInterval(Duration.ofMillis(100)).directPeers(Set.of(peer.peerId())).build();
  }

  @Test
  void directPeersAreDialledKeptConnectedAndSentEveryMessageOutsideTheMesh() throws Exception {
    a.start().orTimeout(10, TimeUnit.SECONDS).join();
    b.start().orTimeout(10, TimeUnit.SECONDS).join();
    ga = new Gossipsub(a, direct(b)).start();
    gb = new Gossipsub(b, direct(a)).start();
    final ConcurrentLinkedQueue<ReceivedMessage> inbox = new ConcurrentLinkedQueue<>();
    ga.subscribe(TOPIC, m -> { }).join();
    gb.subscribe(TOPIC, inbox::add).join();
    final Multiaddr bAddress = b.listenAddresses().get(0).withPeerId(b.peerId());

    ga.connectDirectPeers(List.of(bAddress));
    waitUntil(() -> ga.topicPeers(TOPIC).join().contains(b.peerId()));
    ga.publish(TOPIC, "to a direct peer".getBytes(StandardCharsets.UTF_8)).join();
    waitUntil(() -> !inbox.isEmpty());
    assertThat(inbox.peek().data().toStringUtf8()).isEqualTo("to a direct peer");
    // Several heartbeats later, still no mesh between them: direct peers get everything anyway.
    Thread.sleep(500);
    assertThat(ga.meshPeers(TOPIC).join()).isEmpty();
    assertThat(gb.meshPeers(TOPIC).join()).isEmpty();

    // Dropped: gossipsub dials it again within DIRECT_CONNECT_TICKS heartbeats (1 s here).
    b.connection(a.peerId()).orElseThrow().close().get(10, TimeUnit.SECONDS);
    waitUntil(() -> a.connection(b.peerId()).isEmpty());
    waitUntil(() -> a.connection(b.peerId()).isPresent());
  }

  @Test
  void anAddressOfAPeerThatIsNotDirectIsRefusedByName() {
    ga = new Gossipsub(a, GossipsubConfig.defaults());
    final Multiaddr noId = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001");
    assertThatThrownBy(() -> ga.connectDirectPeers(List.of(noId))).hasMessageContaining("has no /p2p/<peer id>");
    final Multiaddr stranger = noId.withPeerId(b.peerId());
    assertThatThrownBy(() -> ga.connectDirectPeers(List.of(stranger)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(b.peerId().toBase58()).hasMessageContaining("not in the config's directPeers");
  }
}
