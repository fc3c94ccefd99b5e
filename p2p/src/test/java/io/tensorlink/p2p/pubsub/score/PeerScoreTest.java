package io.tensorlink.p2p.pubsub.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.ByteString;
import io.tensorlink.p2p.crypto.Ed25519PrivKey;
import io.tensorlink.p2p.peer.PeerId;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The score function P₁–P₇ against hand-computed values, decay, and retention. */
class PeerScoreTest {
  private static final String TOPIC = "/tl/steps/1/job-1";
  /** TensorLink's step-topic parameters at topic weight 1, to keep the arithmetic readable. */
  private static final TopicScoreParams STEPS = TensorLinkTopics.BASE;

  private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
  private final PeerScoreParams params = PeerScoreParams.tensorLink().withTopic("/tl/steps/1/", STEPS);
  private final PeerScore score = new PeerScore(params, nanos::get, Duration.ofMinutes(2));

  private static PeerId peer(final long seed) {
    return PeerId.fromPublicKey(Ed25519PrivKey.fromSeed(ByteBuffer.allocate(32).putLong(seed).array()).publicKey());
  }

  private static ByteString id(final int n) {
    return ByteString.copyFromUtf8("msg-" + n);
  }

  private void advance(final Duration d) {
    nanos.addAndGet(d.toNanos());
    score.refresh();
  }

  @Test
  void timeInMeshAndFirstDeliveriesReward() {
    final PeerId p = peer(1);
    score.addPeer(p, Optional.of("10.0.0.1"));
    score.graft(p, TOPIC);
    for (int i = 0; i < 3; i++) {
      score.validated(p, TOPIC, id(i));
    }
    // Counters decay once per elapsed second; P3 is not active before 20 s in the mesh.
    advance(Duration.ofSeconds(10));
    final ScoreBreakdown b = score.breakdown(p);
    assertThat(b.p1()).isCloseTo(0.01 * 10, within(1e-9));
    assertThat(b.p2()).isCloseTo(3 * Math.pow(0.95, 10), within(1e-9));
    assertThat(b.p3()).isZero();
    assertThat(b.total()).isCloseTo(b.p1() + b.p2(), within(1e-9));
  }

  @Test
  void silentMeshPeerGetsTheSquaredDeficitAfterActivationAndP3bWhenPruned() {
    final PeerId p = peer(2);
    score.addPeer(p, Optional.empty());
    score.graft(p, TOPIC);
    advance(Duration.ofSeconds(19));
    assertThat(score.breakdown(p).p3()).as("not active yet").isZero();
    advance(Duration.ofSeconds(1));
    // deficit = threshold 1 - 0 deliveries; P3 = -4 * 1^2.
    assertThat(score.breakdown(p).p3()).isCloseTo(-4, within(1e-9));
    assertThat(score.score(p)).isNegative();

    score.prune(p, TOPIC);
    final ScoreBreakdown after = score.breakdown(p);
    assertThat(after.p3()).isZero();
    assertThat(after.p1()).isZero();
    assertThat(after.p3b()).isCloseTo(-4, within(1e-9));
    advance(Duration.ofSeconds(1));
    assertThat(score.breakdown(p).p3b()).isCloseTo(-4 * 0.99, within(1e-9));
  }

  @Test
  void nearFirstDuplicatesCountForMeshDeliveriesLateOnesDoNot() {
    final PeerId first = peer(3);
    final PeerId fast = peer(4);
    final PeerId slow = peer(5);
    for (final PeerId p : new PeerId[] {first, fast, slow}) {
      score.addPeer(p, Optional.empty());
      score.graft(p, TOPIC);
    }
    advance(Duration.ofSeconds(20));
    score.validated(first, TOPIC, id(1));
    nanos.addAndGet(Duration.ofMillis(5).toNanos());
    score.duplicate(fast, id(1));
    nanos.addAndGet(Duration.ofMillis(100).toNanos());
    score.duplicate(slow, id(1));

    assertThat(score.breakdown(first).p3()).isZero();
    assertThat(score.breakdown(fast).p3()).isZero();
    assertThat(score.breakdown(fast).p2()).as("a duplicate is no first delivery").isZero();
    assertThat(score.breakdown(slow).p3()).isCloseTo(-4, within(1e-9));
  }

  @Test
  void invalidMessagesAreSquaredAndEveryForwarderOfARejectedMessagePays() {
    final PeerId spammer = peer(6);
    final PeerId relay = peer(7);
    score.addPeer(spammer, Optional.empty());
    score.addPeer(relay, Optional.empty());
    score.rejected(spammer, TOPIC, id(1));
    score.invalid(spammer, TOPIC);
    score.duplicate(relay, id(1));
    score.duplicate(relay, id(1));

    assertThat(score.breakdown(spammer).p4()).isCloseTo(-25 * 4, within(1e-9));
    assertThat(score.breakdown(relay).p4()).as("charged once per message").isCloseTo(-25, within(1e-9));
    assertThat(score.score(spammer)).isLessThan(PeerScoreThresholds.defaults().graylist());
  }

