package io.tensorlink.p2p.pubsub.rpc;

import com.google.protobuf.ByteString;
import java.util.List;

/** Gossipsub v1.2: "I already have these, do not forward them to me": {@code ControlIDontWant{messageIDs=1}}. */
public record ControlIDontWant(List<ByteString> messageIds) {
  public ControlIDontWant {
    messageIds = List.copyOf(messageIds);
  }
}
