package io.tensorlink.p2p.pubsub.rpc;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Objects;

/** "I have these messages in my cache for {@code topic}": {@code ControlIHave{topicID=1, messageIDs=2}}. */
public record ControlIHave(String topic, List<ByteString> messageIds) {
  public ControlIHave {
    Objects.requireNonNull(topic, "topic");
    messageIds = List.copyOf(messageIds);
  }
}
