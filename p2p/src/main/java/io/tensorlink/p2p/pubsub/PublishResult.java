package io.tensorlink.p2p.pubsub;

import com.google.protobuf.ByteString;

/**
 * What {@code publish} did.
 *
 * @param messageId the new message's id
 * @param recipients how many peers it was sent to directly (0 when no peer is subscribed yet; the
 *     message is then lost, as in js-libp2p with {@code allowPublishToZeroTopicPeers})
 */
public record PublishResult(ByteString messageId, int recipients) {}
