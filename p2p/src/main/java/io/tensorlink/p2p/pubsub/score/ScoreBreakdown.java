package io.tensorlink.p2p.pubsub.score;

/**
 * A peer's score and its weighted parts, summed over topics (P₁–P₄ before the topic cap, which
 * applies to {@code total} only).
 */
public record ScoreBreakdown(
    double total, double p1, double p2, double p3, double p3b, double p4, double p5, double p6, double p7) {
  public static final ScoreBreakdown ZERO = new ScoreBreakdown(0, 0, 0, 0, 0, 0, 0, 0, 0);
}
