package io.tensorlink.p2p.pubsub;

import com.google.protobuf.ByteString;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.pubsub.rpc.PubsubMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gossipsub message cache ({@code mcache}): recent messages in a sliding window of heartbeats.
 * Messages stay retrievable for IWANT for {@code length} heartbeats and are advertised in IHAVE for
 * the newest {@code gossip} of them. Not thread-safe (router-confined).
 */
final class MessageCache {
  private record Entry(ByteString id, String topic) {}

  private final int gossip;
  private final int length;
  private final Deque<List<Entry>> windows = new ArrayDeque<>();
  private final Map<ByteString, PubsubMessage> messages = new HashMap<>();
  private final Map<ByteString, Map<PeerId, Integer>> transmissions = new HashMap<>();

  MessageCache(final int gossip, final int length) {
    this.gossip = gossip;
    this.length = length;
    windows.addFirst(new ArrayList<>());
  }

  void put(final ByteString id, final PubsubMessage message) {
    if (messages.putIfAbsent(id, message) == null) {
      windows.peekFirst().add(new Entry(id, message.topic()));
    }
  }

  Optional<PubsubMessage> get(final ByteString id) {
    return Optional.ofNullable(messages.get(id));
  }

  /**
   * The message for an IWANT from {@code peer}, unless it was already sent to that peer {@code
   * limit} times (a peer asking again and again is spamming).
   */
  Optional<PubsubMessage> getForPeer(final ByteString id, final PeerId peer, final int limit) {
    final PubsubMessage message = messages.get(id);
    if (message == null) {
      return Optional.empty();
    }
    final int count = transmissions.computeIfAbsent(id, k -> new HashMap<>()).merge(peer, 1, Integer::sum);
    return count <= limit ? Optional.of(message) : Optional.empty();
  }

  /** Ids of messages on {@code topic} from the newest {@code gossip} windows, newest first. */
  List<ByteString> gossipIds(final String topic) {
    final List<ByteString> ids = new ArrayList<>();
    int window = 0;
    for (final List<Entry> entries : windows) {
      if (window++ >= gossip) {
        break;
      }
      for (final Entry e : entries) {
        if (e.topic().equals(topic)) {
          ids.add(e.id());
        }
      }
    }
    return ids;
  }

  /** Starts a new window, dropping the oldest beyond {@code length}; called every heartbeat. */
  void shift() {
    windows.addFirst(new ArrayList<>());
    while (windows.size() > length) {
      for (final Entry e : windows.removeLast()) {
        messages.remove(e.id());
        transmissions.remove(e.id());
      }
    }
  }

  int size() {
    return messages.size();
  }
}
