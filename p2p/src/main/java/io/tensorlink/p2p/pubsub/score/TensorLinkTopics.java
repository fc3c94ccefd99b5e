package io.tensorlink.p2p.pubsub.score;

import java.time.Duration;

/** The per-topic parameters TensorLink's defaults start from (see {@link PeerScoreParams#tensorLink()}). */
final class TensorLinkTopics {
  /**
   * P₁ up to +6 after 10 min in the mesh; P₂ up to +20 (about one first delivery a second keeps it
   * there); P₃ expects one near-first delivery per 20 s after 20 s in the mesh, a silent mesh peer
   * drops to −4 and is pruned; P₄: two invalid messages on a weight-1 topic put a peer below the graylist threshold (−100 < −80), and
   * the counter halves in about 70 s.
   */
  static final TopicScoreParams BASE = new TopicScoreParams(
      1,
      0.01, Duration.ofSeconds(1), 600,
      1, 0.95, 20,
      -4, 0.95, 1, 20, Duration.ofSeconds(20), Duration.ofMillis(20),
      -4, 0.99,
      -25, 0.99);

  private TensorLinkTopics() {}
}
