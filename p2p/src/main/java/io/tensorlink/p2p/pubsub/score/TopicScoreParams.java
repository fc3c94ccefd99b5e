package io.tensorlink.p2p.pubsub.score;

import java.time.Duration;

/**
 * Per-topic peer-scoring parameters (gossipsub v1.1 §"The Score Function", P₁–P₄). A topic without
 * parameters does not contribute to a peer's score. Weights of penalties are negative, of rewards
 * positive; decay factors are applied every {@link PeerScoreParams#decayInterval()}.
 *
 * @param topicWeight how much this topic's sum counts in the total
 * @param timeInMeshWeight P₁ weight (small, positive)
 * @param timeInMeshQuantum time in mesh that earns one P₁ point
 * @param timeInMeshCap P₁ maximum
 * @param firstMessageDeliveriesWeight P₂ weight (positive)
 * @param firstMessageDeliveriesDecay P₂ counter decay factor
 * @param firstMessageDeliveriesCap P₂ counter maximum
 * @param meshMessageDeliveriesWeight P₃ weight (negative, or 0 to turn P₃ off for low-rate topics)
 * @param meshMessageDeliveriesDecay P₃ counter decay factor
 * @param meshMessageDeliveriesThreshold below this (after activation) the deficit is squared into P₃
 * @param meshMessageDeliveriesCap P₃ counter maximum (≥ threshold)
 * @param meshMessageDeliveriesActivation time in the mesh before P₃ applies
 * @param meshMessageDeliveriesWindow a duplicate this soon after the first delivery still counts for P₃
 * @param meshFailurePenaltyWeight P₃b weight (negative)
 * @param meshFailurePenaltyDecay P₃b counter decay factor
 * @param invalidMessageDeliveriesWeight P₄ weight (negative)
 * @param invalidMessageDeliveriesDecay P₄ counter decay factor
 */
public record TopicScoreParams(
    double topicWeight,
    double timeInMeshWeight,
    Duration timeInMeshQuantum,
    double timeInMeshCap,
    double firstMessageDeliveriesWeight,
    double firstMessageDeliveriesDecay,
    double firstMessageDeliveriesCap,
    double meshMessageDeliveriesWeight,
    double meshMessageDeliveriesDecay,
    double meshMessageDeliveriesThreshold,
    double meshMessageDeliveriesCap,
    Duration meshMessageDeliveriesActivation,
    Duration meshMessageDeliveriesWindow,
    double meshFailurePenaltyWeight,
    double meshFailurePenaltyDecay,
    double invalidMessageDeliveriesWeight,
    double invalidMessageDeliveriesDecay) {

  public TopicScoreParams {
    check(topicWeight >= 0, "topicWeight must not be negative");
    check(timeInMeshWeight >= 0 && timeInMeshCap >= 0, "P1 weight and cap must not be negative");
    check(!timeInMeshQuantum.isNegative() && !timeInMeshQuantum.isZero(), "timeInMeshQuantum must be positive");
    check(firstMessageDeliveriesWeight >= 0 && firstMessageDeliveriesCap >= 0, "P2 weight and cap must not be negative");
    check(meshMessageDeliveriesWeight <= 0, "P3 weight must not be positive");
    check(meshMessageDeliveriesThreshold >= 0 && meshMessageDeliveriesCap >= meshMessageDeliveriesThreshold,
        "need 0 <= P3 threshold <= P3 cap");
    check(!meshMessageDeliveriesActivation.isNegative() && !meshMessageDeliveriesWindow.isNegative(),
        "P3 activation and window must not be negative");
    check(meshFailurePenaltyWeight <= 0, "P3b weight must not be positive");
    check(invalidMessageDeliveriesWeight <= 0, "P4 weight must not be positive");
    for (final double decay : new double[] {firstMessageDeliveriesDecay, meshMessageDeliveriesDecay,
        meshFailurePenaltyDecay, invalidMessageDeliveriesDecay}) {
      check(decay > 0 && decay < 1, "decay factors must be within (0, 1)");
    }
  }

  static void check(final boolean condition, final String message) {
    if (!condition) {
      throw new IllegalArgumentException("peer score params: " + message);
    }
  }

  /** A copy with P₃/P₃b switched off (for topics too quiet to expect steady mesh deliveries). */
  public TopicScoreParams withoutMeshDeliveries() {
    return new TopicScoreParams(topicWeight, timeInMeshWeight, timeInMeshQuantum, timeInMeshCap,
        firstMessageDeliveriesWeight, firstMessageDeliveriesDecay, firstMessageDeliveriesCap, 0,
        meshMessageDeliveriesDecay, 0, meshMessageDeliveriesCap, meshMessageDeliveriesActivation,
        meshMessageDeliveriesWindow, 0, meshFailurePenaltyDecay, invalidMessageDeliveriesWeight,
        invalidMessageDeliveriesDecay);
  }

  /** A copy with another topic weight. */
  public TopicScoreParams withTopicWeight(final double weight) {
    return new TopicScoreParams(weight, timeInMeshWeight, timeInMeshQuantum, timeInMeshCap,
        firstMessageDeliveriesWeight, firstMessageDeliveriesDecay, firstMessageDeliveriesCap,
        meshMessageDeliveriesWeight, meshMessageDeliveriesDecay, meshMessageDeliveriesThreshold,
        meshMessageDeliveriesCap, meshMessageDeliveriesActivation, meshMessageDeliveriesWindow,
        meshFailurePenaltyWeight, meshFailurePenaltyDecay, invalidMessageDeliveriesWeight,
        invalidMessageDeliveriesDecay);
  }
}
