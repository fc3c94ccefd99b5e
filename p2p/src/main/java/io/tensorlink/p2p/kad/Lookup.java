package io.tensorlink.p2p.kad;

import io.tensorlink.p2p.peer.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * One iterative Kademlia lookup toward a target key: starting from the routing table's closest
 * peers, it keeps up to α requests in flight to the closest peers not yet asked, learns closer peers
 * from each answer, and ends when the k closest peers that did not fail have all answered (or when
 * the caller's response hook says it has what it wanted). Peers that fail or time out are dropped
 * from the result. State is guarded by the lookup's monitor; requests are sent outside it.
 */
final class Lookup {
  private enum State {
    HEARD,
    WAITING,
    SUCCEEDED,
    FAILED
  }

  private record Candidate(PeerId peer, State state) {}

  private final PeerId self;
  private final int k;
  private final int alpha;
  private final Function<PeerId, CompletableFuture<KadMessage>> ask;
  private final BiPredicate<PeerId, KadMessage> onResponse;
  private final java.util.function.Consumer<PeerId> onFailure;
  private final TreeMap<KadKey, Candidate> candidates;
  private final CompletableFuture<List<PeerId>> result = new CompletableFuture<>();

  /**
   * @param ask sends the lookup's request to one peer
   * @param onResponse sees each answer (its closer peers are already learned); true ends the lookup
   * @param onFailure told about each peer that failed to answer
   */
  Lookup(
      final PeerId self,
      final KadKey target,
      final int k,
      final int alpha,
      final List<PeerId> seeds,
      final Function<PeerId, CompletableFuture<KadMessage>> ask,
      final BiPredicate<PeerId, KadMessage> onResponse,
      final java.util.function.Consumer<PeerId> onFailure) {
    this.self = self;
    this.k = k;
    this.alpha = alpha;
    this.ask = ask;
    this.onResponse = onResponse;
    this.onFailure = onFailure;
    this.candidates = new TreeMap<>(target.byDistance());
    seeds.forEach(this::hear);
  }

  /** Completes with the peers that answered, closest first, at most k. */
  CompletableFuture<List<PeerId>> run() {
    step();
    return result;
  }

  private void hear(final PeerId peer) {
    if (!peer.equals(self)) {
      candidates.putIfAbsent(KadKey.of(peer), new Candidate(peer, State.HEARD));
    }
  }

  private void step() {
    final List<PeerId> launch = new ArrayList<>();
    synchronized (this) {
      if (result.isDone()) {
        return;
      }
      int waiting = (int) candidates.values().stream().filter(c -> c.state() == State.WAITING).count();
      int considered = 0;
      for (final Map.Entry<KadKey, Candidate> e : candidates.entrySet()) {
        final Candidate c = e.getValue();
        if (c.state() == State.FAILED) {
          continue;
        }
        if (++considered > k) {
          break;
        }
        if (c.state() == State.HEARD && waiting < alpha) {
          e.setValue(new Candidate(c.peer(), State.WAITING));
          launch.add(c.peer());
          waiting++;
        }
      }
      if (waiting == 0) {
        finish();
        return;
      }
    }
    for (final PeerId peer : launch) {
      ask.apply(peer).whenComplete((response, error) -> answered(peer, response, error));
    }
  }

  private void answered(final PeerId peer, final KadMessage response, final Throwable error) {
    boolean stop = false;
    synchronized (this) {
      candidates.put(KadKey.of(peer), new Candidate(peer, error == null ? State.SUCCEEDED : State.FAILED));
      if (error == null) {
        response.closerPeers().forEach(p -> hear(p.id()));
      }
    }
    if (error != null) {
      onFailure.accept(peer);
    } else {
      stop = onResponse.test(peer, response);
    }
    if (stop) {
      synchronized (this) {
        finish();
      }
    }
    step();
  }

  private void finish() {
    result.complete(
        candidates.values().stream().filter(c -> c.state() == State.SUCCEEDED).map(Candidate::peer).limit(k).toList());
  }
}
