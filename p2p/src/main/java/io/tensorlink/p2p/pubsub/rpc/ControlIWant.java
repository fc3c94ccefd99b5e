package io.tensorlink.p2p.pubsub.rpc;

import com.google.protobuf.ByteString;
import java.util.List;

/** "Send me these messages": {@code ControlIWant{messageIDs=1}}. */
public record ControlIWant(List<ByteString> messageIds) {
  public ControlIWant {
    messageIds = List.copyOf(messageIds);
  }
}
