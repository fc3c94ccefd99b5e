package io.tensorlink.p2p.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.tensorlink.p2p.crypto.Ed25519PrivKey;
import io.tensorlink.p2p.pubsub.rpc.ControlGraft;
import io.tensorlink.p2p.pubsub.rpc.ControlIDontWant;
import io.tensorlink.p2p.pubsub.rpc.ControlMessage;
import io.tensorlink.p2p.pubsub.rpc.ControlPrune;
import io.tensorlink.p2p.pubsub.rpc.PeerInfo;
import io.tensorlink.p2p.pubsub.rpc.PubsubMessage;
import io.tensorlink.p2p.pubsub.rpc.Rpc;
import io.tensorlink.p2p.pubsub.rpc.SubOpts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The router driven directly: a router under test and scripted peers that record what it sends them. */
class GossipRouterTest {
  private static final String TOPIC = "/tl/jobs/1";

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final List<ReceivedMessage> inbox = new ArrayList<>();

  private GossipRouter router(final GossipsubConfig config) {
    return new GossipRouter(Ed25519PrivKey.fromSeed(new byte[32]), config, nanos::get, new Random(7), inbox::add);
  }

  private static Peer join(final GossipRouter router, final long seed, final boolean outbound, final String protocol) {
    return Peer.join(router, seed, outbound, protocol, TOPIC);
  }

  private static Rpc graft(final String topic) {
    return Peer.graft(topic);
  }

  @Test
  void announcesSubscriptionsToNewPeersAndGraftsOnJoin() {
    final GossipRouter r = router(GossipsubConfig.defaults());
    final Peer early = join(r, 1, true, GossipProtocol.MESHSUB_V11);
    r.subscribe(TOPIC);
    final Peer late = join(r, 2, true, GossipProtocol.MESHSUB_V11);

    assertThat(early.received().getFirst().subscriptions()).containsExactly(new SubOpts(true, TOPIC));
    assertThat(early.received().getFirst().control().graft()).containsExactly(new ControlGraft(TOPIC));
    assertThat(late.received().getFirst().subscriptions()).containsExactly(new SubOpts(true, TOPIC));
    assertThat(r.meshPeers(TOPIC)).containsExactly(early.id());
  }

