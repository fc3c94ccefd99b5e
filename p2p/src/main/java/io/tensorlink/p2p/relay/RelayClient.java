package io.tensorlink.p2p.relay;

import io.tensorlink.p2p.host.Connection;
import io.tensorlink.p2p.host.DelimitedReader;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.relay.CircuitMessage.Hop;
import io.tensorlink.p2p.relay.CircuitMessage.Reservation;
import io.tensorlink.p2p.relay.CircuitMessage.Stop;
import io.tensorlink.p2p.util.MalformedInputException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of circuit relay v2: reserves a slot on a relay (so peers can reach us through
 * it), opens circuits through a relay to a peer that has a reservation, and accepts circuits (the
 * stop protocol) — only from relays we hold a reservation with, so an arbitrary peer cannot push
 * circuits at us.
 */
public final class RelayClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RelayClient.class);

  private final Host host;
  private final Duration timeout;
  private final Map<PeerId, Reservation> reservations = new ConcurrentHashMap<>();
  private volatile Consumer<RelayedStream> incoming = r -> r.stream().reset();
  private final ScheduledExecutorService refresher =
      Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("relay-refresh").unstarted(r));

  private RelayClient(final Host host, final Duration timeout) {
    this.host = host;
    this.timeout = timeout;
  }

  /**
   * Registers the stop handler (circuits go to {@link #onCircuit} once set) and becomes the host's
   * circuit dialer, so {@code host.dial(circuit address)} goes through {@link #dial(Multiaddr)}.
   */
  public static RelayClient attach(final Host host, final Duration timeout) {
    final RelayClient client = new RelayClient(host, timeout);
    host.setStreamHandler(RelayService.STOP, client::acceptStop);
    host.setCircuitDialer(client::dial);
    return client;
  }

  public void onCircuit(final Consumer<RelayedStream> listener) {
    incoming = listener;
  }

  /** Reserves a slot on {@code relay} (we must be connected); checks the relay's voucher. */
  public CompletableFuture<Reservation> reserve(final PeerId relay) {
    return exchange(relay, Hop.reserve()).thenApply(answer -> {
      final Reservation r = answer.hop().reservation()
          .orElseThrow(() -> new RelayException(RelayStatus.MALFORMED_MESSAGE, "relay " + relay + " accepted without a reservation"));
      if (r.voucher().isPresent()) {
        final Voucher v = Voucher.open(r.voucher().get());
        if (!v.relay().equals(relay) || !v.peer().equals(host.peerId())) {
          throw new RelayException(RelayStatus.MALFORMED_MESSAGE, "relay " + relay + " sent a voucher for " + v.peer() + " from " + v.relay());
        }
      }
      answer.stream().closeWrite();
      reservations.put(relay, r);
      return r;
    });
  }

  /**
   * A secured, multiplexed connection to {@code target} through {@code relay} (Noise and yamux over
   * the circuit), registered with the host like a direct one; its address is a circuit address.
   */
  public CompletableFuture<Connection> dial(final PeerId relay, final PeerId target) {
    return connect(relay, target)
        .thenCompose(c -> host.upgradeOver(c.stream(), c::setListener, true, target, circuitAddress(relay, target), circuitAddress(relay, host.peerId())));
  }

  /**
   * Dials a circuit address {@code <relay address>/p2p/<relay>/p2p-circuit/p2p/<target>}: reaches
   * the relay (its existing connection, or a dial of the address before {@code /p2p-circuit}), then
   * {@link #dial(PeerId, PeerId)}.
   */
  public CompletableFuture<Connection> dial(final Multiaddr circuit) {
    final String text = circuit.toString();
    final int cut = text.indexOf("/p2p-circuit");
    final Optional<PeerId> target = circuit.peerId();
    // The cut falls on a component boundary, so the part before it is a multiaddr of its own.
    final Optional<Multiaddr> relayAddress = cut > 0 ? Optional.of(Multiaddr.parse(text.substring(0, cut))) : Optional.empty();
    final Optional<PeerId> relay = relayAddress.flatMap(Multiaddr::peerId);
    if (relay.isEmpty() || target.isEmpty() || target.equals(relay)) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          "circuit address " + circuit + " is not <relay>/p2p/<relay id>/p2p-circuit/p2p/<target id>"));
    }
    final CompletableFuture<Connection> toRelay = relayAddress.get().components().size() > 1
        ? host.dial(relayAddress.get())
        : host.connection(relay.get()).map(CompletableFuture::completedFuture).orElseGet(() -> CompletableFuture.failedFuture(
            new IllegalArgumentException("circuit address " + circuit + " names no relay address and the relay is not connected")));
    return toRelay.thenCompose(c -> dial(relay.get(), target.get()));
  }

  /** From now on every accepted circuit becomes a connection (instead of a raw stream). */
  public void acceptConnections() {
    onCircuit(c -> host.upgradeOver(c.stream(), c::setListener, false, c.remotePeer(), circuitAddress(c.relay(), c.remotePeer()), circuitAddress(c.relay(), host.peerId()))
        .exceptionally(e -> {
          LOG.warn("relayed connection from {} via {} failed: {}", c.remotePeer(), c.relay(), e.getMessage());
          return null;
        }));
  }

  /** {@code <relay's address>/p2p/<relay>/p2p-circuit/p2p/<peer>}. */
  private Multiaddr circuitAddress(final PeerId relay, final PeerId peer) {
    final String relayAddress = host.connection(relay).map(c -> c.remoteAddress().withPeerId(relay).toString()).orElse("/p2p/" + relay.toBase58());
    return Multiaddr.parse(relayAddress + "/p2p-circuit/p2p/" + peer.toBase58());
  }

  /**
   * Reserves on {@code relay} and renews the reservation at three quarters of each term, so peers
   * keep reaching us through it; stops (logged) when a renewal fails, or on {@link #close}.
   */
  public CompletableFuture<Reservation> keepReserved(final PeerId relay) {
    return reserve(relay).thenApply(r -> {
      scheduleRenewal(relay, r);
      return r;
    });
  }

  private void scheduleRenewal(final PeerId relay, final Reservation r) {
    final long left = Math.max(1000, r.expireUnixSeconds() * 1000 - System.currentTimeMillis());
    refresher.schedule(() -> {
      keepReserved(relay).exceptionally(e -> {
        LOG.warn("renewing the reservation on relay {} failed: {}", relay, e.getMessage());
        reservations.remove(relay);
        return null;
      });
    }, left * 3 / 4, TimeUnit.MILLISECONDS);
  }

  /** Stops renewing reservations (the host and its handlers stay). */
  @Override
  public void close() {
    refresher.shutdownNow();
  }

  /** A circuit through {@code relay} to {@code target}: a raw stream once the relay answered OK. */
  public CompletableFuture<RelayedStream> connect(final PeerId relay, final PeerId target) {
    return exchange(relay, Hop.connect(target)).thenApply(answer ->
        new RelayedStream(answer.stream(), target, relay, answer.hop().limit().orElse(new CircuitMessage.Limit(0, 0)), answer.parked()));
  }

  private record Answer(Stream stream, Hop hop, ParkedStream parked) {}

  /** Sends one hop request and waits for the STATUS; fails with the status unless it is OK. */
  private CompletableFuture<Answer> exchange(final PeerId relay, final Hop request) {
    return host.newStream(relay, RelayService.HOP).thenCompose(stream -> {
      final CompletableFuture<Answer> reply = new CompletableFuture<>();
      final DelimitedReader[] reader = new DelimitedReader[1];
      reader[0] = DelimitedReader.of("relay hop", CircuitCodec.MAX_MESSAGE, (s, bytes) -> {
        final Hop hop = CircuitCodec.decodeHop(bytes);
        if (hop.type() != CircuitMessage.HopType.STATUS) {
          throw new MalformedInputException("relay answered with " + hop.type() + " instead of STATUS");
        }
        final RelayStatus status = hop.status().orElseThrow(() -> new MalformedInputException("relay STATUS without a status"));
        if (status != RelayStatus.OK) {
          reply.completeExceptionally(new RelayException(status, "relay " + relay + " refused " + request.type() + ": " + status));
          s.reset();
          return;
        }
        final ParkedStream parked = new ParkedStream();
        reader[0].handOff(s, parked);
        reply.complete(new Answer(s, hop, parked));
      });
      stream.setListener(reader[0]);
      DelimitedReader.write(stream, CircuitCodec.encode(request));
      return stream.resetUnlessAnswered(reply, timeout);
    });
  }

  private void acceptStop(final Stream stream) {
    final PeerId relay = stream.remotePeer();
    final DelimitedReader[] reader = new DelimitedReader[1];
    reader[0] = DelimitedReader.of("relay stop", CircuitCodec.MAX_MESSAGE, (s, bytes) -> {
      final Stop stop = CircuitCodec.decodeStop(bytes);
      if (stop.type() != CircuitMessage.StopType.CONNECT || stop.peer().isEmpty()) {
        throw new MalformedInputException("relay stop: expected CONNECT with a peer, got " + stop.type());
      }
      final Reservation r = reservations.get(relay);
      if (r == null || Instant.ofEpochSecond(r.expireUnixSeconds()).isBefore(Instant.now())) {
        LOG.warn("relay stop: circuit offered by {} without our reservation; refused", relay);
        DelimitedReader.write(s, CircuitCodec.encode(Stop.status(RelayStatus.PERMISSION_DENIED)));
        s.closeWrite();
        return;
      }
      final ParkedStream parked = new ParkedStream();
      reader[0].handOff(s, parked);
      DelimitedReader.write(s, CircuitCodec.encode(Stop.status(RelayStatus.OK)));
      incoming.accept(new RelayedStream(s, stop.peer().get().id(), relay, stop.limit().orElse(new CircuitMessage.Limit(0, 0)), parked));
    });
    stream.setListener(reader[0]);
  }

  /** Holds the reservation for {@code relay}, if any. */
  public Optional<Reservation> reservation(final PeerId relay) {
    return Optional.ofNullable(reservations.get(relay));
  }
}
