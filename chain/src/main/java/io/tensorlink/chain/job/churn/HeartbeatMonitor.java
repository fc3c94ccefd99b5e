package io.tensorlink.chain.job.churn;

import io.tensorlink.chain.job.tensor.PeerBindings;
import io.tensorlink.chain.job.worker.Heartbeat;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.p2p.pubsub.Gossipsub;
import io.tensorlink.p2p.pubsub.ReceivedMessage;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code /tl/heartbeat/1/<jobId>} and declares a watched account gone once it has missed
 * {@code missed} heartbeat periods in a row (from the monitor's start, or its last heartbeat). A
 * heartbeat counts for the account its gossip author is bound to ({@link PeerBindings}), whatever
 * cell it claims; one from an unbound peer or for another job counts for nobody. Gone is final:
 * a worker that comes back has lost its cell.
 */
public final class HeartbeatMonitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatMonitor.class);
  private final BigInteger jobId;
  private final PeerBindings bindings;
  private final Clock clock;
  private final long windowMillis;
  private final long periodMillis;
  private long lastCheck; // the timer thread's only
  private final Map<EthAddress, Long> lastSeen = new ConcurrentHashMap<>();
  private final Map<EthAddress, Seen> latest = new ConcurrentHashMap<>();
  private final Set<EthAddress> gone = ConcurrentHashMap.newKeySet();
  private final List<Consumer<EthAddress>> listeners = new CopyOnWriteArrayList<>();
  private final Gossipsub gossip;
  private final ScheduledFuture<?> task;

  /**
   * @param watched the accounts to watch: the job's workers and standbys but this node's own (gossip
   *     does not deliver a node's own heartbeats back to it)
   * @param period the publishers' heartbeat period
   * @param missed how many periods without a heartbeat make an account gone (at least 2)
   */
  public HeartbeatMonitor(final Gossipsub gossip, final ScheduledExecutorService timer, final BigInteger jobId,
      final Collection<EthAddress> watched, final PeerBindings bindings, final Duration period, final int missed,
      final Clock clock) {
    if (missed < 2) {
      throw new IllegalArgumentException("missed heartbeats must be at least 2 (one late message is not a death), got "
          + missed);
    }
    this.gossip = gossip;
    this.jobId = jobId;
    this.bindings = bindings;
    this.clock = clock;
    this.windowMillis = period.toMillis() * missed;
    this.periodMillis = period.toMillis();
    final long now = clock.millis();
    lastCheck = now;
    watched.forEach(a -> lastSeen.put(a, now));
    gossip.subscribe(Heartbeat.topic(jobId), this::onHeartbeat).join();
    task = timer.scheduleAtFixedRate(this::check, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A heartbeat and when this node received it. */
  public record Seen(Heartbeat heartbeat, long receivedAtMillis) {}

  /** Called once per account declared gone, on the monitor's timer thread. */
  public void onGone(final Consumer<EthAddress> listener) {
    listeners.add(listener);
  }

  /** The accounts declared gone so far. */
  public Set<EthAddress> gone() {
    return Set.copyOf(gone);
  }

  private void onHeartbeat(final ReceivedMessage m) {
    final Heartbeat h;
    try {
      h = Heartbeat.decode(m.data().toByteArray());
    } catch (IllegalArgumentException e) {
      LOG.debug("heartbeat from {} ignored: {}", m.author(), e.getMessage());
      return;
    }
    final Optional<EthAddress> account = bindings.account(m.author());
    if (!h.jobId().equals(jobId) || account.isEmpty()) {
      return;
    }
    final long now = clock.millis();
    if (lastSeen.computeIfPresent(account.get(), (a, t) -> Math.max(t, now)) != null) {
      latest.put(account.get(), new Seen(h, now));
    }
  }

  /** The last heartbeat received from a watched account, if any. */
  public Optional<Seen> latest(final EthAddress account) {
    return Optional.ofNullable(latest.get(account));
  }

  /**
   * Declares a watched account gone for a reason other than silence (e.g. it was slashed): its cell
   * goes to the next standby exactly as if it had missed its heartbeats. Every honest node must come
   * to the same conclusion on its own (from the chain, say) for the standby's takeover to be accepted.
   *
   * @return false when the account is not watched here or was already gone
   */
  public boolean declareGone(final EthAddress account, final String reason) {
    if (!lastSeen.containsKey(account) || !gone.add(account)) {
      return false;
    }
    LOG.warn("job {}: {} declared gone: {}", jobId, account, reason);
    notifyGone(account);
    return true;
  }

  private void check() {
    final long now = clock.millis();
    final long late = now - lastCheck - periodMillis;
    lastCheck = now;
    if (late > periodMillis) {
      // this node was frozen (GC, an overloaded machine): the silence it saw meanwhile is its own, not the workers'
      lastSeen.replaceAll((account, seen) -> seen + late);
      LOG.debug("job {}: heartbeat check {} ms late, windows extended", jobId, late);
    }
    lastSeen.forEach((account, seen) -> {
      if (now - seen > windowMillis && gone.add(account)) {
        LOG.warn("job {}: {} missed heartbeats for {} ms, declared gone", jobId, account, now - seen);
        notifyGone(account);
      }
    });
  }

  private void notifyGone(final EthAddress account) {
    for (final Consumer<EthAddress> l : listeners) {
      try {
        l.accept(account);
      } catch (RuntimeException e) { // a failing listener must not stop the timer
        LOG.error("job {}: listener failed on {} gone", jobId, account, e);
      }
    }
  }

  @Override
  public void close() {
    task.cancel(false);
    gossip.unsubscribe(Heartbeat.topic(jobId));
  }
}
