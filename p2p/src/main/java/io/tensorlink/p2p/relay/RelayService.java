package io.tensorlink.p2p.relay;

import io.tensorlink.p2p.host.Connection;
import io.tensorlink.p2p.host.DelimitedReader;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.host.StreamListener;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.relay.CircuitMessage.Hop;
import io.tensorlink.p2p.relay.CircuitMessage.Peer;
import io.tensorlink.p2p.relay.CircuitMessage.Reservation;
import io.tensorlink.p2p.relay.CircuitMessage.Stop;
import io.tensorlink.p2p.util.MalformedInputException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay (hop) side of circuit relay v2: grants reservations (with a signed voucher) within
 * {@link RelayConfig#maxReservations}, and for a CONNECT to a peer holding a live reservation opens a
 * stop stream to it over that peer's connection and, once it accepts, pipes the two streams with
 * the circuit limits. Refusals answer with the spec's status codes; malformed messages reset the
 * stream with a logged reason.
 */
public final class RelayService {
  public static final String HOP = "/libp2p/circuit/relay/0.2.0/hop";
  public static final String STOP = "/libp2p/circuit/relay/0.2.0/stop";
  private static final Logger LOG = LoggerFactory.getLogger(RelayService.class);

  private final Host host;
  private final RelayConfig config;
  private final Clock clock;
  private final Map<PeerId, Instant> reservations = new HashMap<>();
  private final Map<PeerId, Integer> circuitsByPeer = new HashMap<>();
  private int circuits;

  private RelayService(final Host host, final RelayConfig config, final Clock clock) {
    this.host = host;
    this.config = config;
    this.clock = clock;
  }

  /** Starts serving the hop protocol on {@code host}. */
  public static RelayService serve(final Host host, final RelayConfig config) {
    return serve(host, config, Clock.systemUTC());
  }

  static RelayService serve(final Host host, final RelayConfig config, final Clock clock) {
    final RelayService relay = new RelayService(host, config, clock);
    host.setStreamHandler(HOP, relay::accept);
    return relay;
  }

  public synchronized int reservationCount() {
    return reservations.size();
  }

  public synchronized int circuitCount() {
    return circuits;
  }

  private void accept(final Stream stream) {
    final DelimitedReader[] reader = new DelimitedReader[1];
    reader[0] = DelimitedReader.of("relay hop", CircuitCodec.MAX_MESSAGE, (s, bytes) -> {
      final Hop hop = CircuitCodec.decodeHop(bytes);
      switch (hop.type()) {
        case RESERVE -> reserve(s);
        case CONNECT -> connect(s, hop, reader[0]);
        case STATUS -> throw new MalformedInputException("relay hop: a client sent STATUS");
      }
    });
    stream.setListener(reader[0]);
  }

  private void reserve(final Stream stream) {
    final PeerId peer = stream.remotePeer();
    final Instant expires;
    synchronized (this) {
      final Instant now = clock.instant();
      reservations.values().removeIf(e -> !e.isAfter(now));
      if (!reservations.containsKey(peer) && reservations.size() >= config.maxReservations()) {
        answer(stream, Hop.status(RelayStatus.RESERVATION_REFUSED));
        return;
      }
      expires = now.plus(config.reservationTtl());
      reservations.put(peer, expires);
    }
    final List<Multiaddr> addresses =
        host.listenAddresses().stream().map(a -> a.withPeerId(host.peerId())).limit(CircuitCodec.MAX_ADDRESSES).toList();
    final byte[] voucher = new Voucher(host.peerId(), peer, expires.getEpochSecond()).seal(host.config().identity());
    answer(
        stream,
        new Hop(
            CircuitMessage.HopType.STATUS,
            Optional.empty(),
            Optional.of(new Reservation(expires.getEpochSecond(), addresses, Optional.of(voucher))),
            Optional.of(config.limit()),
            Optional.of(RelayStatus.OK)));
    LOG.debug("relay: reservation for {} until {}", peer, expires);
  }

  private void connect(final Stream stream, final Hop hop, final DelimitedReader reader) {
    final PeerId initiator = stream.remotePeer();
    final PeerId target = hop.peer().map(Peer::id).orElse(null);
    if (target == null) {
      answer(stream, Hop.status(RelayStatus.MALFORMED_MESSAGE));
      return;
    }
    final Optional<RelayStatus> refusal = admit(initiator, target);
    if (refusal.isPresent()) {
      answer(stream, Hop.status(refusal.get()));
      return;
    }
    final Optional<Connection> toTarget = host.connection(target).filter(Connection::isOpen);
    if (toTarget.isEmpty()) {
      release(initiator, target);
      answer(stream, Hop.status(RelayStatus.CONNECTION_FAILED));
      return;
    }
    final Stop request = new Stop(CircuitMessage.StopType.CONNECT, Optional.of(new Peer(initiator, List.of())), Optional.of(config.limit()), Optional.empty());
    toTarget.get().newStream(STOP).whenComplete((stop, error) -> {
      if (error != null) {
        fail(stream, initiator, target, error.getMessage());
        return;
      }
      final CompletableFuture<Void> accepted = new CompletableFuture<>();
      final DelimitedReader[] stopReader = new DelimitedReader[1];
      stopReader[0] = DelimitedReader.of("relay stop", CircuitCodec.MAX_MESSAGE, (st, bytes) -> {
        final Stop answer = CircuitCodec.decodeStop(bytes);
        if (answer.type() != CircuitMessage.StopType.STATUS || answer.status().orElse(null) != RelayStatus.OK) {
          stop.reset();
          accepted.completeExceptionally(new IllegalStateException("target answered " + answer.type() + " " + answer.status()));
          return;
        }
        accepted.complete(null);
        splice(stream, reader, stop, stopReader[0], initiator, target);
      });
      stop.setListener(stopReader[0]);
      DelimitedReader.write(stop, CircuitCodec.encode(request));
      stop.resetUnlessAnswered(accepted, config.stopTimeout())
          .exceptionally(e -> {
            fail(stream, initiator, target, e.getMessage());
            return null;
          });
    });
  }

  private void fail(final Stream hop, final PeerId initiator, final PeerId target, final String why) {
    LOG.debug("relay: circuit {} → {} failed: {}", initiator, target, why);
    release(initiator, target);
    answer(hop, Hop.status(RelayStatus.CONNECTION_FAILED));
  }

  /**
   * Joins the streams once the target accepted (called on the stop stream's event loop). The hop
   * side is switched and answered first: bytes the target sends at once are forwarded through the
   * hop stream's event loop, so they queue behind our OK.
   */
  private void splice(
      final Stream hop, final DelimitedReader hopReader, final Stream stop, final DelimitedReader stopReader, final PeerId initiator, final PeerId target) {
    final StreamListener[] sides = CircuitPipe.start(hop, stop, config.limit(), () -> release(initiator, target));
    final Runnable hopSide = () -> {
      hopReader.handOff(hop, sides[0]);
      DelimitedReader.write(hop, CircuitCodec.encode(
          new Hop(CircuitMessage.HopType.STATUS, Optional.empty(), Optional.empty(), Optional.of(config.limit()), Optional.of(RelayStatus.OK))));
      LOG.debug("relay: circuit {} → {} open", initiator, target);
    };
    if (hop.eventLoop().inEventLoop()) {
      hopSide.run();
    } else {
      hop.eventLoop().execute(hopSide);
    }
    stopReader.handOff(stop, sides[1]);
  }

  private synchronized Optional<RelayStatus> admit(final PeerId initiator, final PeerId target) {
    final Instant expiry = reservations.get(target);
    if (expiry == null || !expiry.isAfter(clock.instant())) {
      return Optional.of(RelayStatus.NO_RESERVATION);
    }
    if (circuits >= config.maxCircuits()
        || circuitsByPeer.getOrDefault(initiator, 0) >= config.maxCircuitsPerPeer()
        || circuitsByPeer.getOrDefault(target, 0) >= config.maxCircuitsPerPeer()) {
      return Optional.of(RelayStatus.RESOURCE_LIMIT_EXCEEDED);
    }
    circuits++;
    circuitsByPeer.merge(initiator, 1, Integer::sum);
    circuitsByPeer.merge(target, 1, Integer::sum);
    return Optional.empty();
  }

  private synchronized void release(final PeerId initiator, final PeerId target) {
    circuits--;
    for (final PeerId p : new PeerId[] {initiator, target}) {
      circuitsByPeer.computeIfPresent(p, (k, n) -> n > 1 ? n - 1 : null);
    }
  }

  private static void answer(final Stream stream, final Hop message) {
    DelimitedReader.write(stream, CircuitCodec.encode(message));
    if (message.status().orElse(RelayStatus.OK) != RelayStatus.OK || message.reservation().isPresent()) {
      stream.closeWrite();
    }
  }
}
