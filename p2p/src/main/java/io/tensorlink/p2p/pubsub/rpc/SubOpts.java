package io.tensorlink.p2p.pubsub.rpc;

import java.util.Objects;

/** A subscription change a peer announces: {@code RPC.SubOpts{subscribe=1, topicid=2}}. */
public record SubOpts(boolean subscribe, String topic) {
  public SubOpts {
    Objects.requireNonNull(topic, "topic");
  }
}
