package io.tensorlink.p2p.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import io.tensorlink.p2p.crypto.Ed25519PrivKey;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.pubsub.rpc.ControlIHave;
import io.tensorlink.p2p.pubsub.rpc.ControlMessage;
import io.tensorlink.p2p.pubsub.rpc.ControlPrune;
import io.tensorlink.p2p.pubsub.rpc.PeerInfo;
import io.tensorlink.p2p.record.SignedPeerRecord;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.pubsub.rpc.PubsubMessage;
import io.tensorlink.p2p.pubsub.rpc.Rpc;
import io.tensorlink.p2p.pubsub.rpc.SubOpts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The v1.1 hardening in the router: thresholds, penalties, score-aware mesh, direct peers, PX. */
class GossipRouterScoringTest {
  private static final String JOBS = "/tl/jobs/1";
  private static final String STEPS = "/tl/steps/1/job-1";

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final List<ReceivedMessage> inbox = new ArrayList<>();
  private final List<ScoreEvent> events = new ArrayList<>();

  private GossipRouter router(final GossipsubConfig config) {
    final GossipRouter r =
        new GossipRouter(Ed25519PrivKey.fromSeed(new byte[32]), config, nanos::get, new Random(7), inbox::add);
    r.setScoreListener(events::add);
    return r;
  }

  private void heartbeats(final GossipRouter r, final int n) {
    for (int i = 0; i < n; i++) {
      nanos.addAndGet(Duration.ofSeconds(1).toNanos());
      r.heartbeat();
    }
  }

  private static Rpc control(final ControlMessage c) {
    return Rpc.ofControl(c);
  }

  @Test
  void aPeerSendingInvalidMessagesIsGraylistedAndThenIgnored() {
    final GossipRouter r = router(GossipsubConfig.defaults());
    r.subscribe(JOBS);
    r.setValidator(JOBS, m -> m.data().toStringUtf8().startsWith("bad") ? ValidationResult.REJECT : ValidationResult.ACCEPT);
    final Peer spammer = Peer.join(r, 1, false, GossipProtocol.MESHSUB_V12, JOBS);
    final StrictSign sign = new StrictSign(spammer.key());

    r.handleRpc(spammer.id(), Rpc.ofMessages(List.of(sign.sign(JOBS, ByteString.copyFromUtf8("bad 1"), 1))));
    assertThat(r.peerScore(spammer.id()).p4()).isEqualTo(-25);
    r.handleRpc(spammer.id(), Rpc.ofMessages(List.of(sign.sign(JOBS, ByteString.copyFromUtf8("bad 2"), 2))));
    assertThat(r.peerScore(spammer.id()).total()).isLessThan(-80);

    // Graylisted: even a valid message from it is ignored now, and the crossing was reported.
    r.handleRpc(spammer.id(), Rpc.ofMessages(List.of(sign.sign(JOBS, ByteString.copyFromUtf8("fine"), 3))));
    assertThat(inbox).isEmpty();
    assertThat(r.counters().graylistedRpcs()).isEqualTo(1);
    assertThat(events).extracting(ScoreEvent::kind, ScoreEvent::peer)
        .containsExactly(tuple(ScoreEvent.Kind.GRAYLISTED, spammer.id()));
  }

  @Test
  void aForgedCopyDoesNotShadowTheRealMessage() {
    final GossipRouter r = router(GossipsubConfig.defaults());
    r.subscribe(JOBS);
    final Peer author = Peer.join(r, 1, true, GossipProtocol.MESHSUB_V12, JOBS);
    final Peer forger = Peer.join(r, 2, false, GossipProtocol.MESHSUB_V12, JOBS);
    final PubsubMessage real = new StrictSign(author.key()).sign(JOBS, ByteString.copyFromUtf8("job"), 5);
    final PubsubMessage forged = PubsubMessage.decode(real.raw().substring(0, real.raw().size() - 1)
        .concat(ByteString.copyFrom(new byte[] {(byte) (real.raw().byteAt(real.raw().size() - 1) ^ 1)})));

    r.handleRpc(forger.id(), Rpc.ofMessages(List.of(forged)));
    r.handleRpc(author.id(), Rpc.ofMessages(List.of(real)));

    assertThat(inbox).extracting(m -> m.data().toStringUtf8()).containsExactly("job");
    assertThat(r.peerScore(forger.id()).p4()).isNegative();
    assertThat(r.peerScore(author.id()).p2()).isPositive();
  }

