package io.tensorlink.p2p.kad;

import io.tensorlink.p2p.multiaddr.Component;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.multiaddr.Protocol;
import io.tensorlink.p2p.peer.PeerId;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Dialable addresses learned for peers (from identify, kad responses and provider records). Only
 * TCP addresses over ip4/ip6/dns with a specified host are kept, without a {@code /p2p} suffix; at
 * most {@link #MAX_PER_PEER} per peer (the newest) and {@link #MAX_PEERS} peers (least recently used
 * go first), so a peer cannot grow it without bound. Thread-safe.
 */
public final class AddressBook {
  public static final int MAX_PEERS = 4096;
  public static final int MAX_PER_PEER = 8;

  private final Map<PeerId, LinkedHashSet<Multiaddr>> book =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<PeerId, LinkedHashSet<Multiaddr>> eldest) {
          return size() > MAX_PEERS;
        }
      };

  public synchronized void add(final PeerId peer, final List<Multiaddr> addresses) {
    for (final Multiaddr a : addresses) {
      if (!isDialable(a)) {
        continue;
      }
      final LinkedHashSet<Multiaddr> set = book.computeIfAbsent(peer, p -> new LinkedHashSet<>());
      final Multiaddr bare = a.withoutPeerId();
      set.remove(bare);
      set.add(bare);
      if (set.size() > MAX_PER_PEER) {
        set.remove(set.iterator().next());
      }
    }
  }

  public synchronized List<Multiaddr> get(final PeerId peer) {
    final LinkedHashSet<Multiaddr> set = book.get(peer);
    return set == null ? List.of() : List.copyOf(set).reversed();
  }

  public synchronized void remove(final PeerId peer) {
    book.remove(peer);
  }

  /** A TCP address with a concrete host (not 0.0.0.0 or ::), which is what our transport dials. */
  static boolean isDialable(final Multiaddr address) {
    final List<Component> parts = address.components();
    if (parts.size() < 2 || parts.get(1).protocol() != Protocol.TCP || address.isRelayed()) {
      return false;
    }
    final Component host = parts.get(0);
    return switch (host.protocol()) {
      case IP4, IP6 -> !host.address().isAnyLocalAddress();
      case DNS, DNS4, DNS6 -> true;
      default -> false;
    };
  }
}
