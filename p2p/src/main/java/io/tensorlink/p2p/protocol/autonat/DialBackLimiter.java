package io.tensorlink.p2p.protocol.autonat;

import io.tensorlink.p2p.peer.PeerId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Sliding-window limits on dial-back requests, per peer and in total, so an AutoNAT server cannot be
 * made to dial out at an attacker's pace. Thread-safe.
 */
final class DialBackLimiter {
  private static final int MAX_TRACKED_PEERS = 4096;

  private final int perPeer;
  private final int global;
  private final long windowNanos;
  private final LongSupplier nanoClock;
  private final Deque<Long> all = new ArrayDeque<>();
  private final Map<PeerId, Deque<Long>> byPeer =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<PeerId, Deque<Long>> eldest) {
          return size() > MAX_TRACKED_PEERS;
        }
      };

  DialBackLimiter(final AutoNatConfig config, final LongSupplier nanoClock) {
    this.perPeer = config.perPeerPerWindow();
    this.global = config.globalPerWindow();
    this.windowNanos = config.window().toNanos();
    this.nanoClock = nanoClock;
  }

  /** Records a request from {@code peer} and says whether it is within both limits. */
  synchronized boolean tryAcquire(final PeerId peer) {
    final long now = nanoClock.getAsLong();
    expire(all, now);
    final Deque<Long> mine = byPeer.computeIfAbsent(peer, p -> new ArrayDeque<>());
    expire(mine, now);
    if (mine.size() >= perPeer || all.size() >= global) {
      return false;
    }
    mine.addLast(now);
    all.addLast(now);
    return true;
  }

  private void expire(final Deque<Long> times, final long now) {
    while (!times.isEmpty() && now - times.peekFirst() >= windowNanos) {
      times.removeFirst();
    }
  }
}
