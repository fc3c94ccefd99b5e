package io.tensorlink.p2p.pubsub.rpc;

import java.util.Objects;

/** "Add me to your mesh for {@code topic}": {@code ControlGraft{topicID=1}}. */
public record ControlGraft(String topic) {
  public ControlGraft {
    Objects.requireNonNull(topic, "topic");
  }
}
