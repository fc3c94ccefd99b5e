package io.tensorlink.p2p.protocol.dcutr;

import io.tensorlink.p2p.host.Connection;
import io.tensorlink.p2p.host.ConnectionListener;
import io.tensorlink.p2p.host.DelimitedReader;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.IdentifyInfo;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.multiaddr.Component;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.multiaddr.Protocol;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.util.MalformedInputException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct Connection Upgrade through Relay ({@code /libp2p/dcutr}): over a relayed connection both
 * peers swap their direct addresses (CONNECT), the side that accepted the relayed connection
 * measures the round trip, sends SYNC and dials after half of it, while the other side dials at once
 * on SYNC; the simultaneous dials are what opens the NAT bindings on both sides. Either direct
 * connection that comes up (checked to be the right peer) replaces the relayed one, which is then
 * closed.
 */
public final class Dcutr {
  public static final String PROTOCOL = "/libp2p/dcutr";
  private static final Logger LOG = LoggerFactory.getLogger(Dcutr.class);

  private final Host host;
  private final Duration timeout;
  private final java.util.Set<Connection> punching = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private Dcutr(final Host host, final Duration timeout) {
    this.host = host;
    this.timeout = timeout;
  }

  /** Serves the protocol (answers hole punches); {@link #upgrade} starts one. */
  public static Dcutr serve(final Host host, final Duration timeout) {
    final Dcutr dcutr = new Dcutr(host, timeout);
    host.setStreamHandler(PROTOCOL, dcutr::respond);
    return dcutr;
  }

  /**
   * Serves the protocol and, for every relayed connection we accept from a peer that speaks it,
   * starts the hole punch by itself.
   */
  public static Dcutr attach(final Host host, final Duration timeout) {
    final Dcutr dcutr = serve(host, timeout);
    host.addConnectionListener(new ConnectionListener() {
      @Override
      public void onIdentified(final Connection connection, final IdentifyInfo info) {
        // Identify pushes call this again for the same connection: punch once per connection.
        if (connection.remoteAddress().isRelayed() && !connection.isInitiator() && info.supports(PROTOCOL)
            && dcutr.punching.add(connection)) {
          dcutr.upgrade(connection).whenComplete((direct, e) -> {
            dcutr.punching.remove(connection);
            if (e != null) {
              LOG.info("hole punch to {} failed: {}", connection.remotePeer(), e.getMessage());
            }
          });
        }
      }
    });
    return dcutr;
  }

  /**
   * Runs the initiating side over {@code relayed} and completes with the direct connection (the
   * relayed one is closed once it is up).
   */
  public CompletableFuture<Connection> upgrade(final Connection relayed) {
    final PeerId peer = relayed.remotePeer();
    return relayed.newStream(PROTOCOL).thenCompose(stream -> {
      final CompletableFuture<HolePunch> answer = new CompletableFuture<>();
      stream.setListener(DelimitedReader.of("dcutr", HolePunch.MAX_MESSAGE, (s, bytes) -> answer.complete(expect(HolePunch.decode(bytes), HolePunch.Type.CONNECT))));
      final long sent = System.nanoTime();
      DelimitedReader.write(stream, new HolePunch(HolePunch.Type.CONNECT, ourAddresses()).encode());
      return stream.resetUnlessAnswered(answer, timeout).thenCompose(theirs -> {
        final long rttNanos = System.nanoTime() - sent;
        DelimitedReader.write(stream, new HolePunch(HolePunch.Type.SYNC, List.of()).encode());
        stream.closeWrite();
        final CompletableFuture<Connection> direct = new CompletableFuture<>();
        stream.eventLoop().schedule(() -> dialAny(peer, dialable(theirs.addresses()), 0).whenComplete((c, e) -> settle(direct, c, e)),
            rttNanos / 2, TimeUnit.NANOSECONDS);
        return direct;
      });
    }).thenCompose(direct -> {
      LOG.debug("hole punch to {}: direct connection {}", peer, direct.remoteAddress());
      return relayed.close().handle((closed, e) -> direct);
    });
  }

  /** The other side: answer CONNECT with our addresses, dial at once on SYNC. */
  private void respond(final Stream stream) {
    final PeerId peer = stream.remotePeer();
    final AtomicReference<List<Multiaddr>> theirs = new AtomicReference<>();
    stream.setListener(DelimitedReader.of("dcutr", HolePunch.MAX_MESSAGE, (s, bytes) -> {
      final HolePunch message = HolePunch.decode(bytes);
      if (theirs.get() == null) {
        theirs.set(dialable(expect(message, HolePunch.Type.CONNECT).addresses()));
        DelimitedReader.write(s, new HolePunch(HolePunch.Type.CONNECT, ourAddresses()).encode());
        return;
      }
      expect(message, HolePunch.Type.SYNC);
      s.closeWrite();
      dialAny(peer, theirs.get(), 0).whenComplete((c, e) -> {
        if (e != null) {
          LOG.debug("hole punch dial to {} failed: {}", peer, e.getMessage());
        }
      });
    }));
  }

  private static HolePunch expect(final HolePunch message, final HolePunch.Type type) {
    if (message.type() != type) {
      throw new MalformedInputException("dcutr expected " + type + ", got " + message.type());
    }
    return message;
  }

  private static void settle(final CompletableFuture<Connection> target, final Connection c, final Throwable e) {
    if (e != null) {
      target.completeExceptionally(e);
    } else {
      target.complete(c);
    }
  }

  /** Dials the addresses in turn on fresh connections (bare addresses: the relayed one is not reused). */
  private CompletableFuture<Connection> dialAny(final PeerId peer, final List<Multiaddr> addresses, final int index) {
    if (index >= addresses.size()) {
      return CompletableFuture.failedFuture(new IllegalStateException("no direct address of " + peer + " answered"));
    }
    return host.dial(addresses.get(index)).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handle((c, e) -> {
      if (e == null && c.remotePeer().equals(peer)) {
        return CompletableFuture.completedFuture(c);
      }
      if (c != null) {
        c.close();
      }
      return dialAny(peer, addresses, index + 1);
    }).thenCompose(f -> f);
  }

  private List<Multiaddr> ourAddresses() {
    return dialable(host.listenAddresses());
  }

  /** Direct TCP addresses with a concrete host, without {@code /p2p}; at most 16. */
  static List<Multiaddr> dialable(final List<Multiaddr> addresses) {
    return addresses.stream()
        .filter(a -> !a.isRelayed())
        .filter(a -> {
          final List<Component> parts = a.components();
          return parts.size() >= 2
              && parts.get(1).protocol() == Protocol.TCP
              && (parts.get(0).protocol() == Protocol.IP4 || parts.get(0).protocol() == Protocol.IP6)
              && !parts.get(0).address().isAnyLocalAddress();
        })
        .map(Multiaddr::withoutPeerId)
        .limit(HolePunch.MAX_ADDRESSES)
        .toList();
  }
}
