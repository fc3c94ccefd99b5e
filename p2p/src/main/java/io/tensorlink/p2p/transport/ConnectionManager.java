package io.tensorlink.p2p.transport;

import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.yamux.YamuxSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks live connections, enforces the connection cap, closes idle connections and keeps per-peer
 * dial backoff (exponential, reset by a successful connection). Thread-safe.
 */
final class ConnectionManager {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionManager.class);

  private record Backoff(int failures, long untilNanos) {}

  private final HostConfig config;
  private final LongSupplier nanoClock;
  private final Map<PeerId, List<YamuxSession>> byPeer = new ConcurrentHashMap<>();
  private final Map<PeerId, Backoff> backoff = new ConcurrentHashMap<>();

  ConnectionManager(final HostConfig config, final LongSupplier nanoClock) {
    this.config = config;
    this.nanoClock = nanoClock;
  }

  /** Whether another connection may be accepted. */
  boolean hasCapacity() {
    return count() < config.maxConnections();
  }

  int count() {
    return byPeer.values().stream().mapToInt(List::size).sum();
  }

  /** Registers an upgraded connection; false (caller closes it) when over the cap. */
  boolean add(final YamuxSession session) {
    if (!hasCapacity()) {
      LOG.info("refusing connection from {}: limit of {} connections reached", session.remotePeer(), config.maxConnections());
      return false;
    }
    byPeer.computeIfAbsent(session.remotePeer(), p -> new CopyOnWriteArrayList<>()).add(session);
    backoff.remove(session.remotePeer());
    return true;
  }

  void remove(final YamuxSession session) {
    byPeer.computeIfPresent(
        session.remotePeer(),
        (p, list) -> {
          list.remove(session);
          return list.isEmpty() ? null : list;
        });
  }

  Optional<YamuxSession> get(final PeerId peer) {
    final List<YamuxSession> list = byPeer.get(peer);
    if (list == null) {
      return Optional.empty();
    }
    // A direct connection is preferred to one through a relay circuit (limited, slower).
    return list.stream().filter(YamuxSession::isOpen).min(java.util.Comparator.comparing(s -> s.remoteAddress().isRelayed()));
  }

  Collection<YamuxSession> all() {
    final List<YamuxSession> out = new ArrayList<>();
    byPeer.values().forEach(out::addAll);
    return out;
  }

  /** Remaining backoff for {@code peer}, if a recent dial failed. */
  Optional<Duration> backoffRemaining(final PeerId peer) {
    final Backoff b = backoff.get(peer);
    if (b == null) {
      return Optional.empty();
    }
    final long left = b.untilNanos() - nanoClock.getAsLong();
    return left > 0 ? Optional.of(Duration.ofNanos(left)) : Optional.empty();
  }

  void dialFailed(final PeerId peer) {
    backoff.compute(
        peer,
        (p, old) -> {
          final int failures = old == null ? 1 : old.failures() + 1;
          final long base = config.dialBackoffBase().toNanos();
          final long delay = Math.min(config.dialBackoffMax().toNanos(), base << Math.min(failures - 1, 30));
          return new Backoff(failures, nanoClock.getAsLong() + delay);
        });
  }

  /** Closes connections idle for longer than the idle timeout, oldest first. */
  void closeIdle() {
    final long timeout = config.idleTimeout().toNanos();
    if (timeout <= 0) {
      return;
    }
    final long now = nanoClock.getAsLong();
    all().stream()
        .filter(s -> s.idleSinceNanos() != Long.MAX_VALUE && now - s.idleSinceNanos() > timeout)
        .sorted(Comparator.comparingLong(YamuxSession::idleSinceNanos))
        .forEach(
            s -> {
              LOG.debug("closing idle connection {}", s);
              s.close();
            });
  }
}
