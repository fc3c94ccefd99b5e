package io.tensorlink.p2p.pubsub.score;

/**
 * The score thresholds of gossipsub v1.1 (§"Score Thresholds").
 *
 * @param gossip below this (negative) no gossip is sent to the peer and its IHAVE/IWANT are ignored
 * @param publish below this (≤ gossip) our own messages are not flood-published to the peer
 * @param graylist below this (≤ publish) every RPC from the peer is ignored
 * @param acceptPx peer exchange in a PRUNE is acted on only from peers at or above this (≥ 0)
 * @param opportunisticGraft when the mesh's median score is below this (≥ 0), better peers are grafted
 */
public record PeerScoreThresholds(
    double gossip, double publish, double graylist, double acceptPx, double opportunisticGraft) {

  public PeerScoreThresholds {
    TopicScoreParams.check(gossip <= 0, "gossip threshold must not be positive");
    TopicScoreParams.check(publish <= gossip, "publish threshold must not exceed the gossip threshold");
    TopicScoreParams.check(graylist <= publish, "graylist threshold must not exceed the publish threshold");
    TopicScoreParams.check(acceptPx >= 0, "acceptPx threshold must not be negative");
    TopicScoreParams.check(opportunisticGraft >= 0, "opportunisticGraft threshold must not be negative");
  }

  /** TensorLink's thresholds (docs/gossipsub.md §Peer scoring). */
  public static PeerScoreThresholds defaults() {
    return new PeerScoreThresholds(-40, -60, -80, 10, 2);
  }
}
