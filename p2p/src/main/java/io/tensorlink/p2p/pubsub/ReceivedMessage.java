package io.tensorlink.p2p.pubsub;

import com.google.protobuf.ByteString;
import io.tensorlink.p2p.peer.PeerId;
import java.util.Objects;

/**
 * A validated pubsub message as delivered to subscribers.
 *
 * @param topic the topic it was published on
 * @param data the payload
 * @param author who published and signed it
 * @param seqno the author's sequence number
 * @param messageId its id under the router's {@link MessageIdFunction}
 * @param receivedFrom the neighbour that forwarded it to us
 */
public record ReceivedMessage(
    String topic, ByteString data, PeerId author, long seqno, ByteString messageId, PeerId receivedFrom) {
  public ReceivedMessage {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(receivedFrom, "receivedFrom");
  }
}