  @Test
  void applicationScoreIpColocationAndBehaviourPenalty() {
    final PeerId app = peer(8);
    score.addPeer(app, Optional.empty());
    score.setApplicationScore(app, -50);
    assertThat(score.score(app)).isCloseTo(-50, within(1e-9));

    // Six peers on one address, threshold 4: surplus 2, P6 = -10 * 2^2 each. Loopback is whitelisted.
    for (int i = 0; i < 6; i++) {
      score.addPeer(peer(100 + i), Optional.of("203.0.113.9"));
      score.addPeer(peer(200 + i), Optional.of("127.0.0.1"));
    }
    assertThat(score.breakdown(peer(100)).p6()).isCloseTo(-40, within(1e-9));
    assertThat(score.breakdown(peer(200)).p6()).isZero();
    score.removePeer(peer(105));
    assertThat(score.breakdown(peer(100)).p6()).isCloseTo(-10, within(1e-9));

    final PeerId rude = peer(9);
    score.addPeer(rude, Optional.empty());
    score.addPenalty(rude, 6);
    assertThat(score.score(rude)).as("up to the threshold is free").isZero();
    score.addPenalty(rude, 4);
    assertThat(score.breakdown(rude).p7()).isCloseTo(-10 * 16, within(1e-9));
  }

  @Test
  void negativeScoresSurviveAReconnectWithinRetainScorePositiveOnesDoNot() {
    final PeerId bad = peer(10);
    final PeerId good = peer(11);
    score.addPeer(bad, Optional.empty());
    score.addPeer(good, Optional.empty());
    score.invalid(bad, TOPIC);
    score.validated(good, TOPIC, id(1));
    score.removePeer(bad);
    score.removePeer(good);
    advance(Duration.ofMinutes(1));
    score.addPeer(bad, Optional.empty());
    score.addPeer(good, Optional.empty());
    assertThat(score.score(bad)).isNegative();
    assertThat(score.score(good)).isZero();

    score.removePeer(bad);
    advance(Duration.ofMinutes(11));
    score.addPeer(bad, Optional.empty());
    assertThat(score.score(bad)).as("forgotten after retainScore").isZero();
  }

  @Test
  void positiveTopicSumIsCappedPenaltiesAreNot() {
    final PeerId p = peer(12);
    score.addPeer(p, Optional.empty());
    final PeerScore capped = score;
    for (int i = 0; i < 100; i++) {
      capped.validated(p, "/tl/jobs/1", id(1000 + i));
      capped.validated(p, "/tl/pol/1", id(2000 + i));
      capped.validated(p, "/tl/assign/1", id(3000 + i));
    }
    // 3 topics * P2 cap 20 = 60, capped at 40.
    assertThat(capped.score(p)).isCloseTo(40, within(1e-9));
    capped.setApplicationScore(p, -45);
    assertThat(capped.score(p)).isCloseTo(-5, within(1e-9));
  }

  @Test
  void prefixKeysMatchLongestFirstAndUnknownTopicsDoNotCount() {
    assertThat(params.forTopic("/tl/bids/1/job-9")).isPresent();
    assertThat(params.forTopic("/tl/bids/1")).isEmpty();
    final PeerScoreParams both = params.withTopic("/tl/", STEPS.withTopicWeight(0.1));
    assertThat(both.forTopic("/tl/bids/1/job-9").orElseThrow().topicWeight()).isEqualTo(0.5);
    assertThat(both.forTopic("/tl/other").orElseThrow().topicWeight()).isEqualTo(0.1);

    final PeerId p = peer(13);
    score.addPeer(p, Optional.empty());
    score.invalid(p, "/not/scored");
    assertThat(score.score(p)).isZero();
  }

  @Test
  void badParametersAreRejectedWithTheirName() {
    assertThatThrownBy(() -> new PeerScoreThresholds(-1, -2, -3, -1, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acceptPx");
    assertThatThrownBy(() -> new PeerScoreThresholds(-10, -5, -20, 0, 0))
        .hasMessageContaining("publish threshold");
    assertThatThrownBy(() -> STEPS.withTopicWeight(-1)).hasMessageContaining("topicWeight");
    assertThatThrownBy(() -> new PeerScoreParams(Map.of(), 0, 1, 5, 1, Set.of(), -1, 0, 0.5,
        Duration.ofSeconds(1), 0.01, Duration.ZERO)).hasMessageContaining("ipColocationFactorWeight");
  }
}
