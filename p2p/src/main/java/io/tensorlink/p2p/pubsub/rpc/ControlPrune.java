package io.tensorlink.p2p.pubsub.rpc;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * "You are out of my mesh for {@code topic}": {@code ControlPrune{topicID=1, peers=2, backoff=3}}.
 *
 * @param peers peer exchange (v1.1 PX), each with its signed peer record when the sender has one
 * @param backoffSeconds how long the pruned peer must wait before grafting again (v1.1)
 */
public record ControlPrune(String topic, List<PeerInfo> peers, OptionalLong backoffSeconds) {
  public ControlPrune {
    Objects.requireNonNull(topic, "topic");
    peers = List.copyOf(peers);
    Objects.requireNonNull(backoffSeconds, "backoffSeconds");
  }

  public static ControlPrune withoutBackoff(final String topic) {
    return new ControlPrune(topic, List.of(), OptionalLong.empty());
  }

  public static ControlPrune withBackoff(final String topic, final long backoffSeconds) {
    return new ControlPrune(topic, List.of(), OptionalLong.of(backoffSeconds));
  }
}
