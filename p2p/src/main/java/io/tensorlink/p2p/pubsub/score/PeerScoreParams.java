package io.tensorlink.p2p.pubsub.score;

import static io.tensorlink.p2p.pubsub.score.TopicScoreParams.check;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Peer-scoring parameters that apply to the peer as a whole (P₅–P₇, decay, retention) plus the
 * per-topic ones. A key of {@code topics} that ends in {@code /} is a prefix: {@code /tl/bids/1/}
 * covers every {@code /tl/bids/1/<jobId>}; an exact key wins over a prefix, a longer prefix over a
 * shorter one. Topics matched by no key do not contribute to the score.
 *
 * @param topics per-topic parameters by topic or topic prefix
 * @param topicScoreCap the positive sum over topics is capped here (0: no cap); penalties are not
 * @param appSpecificWeight P₅ weight (positive; the application's value may be negative)
 * @param ipColocationFactorWeight P₆ weight (negative)
 * @param ipColocationFactorThreshold peers per IP address beyond which the surplus is squared into P₆
 * @param ipColocationWhitelist addresses that never count for P₆ (by default loopback: a machine's
 *     own nodes and every test share it)
 * @param behaviourPenaltyWeight P₇ weight (negative)
 * @param behaviourPenaltyThreshold penalties up to this are free; the excess is squared into P₇
 * @param behaviourPenaltyDecay P₇ counter decay factor
 * @param decayInterval how often the counters decay
 * @param decayToZero a decayed counter below this becomes 0
 * @param retainScore how long a disconnected peer's non-positive score is kept, so that
 *     reconnecting does not wash it
 */
public record PeerScoreParams(
    Map<String, TopicScoreParams> topics,
    double topicScoreCap,
    double appSpecificWeight,
    double ipColocationFactorWeight,
    int ipColocationFactorThreshold,
    Set<String> ipColocationWhitelist,
    double behaviourPenaltyWeight,
    double behaviourPenaltyThreshold,
    double behaviourPenaltyDecay,
    Duration decayInterval,
    double decayToZero,
    Duration retainScore) {

  public PeerScoreParams {
    topics = Map.copyOf(topics);
    ipColocationWhitelist = Set.copyOf(ipColocationWhitelist);
    check(topicScoreCap >= 0, "topicScoreCap must not be negative");
    check(appSpecificWeight >= 0, "appSpecificWeight must not be negative");
    check(ipColocationFactorWeight <= 0, "ipColocationFactorWeight must not be positive");
    check(ipColocationFactorThreshold >= 1, "ipColocationFactorThreshold must be at least 1");
    check(behaviourPenaltyWeight <= 0, "behaviourPenaltyWeight must not be positive");
    check(behaviourPenaltyThreshold >= 0, "behaviourPenaltyThreshold must not be negative");
    check(behaviourPenaltyDecay > 0 && behaviourPenaltyDecay < 1, "behaviourPenaltyDecay must be within (0, 1)");
    check(!decayInterval.isNegative() && !decayInterval.isZero(), "decayInterval must be positive");
    check(decayToZero > 0 && decayToZero < 1, "decayToZero must be within (0, 1)");
    check(!retainScore.isNegative(), "retainScore must not be negative");
  }

  /** The parameters for {@code topic}: an exact key, else the longest matching prefix key. */
  public Optional<TopicScoreParams> forTopic(final String topic) {
    final TopicScoreParams exact = topics.get(topic);
    if (exact != null) {
      return Optional.of(exact);
    }
    String best = null;
    for (final String key : topics.keySet()) {
      if (key.endsWith("/") && topic.startsWith(key) && (best == null || key.length() > best.length())) {
        best = key;
      }
    }
    return Optional.ofNullable(best).map(topics::get);
  }

  /** A copy with {@code params} for {@code topic} (or prefix) added or replaced. */
  public PeerScoreParams withTopic(final String topic, final TopicScoreParams params) {
    final HashMap<String, TopicScoreParams> copy = new HashMap<>(topics);
    copy.put(topic, params);
    return new PeerScoreParams(copy, topicScoreCap, appSpecificWeight, ipColocationFactorWeight,
        ipColocationFactorThreshold, ipColocationWhitelist, behaviourPenaltyWeight, behaviourPenaltyThreshold,
        behaviourPenaltyDecay, decayInterval, decayToZero, retainScore);
  }

  /**
   * TensorLink's parameters (docs/gossipsub.md §Peer scoring): the five gossip topics of
   * design.md, P₃ only on the busy step-record topic.
   */
  public static PeerScoreParams tensorLink() {
    final TopicScoreParams base = TensorLinkTopics.BASE;
    return new PeerScoreParams(
        Map.of(
            "/tl/jobs/1", base.withoutMeshDeliveries(),
            "/tl/bids/1/", base.withoutMeshDeliveries().withTopicWeight(0.5),
            "/tl/assign/1", base.withoutMeshDeliveries(),
            "/tl/steps/1/", base.withTopicWeight(0.5),
            "/tl/pol/1", base.withoutMeshDeliveries()),
        40, 1, -10, 4, Set.of("127.0.0.1", "0:0:0:0:0:0:0:1"), -10, 6, 0.99,
        Duration.ofSeconds(1), 0.01, Duration.ofMinutes(10));
  }
}
