package io.tensorlink.p2p.relay;

import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import java.util.List;
import java.util.Optional;

/** The circuit relay v2 messages: {@code HopMessage} (client ↔ relay) and {@code StopMessage} (relay → target). */
public sealed interface CircuitMessage {
  /** {@code Peer{id=1, addrs=2}}. */
  record Peer(PeerId id, List<Multiaddr> addresses) {
    public Peer {
      addresses = List.copyOf(addresses);
    }
  }

  /** {@code Limit{duration=1 (s), data=2 (bytes per direction)}}; zero means unlimited. */
  record Limit(long durationSeconds, long dataBytes) {}

  /** {@code Reservation{expire=1 (unix s), addrs=2, voucher=3}}. */
  record Reservation(long expireUnixSeconds, List<Multiaddr> addresses, Optional<byte[]> voucher) {
    public Reservation {
      addresses = List.copyOf(addresses);
    }
  }

  /** {@code HopMessage{type=1, peer=2, reservation=3, limit=4, status=5}}. */
  record Hop(HopType type, Optional<Peer> peer, Optional<Reservation> reservation, Optional<Limit> limit, Optional<RelayStatus> status)
      implements CircuitMessage {
    public static Hop reserve() {
      return new Hop(HopType.RESERVE, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static Hop connect(final PeerId target) {
      return new Hop(HopType.CONNECT, Optional.of(new Peer(target, List.of())), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static Hop status(final RelayStatus status) {
      return new Hop(HopType.STATUS, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(status));
    }
  }

  /** {@code StopMessage{type=1, peer=2, limit=3, status=4}}. */
  record Stop(StopType type, Optional<Peer> peer, Optional<Limit> limit, Optional<RelayStatus> status) implements CircuitMessage {
    public static Stop status(final RelayStatus status) {
      return new Stop(StopType.STATUS, Optional.empty(), Optional.empty(), Optional.of(status));
    }
  }

  enum HopType {
    RESERVE,
    CONNECT,
    STATUS
  }

  enum StopType {
    CONNECT,
    STATUS
  }
}