  @Test
  void graftingDuringBackoffCostsBehaviourPenaltyUntilGraylisted() {
    final GossipRouter r = router(GossipsubConfig.defaults());
    r.subscribe(JOBS);
    final Peer rude = Peer.join(r, 1, false, GossipProtocol.MESHSUB_V12, JOBS);
    r.handleRpc(rude.id(), control(new ControlMessage(List.of(), List.of(), List.of(),
        List.of(ControlPrune.withBackoff(JOBS, 60)), List.of())));
    // Each GRAFT within graftFloodThreshold (10 s) of the prune costs 2 points; 6 are free.
    for (int i = 0; i < 3; i++) {
      r.handleRpc(rude.id(), Peer.graft(JOBS));
    }
    assertThat(r.peerScore(rude.id()).p7()).isZero();
    r.handleRpc(rude.id(), Peer.graft(JOBS));
    r.handleRpc(rude.id(), Peer.graft(JOBS));
    assertThat(r.peerScore(rude.id()).p7()).isEqualTo(-10 * 16);
    assertThat(r.meshPeers(JOBS)).isEmpty();
    // Every refusal is a PRUNE without peer exchange.
    assertThat(rude.prunes()).hasSize(5).allSatisfy(p -> assertThat(p.peers()).isEmpty());
    heartbeats(r, 1);
    assertThat(events).extracting(ScoreEvent::kind).containsExactly(ScoreEvent.Kind.GRAYLISTED);
  }

  @Test
  void anUnansweredIWantIsABrokenPromise() {
    final GossipRouter r = router(GossipsubConfig.defaults());
    r.subscribe(JOBS);
    final Peer liar = Peer.join(r, 1, false, GossipProtocol.MESHSUB_V12, JOBS);
    final List<ByteString> bogus = List.of(ByteString.copyFromUtf8("never-1"), ByteString.copyFromUtf8("never-2"));
    for (int i = 0; i < 30; i++) {
      r.handleRpc(liar.id(), control(new ControlMessage(List.of(new ControlIHave(JOBS, bogus.subList(0, 1 + i % 2))),
          List.of(), List.of(), List.of(), List.of())));
      heartbeats(r, 1);
    }
    // Promises expire 3 s after they were made; once the penalties push the liar below the gossip
    // threshold its IHAVEs are no longer answered.
    assertThat(r.peerScore(liar.id()).p7()).isNegative();
    assertThat(r.peerScore(liar.id()).total()).isLessThan(-40);
    final long asked = liar.received().stream().flatMap(x -> x.control().iwant().stream()).count();
    assertThat(asked).isBetween(10L, 29L);
  }

