package io.tensorlink.p2p.pubsub;

import io.tensorlink.p2p.peer.PeerId;
import java.util.Objects;

/**
 * A peer crossed a score threshold or lost its mesh place over its score; the router reports these
 * to a listener ({@code tl-cli p2p sub} prints them).
 *
 * @param topic the topic for {@link Kind#PRUNED_FOR_SCORE}, empty otherwise
 */
public record ScoreEvent(Kind kind, PeerId peer, double score, String topic) {
  public enum Kind {
    /** Score fell below the graylist threshold: its RPCs are ignored from now on. */
    GRAYLISTED,
    /** Score came back above the graylist threshold. */
    UNGRAYLISTED,
    /** Removed from a mesh because its score went negative. */
    PRUNED_FOR_SCORE
  }

  public ScoreEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(topic, "topic");
  }
}
