package io.tensorlink.p2p.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.tensorlink.p2p.pubsub.rpc.Rpc;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Many routers in one thread (see {@link SimNetwork}): whole-network properties, reproducibly. */
class SimulatedGossipNetworkTest {
  private static final String TOPIC = "/tl/steps/1/job-7";
  private static final int MESSAGES = 1000;

  @Test
  void tenNodesDeliverEveryMessageToEverySubscriberExactlyOnce() {
    final SimNetwork net = new SimNetwork(GossipsubConfig.defaults(), 10, 42);
    net.connectRandomly(3, new Random(1));
    net.routers.forEach(r -> r.subscribe(TOPIC));
    net.settle();
    net.heartbeats(3);

    final Random random = new Random(2);
    final int[] published = new int[10];
    for (int i = 0; i < MESSAGES; i++) {
      final int publisher = random.nextInt(10);
      published[publisher]++;
      net.node(publisher).publish(TOPIC, ByteString.copyFromUtf8("m" + i));
      net.settle();
      if (i % 100 == 99) {
        net.heartbeat();
      }
    }
    net.heartbeats(2);

    for (int n = 0; n < 10; n++) {
      final GossipRouter r = net.node(n);
      final List<ReceivedMessage> got = net.inbox(r);
      final Set<ByteString> ids = got.stream().map(ReceivedMessage::messageId).collect(Collectors.toSet());
      assertThat(ids).as("no duplicates at %s", r.self()).hasSameSizeAs(got);
      assertThat(got).allSatisfy(m -> assertThat(m.author()).isNotEqualTo(r.self()));
      assertThat(got).as("messages delivered to node %d", n).hasSize(MESSAGES - published[n]);
      assertThat(r.meshPeers(TOPIC).size()).isBetween(1, 12);
    }
  }

  @Test
  void peersOutsideTheMeshGetMessagesThroughIHaveAndIWant() {
    final GossipsubConfig config = GossipsubConfig.builder()
        .meshDegree(1, 1, 1).dOut(0).dLazy(1).floodPublish(false).build();
    final SimNetwork net = new SimNetwork(config, 3, 5);
    final GossipRouter hub = net.node(0);
    net.connect(hub, net.node(1));
    net.connect(hub, net.node(2));
    net.routers.forEach(r -> r.subscribe(TOPIC));
    net.settle();
    net.heartbeats(2);
    assertThat(hub.meshPeers(TOPIC)).hasSize(1);
    final GossipRouter inMesh = hub.meshPeers(TOPIC).contains(net.node(1).self()) ? net.node(1) : net.node(2);
    final GossipRouter outside = inMesh == net.node(1) ? net.node(2) : net.node(1);

    hub.publish(TOPIC, ByteString.copyFromUtf8("gossip me"));
    net.settle();
    assertThat(net.inbox(inMesh)).hasSize(1);
    assertThat(net.inbox(outside)).isEmpty();

    net.heartbeat();

    assertThat(net.inbox(outside)).singleElement().satisfies(m -> assertThat(m.data().toStringUtf8()).isEqualTo("gossip me"));
    final List<Rpc> toOutside = net.rpcsBetween(hub, outside);
    final List<Rpc> fromOutside = net.rpcsBetween(outside, hub);
    assertThat(toOutside.stream().flatMap(r -> r.control().ihave().stream())).isNotEmpty();
    assertThat(fromOutside.stream().flatMap(r -> r.control().iwant().stream())).isNotEmpty();
  }

  @Test
  void aPeerThatReconnectsRejoinsTheMeshAndRecoversRecentMessagesByGossip() {
    final SimNetwork net = new SimNetwork(GossipsubConfig.defaults(), 6, 9);
    for (int i = 0; i < 6; i++) {
      for (int j = i + 1; j < 6; j++) {
        net.connect(net.node(i), net.node(j));
      }
    }
    net.routers.forEach(r -> r.subscribe(TOPIC));
    net.settle();
    net.heartbeats(2);
    final GossipRouter leaver = net.node(5);
    final List<GossipRouter> others = net.routers.subList(0, 5);

    others.forEach(o -> net.disconnect(o, leaver));
    assertThat(others).allSatisfy(o -> assertThat(o.meshPeers(TOPIC)).doesNotContain(leaver.self()));
    net.node(0).publish(TOPIC, ByteString.copyFromUtf8("while away"));
    net.settle();
    net.heartbeats(2);
    assertThat(net.inbox(leaver)).isEmpty();

    others.forEach(o -> net.connect(o, leaver));
    leaver.unsubscribe(TOPIC);
    leaver.subscribe(TOPIC);
    net.settle();
    net.heartbeats(2);
    assertThat(leaver.meshPeers(TOPIC)).isNotEmpty();
    net.node(1).publish(TOPIC, ByteString.copyFromUtf8("welcome back"));
    net.settle();

    // "while away" is still in the others' gossip window, so IHAVE/IWANT brought it back too.
    assertThat(net.inbox(leaver)).extracting(m -> m.data().toStringUtf8())
        .containsExactlyInAnyOrder("while away", "welcome back");
    final Set<ByteString> ids = new HashSet<>();
    for (final GossipRouter r : net.routers) {
      net.inbox(r).forEach(m -> assertThat(ids.add(m.messageId().concat(ByteString.copyFrom(r.self().bytes())))).isTrue());
    }
  }
}