  @Test
  void meshAboveDHighIsPrunedToDKeepingTheOutboundQuota() {
    final GossipRouter r = router(GossipsubConfig.defaults());
    r.subscribe(TOPIC);
    final List<Peer> inbound = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      inbound.add(join(r, 100 + i, false, GossipProtocol.MESHSUB_V11));
    }
    final List<Peer> outbound = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      outbound.add(join(r, 200 + i, true, GossipProtocol.MESHSUB_V11));
    }
    inbound.forEach(p -> r.handleRpc(p.id(), graft(TOPIC)));
    outbound.forEach(p -> r.handleRpc(p.id(), graft(TOPIC)));
    // Inbound grafts stop being accepted at dHigh; outbound ones always are.
    assertThat(r.meshPeers(TOPIC)).hasSize(14);

    r.heartbeat();

    assertThat(r.meshPeers(TOPIC)).hasSize(6);
    assertThat(outbound.stream().filter(p -> r.meshPeers(TOPIC).contains(p.id()))).hasSizeGreaterThanOrEqualTo(2);
    final List<Peer> pruned = new ArrayList<>(inbound);
    pruned.addAll(outbound);
    pruned.removeIf(p -> r.meshPeers(TOPIC).contains(p.id()));
    assertThat(pruned).hasSize(8).allSatisfy(p -> assertPrunedWithPx(p, 60));
  }

  /** One PRUNE with the backoff and peer exchange offering other subscribers, never the pruned peer. */
  private static void assertPrunedWithPx(final Peer p, final long backoffSeconds) {
    assertThat(p.prunes()).singleElement().satisfies(pr -> {
      assertThat(pr.topic()).isEqualTo(TOPIC);
      assertThat(pr.backoffSeconds()).hasValue(backoffSeconds);
      assertThat(pr.peers()).isNotEmpty().extracting(PeerInfo::peerId).doesNotContain(ByteString.copyFrom(p.id().bytes()));
    });
  }

  @Test
  void inboundGraftBeyondDHighIsRefused() {
    final GossipRouter r = router(GossipsubConfig.defaults());
    r.subscribe(TOPIC);
    final List<Peer> peers = new ArrayList<>();
    for (int i = 0; i < 13; i++) {
      peers.add(join(r, 300 + i, false, GossipProtocol.MESHSUB_V11));
    }
    peers.forEach(p -> r.handleRpc(p.id(), graft(TOPIC)));

    assertThat(r.meshPeers(TOPIC)).hasSize(12);
    assertPrunedWithPx(peers.getLast(), 60);
  }

  @Test
  void graftDuringBackoffIsPrunedAgainAndAcceptedAfterIt() {
    final GossipRouter r = router(GossipsubConfig.defaults());
    r.subscribe(TOPIC);
    final Peer p = join(r, 1, false, GossipProtocol.MESHSUB_V11);
    r.handleRpc(p.id(), Rpc.ofControl(new ControlMessage(List.of(), List.of(), List.of(),
        List.of(ControlPrune.withBackoff(TOPIC, 30)), List.of())));
    // We were pruned with a 30 s backoff; the peer grafting back at once is refused.
    r.handleRpc(p.id(), graft(TOPIC));
    assertThat(r.meshPeers(TOPIC)).doesNotContain(p.id());
    assertThat(p.prunes()).hasSize(1);
    // Our heartbeat must not graft it either while the backoff lasts.
    r.heartbeat();
    assertThat(r.meshPeers(TOPIC)).isEmpty();

    nanos.addAndGet(Duration.ofSeconds(61).toNanos());
    r.heartbeat();
    assertThat(r.meshPeers(TOPIC)).containsExactly(p.id());
    assertThat(p.received().getLast().control().graft()).containsExactly(new ControlGraft(TOPIC));
  }

  @Test
  void graftForUnsubscribedTopicIsIgnored() {
    final GossipRouter r = router(GossipsubConfig.defaults());
    final Peer p = join(r, 1, true, GossipProtocol.MESHSUB_V11);
    final int before = p.received().size();
    r.handleRpc(p.id(), graft("other"));
    // v1.1 spam hardening: no answer at all (a PRUNE per GRAFT would amplify a flood).
    assertThat(p.received()).hasSize(before);
  }

  @Test
  void unsubscribePrunesTheMeshWithTheUnsubscribeBackoff() {
    final GossipRouter r = router(GossipsubConfig.defaults());
    final Peer v11 = join(r, 1, true, GossipProtocol.MESHSUB_V11);
    final Peer v10 = join(r, 2, true, GossipProtocol.MESHSUB_V10);
    r.subscribe(TOPIC);
    assertThat(r.meshPeers(TOPIC)).containsExactlyInAnyOrder(v11.id(), v10.id());

    r.unsubscribe(TOPIC);

    assertThat(v11.received().getLast().subscriptions()).containsExactly(new SubOpts(false, TOPIC));
    assertThat(v11.prunes()).containsExactly(
        new ControlPrune(TOPIC, List.of(PeerInfo.of(ByteString.copyFrom(v10.id().bytes()))), OptionalLong.of(10)));
    // v1.0 has no backoff field.
    assertThat(v10.prunes()).singleElement().satisfies(pr -> assertThat(pr.backoffSeconds()).isEmpty());
    assertThat(r.meshPeers(TOPIC)).isEmpty();
  }

  @Test
  void forwardsToMeshExceptSourceAndAuthorAndDropsDuplicates() {
    final GossipRouter r = router(GossipsubConfig.defaults());
    r.subscribe(TOPIC);
    final Peer source = join(r, 1, true, GossipProtocol.MESHSUB_V11);
    final Peer other = join(r, 2, true, GossipProtocol.MESHSUB_V11);
    final Peer author = join(r, 3, true, GossipProtocol.MESHSUB_V11);
    List.of(source, other, author).forEach(p -> r.handleRpc(p.id(), graft(TOPIC)));
    final PubsubMessage m = new StrictSign(author.key()).sign(TOPIC, ByteString.copyFromUtf8("hi"), 1);

    r.handleRpc(source.id(), Rpc.ofMessages(List.of(m)));
    r.handleRpc(other.id(), Rpc.ofMessages(List.of(m)));

    assertThat(inbox).singleElement().satisfies(rm -> {
      assertThat(rm.author()).isEqualTo(author.id());
      assertThat(rm.receivedFrom()).isEqualTo(source.id());
      assertThat(rm.seqno()).isEqualTo(1);
      assertThat(rm.data().toStringUtf8()).isEqualTo("hi");
    });
    assertThat(other.messages()).containsExactly(m);
    assertThat(source.messages()).isEmpty();
    assertThat(author.messages()).isEmpty();
    assertThat(r.counters().duplicates()).isEqualTo(1);
  }

  @Test
  void tamperedOrForeignTopicMessagesAreNotDelivered() {
    final GossipRouter r = router(GossipsubConfig.defaults());
    r.subscribe(TOPIC);
    final Peer p = join(r, 1, true, GossipProtocol.MESHSUB_V11);
    final PubsubMessage good = new StrictSign(p.key()).sign(TOPIC, ByteString.copyFromUtf8("a"), 1);
    final PubsubMessage tampered = PubsubMessage.create(
        good.from(), ByteString.copyFromUtf8("b"), good.seqno(), TOPIC, good.signature(), good.key());
    final PubsubMessage elsewhere = new StrictSign(p.key()).sign("other", ByteString.EMPTY, 2);

    r.handleRpc(p.id(), Rpc.ofMessages(List.of(tampered, elsewhere)));

    assertThat(inbox).isEmpty();
    assertThat(r.counters().rejected()).isEqualTo(1);
    assertThat(r.counters().notSubscribed()).isEqualTo(1);
  }

  @Test
  void validatorVerdictsDecideDeliveryAndForwarding() {
    final GossipRouter r = router(GossipsubConfig.defaults());
    r.subscribe(TOPIC);
    final Peer source = join(r, 1, true, GossipProtocol.MESHSUB_V11);
    final Peer next = join(r, 2, true, GossipProtocol.MESHSUB_V11);
    List.of(source, next).forEach(p -> r.handleRpc(p.id(), graft(TOPIC)));
    r.setValidator(TOPIC, m -> switch (m.data().toStringUtf8()) {
      case "bad" -> ValidationResult.REJECT;
      case "stale" -> ValidationResult.IGNORE;
      case "boom" -> throw new IllegalStateException("validator bug");
      default -> ValidationResult.ACCEPT;
    });
    final StrictSign author = new StrictSign(source.key());
    final List<PubsubMessage> sent = List.of(
        author.sign(TOPIC, ByteString.copyFromUtf8("bad"), 1),
        author.sign(TOPIC, ByteString.copyFromUtf8("stale"), 2),
        author.sign(TOPIC, ByteString.copyFromUtf8("boom"), 3),
        author.sign(TOPIC, ByteString.copyFromUtf8("good"), 4));

    r.handleRpc(source.id(), Rpc.ofMessages(sent));

    assertThat(inbox).extracting(m -> m.data().toStringUtf8()).containsExactly("good");
    assertThat(next.messages()).containsExactly(sent.getLast());
    assertThat(r.counters().rejected()).isEqualTo(2);
    assertThat(r.counters().ignored()).isEqualTo(1);
  }

  @Test
  void enforcesMaxMessageSizeBothWays() {
    final GossipRouter r = router(GossipsubConfig.builder().maxMessageSize(100).maxRpcSize(100 + GossipsubConfig.RPC_OVERHEAD).build());
    r.subscribe(TOPIC);
    final Peer p = join(r, 1, true, GossipProtocol.MESHSUB_V11);

    assertThatThrownBy(() -> r.publish(TOPIC, ByteString.copyFrom(new byte[101])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("101 bytes exceeds maxMessageSize 100");

    r.handleRpc(p.id(), Rpc.ofMessages(List.of(new StrictSign(p.key()).sign(TOPIC, ByteString.copyFrom(new byte[101]), 1))));
    assertThat(inbox).isEmpty();
    assertThat(r.counters().rejected()).isEqualTo(1);
  }

  @Test
  void publishFloodsToAllSubscribersByDefault() {
    final GossipRouter r = router(GossipsubConfig.defaults());
    final List<Peer> peers = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      peers.add(join(r, 10 + i, true, GossipProtocol.MESHSUB_V11));
    }
    final Peer bystander = Peer.of(99);
    r.addPeer(bystander.id(), GossipProtocol.MESHSUB_V11, true, bystander.received()::add);

    final PublishResult result = r.publish(TOPIC, ByteString.copyFromUtf8("x"));

    assertThat(result.recipients()).isEqualTo(9);
    assertThat(peers).allSatisfy(p -> assertThat(p.messages()).hasSize(1));
    assertThat(bystander.messages()).isEmpty();
    assertThat(inbox).as("no delivery to ourselves").isEmpty();
  }

  @Test
  void fanoutWithoutFloodPublishUsesDPeersAndExpires() {
    final GossipRouter r = router(GossipsubConfig.builder().floodPublish(false).build());
    for (int i = 0; i < 9; i++) {
      join(r, 10 + i, true, GossipProtocol.MESHSUB_V11);
    }
    final PublishResult result = r.publish(TOPIC, ByteString.copyFromUtf8("x"));
    assertThat(result.recipients()).isEqualTo(6);
    assertThat(r.fanoutPeers(TOPIC)).hasSize(6);

    nanos.addAndGet(Duration.ofSeconds(61).toNanos());
    r.heartbeat();
    assertThat(r.fanoutPeers(TOPIC)).isEmpty();
  }

  @Test
  void idontwantSuppressesForwardingAndIsSentForLargeMessages() {
    final GossipRouter r = router(GossipsubConfig.defaults());
    r.subscribe(TOPIC);
    final Peer source = join(r, 1, true, GossipProtocol.MESHSUB_V12);
    final Peer declined = join(r, 2, true, GossipProtocol.MESHSUB_V12);
    final Peer wanting = join(r, 3, true, GossipProtocol.MESHSUB_V12);
    List.of(source, declined, wanting).forEach(p -> r.handleRpc(p.id(), graft(TOPIC)));
    final PubsubMessage big = new StrictSign(source.key()).sign(TOPIC, ByteString.copyFrom(new byte[600]), 1);
    final ByteString id = MessageIdFunction.KEY_AND_SEQNO.messageId(big);
    r.handleRpc(declined.id(), Rpc.ofControl(new ControlMessage(List.of(), List.of(), List.of(), List.of(),
        List.of(new ControlIDontWant(List.of(id))))));

    r.handleRpc(source.id(), Rpc.ofMessages(List.of(big)));

    assertThat(declined.messages()).isEmpty();
    assertThat(wanting.messages()).containsExactly(big);
    assertThat(wanting.received().getLast().control().idontwant()).containsExactly(new ControlIDontWant(List.of(id)));
    assertThat(source.received().stream().flatMap(x -> x.control().idontwant().stream())).isEmpty();
  }

  @Test
  void iwantIsAnsweredFromTheCacheAtMostGossipRetransmissionTimes() {
    final GossipRouter r = router(GossipsubConfig.defaults());
    r.subscribe(TOPIC);
    final Peer p = join(r, 1, true, GossipProtocol.MESHSUB_V11);
    final PublishResult published = r.publish(TOPIC, ByteString.copyFromUtf8("cached"));
    p.received().clear();
    final Rpc iwant = Rpc.ofControl(new ControlMessage(List.of(),
        List.of(new io.tensorlink.p2p.pubsub.rpc.ControlIWant(List.of(published.messageId()))), List.of(), List.of(), List.of()));
    for (int i = 0; i < 5; i++) {
      r.handleRpc(p.id(), iwant);
    }
    assertThat(p.messages()).hasSize(3);

    // After mcacheLength heartbeats the message is gone from the cache.
    final Peer q = join(r, 2, true, GossipProtocol.MESHSUB_V11);
    for (int i = 0; i < 5; i++) {
      r.heartbeat();
    }
    q.received().clear();
    r.handleRpc(q.id(), iwant);
    assertThat(q.messages()).isEmpty();
  }
}