  @Test
  void aSilentMeshPeerIsPrunedForScoreWithoutPeerExchange() {
    final GossipRouter r = router(GossipsubConfig.builder().opportunisticGrafting(1000, 2).build());
    r.subscribe(STEPS);
    final Peer silent = Peer.join(r, 1, true, GossipProtocol.MESHSUB_V12, STEPS);
    final Peer other = Peer.join(r, 2, true, GossipProtocol.MESHSUB_V12, STEPS);
    heartbeats(r, 1);
    assertThat(r.meshPeers(STEPS)).containsExactlyInAnyOrder(silent.id(), other.id());
    // Only "other" delivers, once every two seconds; P3 activates after 20 s in the mesh.
    for (int i = 0; i < 22; i++) {
      if (i % 2 == 0) {
        r.handleRpc(other.id(), Rpc.ofMessages(List.of(new StrictSign(other.key()).sign(STEPS, ByteString.copyFromUtf8("s" + i), i + 1))));
      }
      heartbeats(r, 1);
    }
    assertThat(r.meshPeers(STEPS)).containsExactly(other.id());
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.kind()).isEqualTo(ScoreEvent.Kind.PRUNED_FOR_SCORE);
      assertThat(e.peer()).isEqualTo(silent.id());
      assertThat(e.topic()).isEqualTo(STEPS);
    });
    assertThat(silent.prunes()).singleElement().satisfies(p -> {
      assertThat(p.peers()).isEmpty();
      assertThat(p.backoffSeconds()).hasValue(60);
    });
    assertThat(r.peerScore(silent.id()).p3b()).isNegative();
  }

  @Test
  void floodPublishSkipsPeersBelowThePublishThreshold() {
    final GossipRouter r = router(GossipsubConfig.defaults());
    final Peer good = Peer.join(r, 1, true, GossipProtocol.MESHSUB_V12, JOBS);
    final Peer shady = Peer.join(r, 2, true, GossipProtocol.MESHSUB_V12, JOBS);
    r.setApplicationScore(shady.id(), -70);

    r.publish(JOBS, ByteString.copyFromUtf8("hello"));

    assertThat(good.messages()).hasSize(1);
    assertThat(shady.messages()).isEmpty();
    assertThat(r.peerScore(shady.id()).p5()).isEqualTo(-70);
  }

  @Test
  void directPeersGetEveryMessageStayOutOfTheMeshAndAreNeverGraylisted() {
    final Peer direct = Peer.of(9);
    final GossipRouter r = router(GossipsubConfig.builder().directPeers(Set.of(direct.id())).build());
    r.addPeer(direct.id(), GossipProtocol.MESHSUB_V12, true, direct.received()::add);
    r.handleRpc(direct.id(), Rpc.ofSubscriptions(List.of(new SubOpts(true, JOBS))));
    r.subscribe(JOBS);
    final Peer author = Peer.join(r, 1, true, GossipProtocol.MESHSUB_V12, JOBS);
    heartbeats(r, 1);
    assertThat(r.meshPeers(JOBS)).containsExactly(author.id());

    r.handleRpc(author.id(), Rpc.ofMessages(List.of(new StrictSign(author.key()).sign(JOBS, ByteString.copyFromUtf8("x"), 1))));
    assertThat(direct.messages()).hasSize(1);

    r.handleRpc(direct.id(), Peer.graft(JOBS));
    assertThat(r.meshPeers(JOBS)).doesNotContain(direct.id());
    r.setApplicationScore(direct.id(), -1000);
    r.handleRpc(direct.id(), Rpc.ofMessages(List.of(new StrictSign(direct.key()).sign(JOBS, ByteString.copyFromUtf8("y"), 1))));
    assertThat(inbox).extracting(m -> m.data().toStringUtf8()).containsExactly("x", "y");
  }

  @Test
  void peerExchangeIsOfferedOnOversubscriptionAndAcceptedOnlyFromWellScoredPeers() {
    final GossipRouter r = router(GossipsubConfig.defaults());
    final List<List<ExchangedPeer>> offered = new ArrayList<>();
    r.setPeerExchangeListener(offered::add);
    r.subscribe(JOBS);
    final Peer stranger = Peer.join(r, 1, true, GossipProtocol.MESHSUB_V12, JOBS);
    final Peer trusted = Peer.join(r, 2, true, GossipProtocol.MESHSUB_V12, JOBS);
    r.setApplicationScore(trusted.id(), 20);
    final List<PeerInfo> px = List.of(PeerInfo.of(ByteString.copyFrom(Peer.of(77).id().bytes())), PeerInfo.of(ByteString.copyFrom(Peer.of(78).id().bytes())));

    r.handleRpc(stranger.id(), prune(px));
    assertThat(offered).as("score 0 is below acceptPX 10").isEmpty();
    r.handleRpc(trusted.id(), prune(px));
    assertThat(offered).containsExactly(List.of(new ExchangedPeer(Peer.of(77).id(), List.of()), new ExchangedPeer(Peer.of(78).id(), List.of())));
  }

  @Test
  void peerExchangeCarriesSignedRecordsAndDropsOffersWhoseRecordDoesNotVerify() {
    final GossipRouter r = router(GossipsubConfig.defaults());
    final List<List<ExchangedPeer>> offered = new ArrayList<>();
    r.setPeerExchangeListener(offered::add);
    r.subscribe(JOBS);
    final Peer trusted = Peer.join(r, 2, true, GossipProtocol.MESHSUB_V12, JOBS);
    r.setApplicationScore(trusted.id(), 20);
    final List<Multiaddr> where = List.of(Multiaddr.parse("/ip4/10.1.2.3/tcp/4001"));
    final Peer honest = Peer.of(80);
    final Peer impersonated = Peer.of(81);
    final ByteString good = ByteString.copyFrom(SignedPeerRecord.seal(honest.key(), 1, where).bytes());
    final byte[] tampered = SignedPeerRecord.seal(Peer.of(82).key(), 1, where).bytes();
    tampered[tampered.length - 1] ^= 1;
    final ByteString someoneElses = ByteString.copyFrom(SignedPeerRecord.seal(Peer.of(83).key(), 1, where).bytes());
    r.handleRpc(trusted.id(), prune(List.of(
        new PeerInfo(ByteString.copyFrom(honest.id().bytes()), Optional.of(good)),
        new PeerInfo(ByteString.copyFrom(Peer.of(82).id().bytes()), Optional.of(ByteString.copyFrom(tampered))),
        new PeerInfo(ByteString.copyFrom(impersonated.id().bytes()), Optional.of(someoneElses)))));
    assertThat(offered).containsExactly(List.of(new ExchangedPeer(honest.id(), where)));
  }

  @Test
  void prunesOfferPeersWithTheSignedRecordsTheRouterKnows() {
    final GossipRouter r = router(GossipsubConfig.defaults());
    final SignedPeerRecord record = SignedPeerRecord.seal(Peer.of(11).key(), 3, List.of(Multiaddr.parse("/ip4/10.0.0.11/tcp/1")));
    r.setPeerRecords(p -> p.equals(Peer.of(11).id()) ? Optional.of(record) : Optional.empty());
    final Peer a = Peer.join(r, 10, true, GossipProtocol.MESHSUB_V12, JOBS);
    final Peer b = Peer.join(r, 11, true, GossipProtocol.MESHSUB_V12, JOBS);
    r.subscribe(JOBS);
    assertThat(r.meshPeers(JOBS)).containsExactlyInAnyOrder(a.id(), b.id());
    r.unsubscribe(JOBS);
    final List<PeerInfo> toA = a.prunes().getLast().peers();
    assertThat(toA).singleElement().satisfies(info -> {
      assertThat(info.peerId()).isEqualTo(ByteString.copyFrom(b.id().bytes()));
      assertThat(info.signedPeerRecord()).contains(ByteString.copyFrom(record.bytes()));
    });
  }

  private static Rpc prune(final List<PeerInfo> px) {
    return control(new ControlMessage(List.of(), List.of(), List.of(), List.of(new ControlPrune(JOBS, px, OptionalLong.of(60))), List.of()));
  }

  @Test
  void opportunisticGraftingAddsBetterPeersWhenTheMeshMedianIsLow() {
    final GossipRouter r = router(GossipsubConfig.builder().opportunisticGrafting(5, 2).meshDegree(2, 3, 4).dOut(1).build());
    r.subscribe(JOBS);
    final List<Peer> first = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      first.add(Peer.join(r, 10 + i, true, GossipProtocol.MESHSUB_V12, JOBS));
    }
    heartbeats(r, 1);
    assertThat(r.meshPeers(JOBS)).hasSize(3);
    final Peer better = Peer.join(r, 20, true, GossipProtocol.MESHSUB_V12, JOBS);
    r.setApplicationScore(better.id(), 5);
    heartbeats(r, 3);
    assertThat(r.meshPeers(JOBS)).doesNotContain(better.id());
    heartbeats(r, 1);
    assertThat(r.meshPeers(JOBS)).contains(better.id()).hasSize(4);
  }
}
