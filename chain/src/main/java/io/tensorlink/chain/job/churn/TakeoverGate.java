package io.tensorlink.chain.job.churn;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.wire.WireException;
import io.tensorlink.p2p.pubsub.Gossipsub;
import io.tensorlink.p2p.pubsub.ReceivedMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.tuweni.bytes.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;

/**
 * One node's view of a job's takeovers on {@code /tl/takeover/1/<jobId>}. Takeovers are checked
 * against the {@link Succession} rule and this node's {@link HeartbeatMonitor}; a refused one is
 * logged at WARN with its reason and kept in {@link #refusals()}; one naming a worker this node
 * has not declared gone yet waits and is checked again when it is. When this node's account is the
 * standby the rule picks for a gone worker, it signs and announces the takeover itself.
 * Accepted takeovers go to the listeners with the new succession, in order.
 */
public final class TakeoverGate implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TakeoverGate.class);

  /** An accepted takeover and the succession it made. */
  public record Accepted(Takeover takeover, Succession succession) {}

  private final Gossipsub gossip;
  private final HeartbeatMonitor monitor;
  private final AnchoredSteps anchored;
  private final PolDomain domain;
  private final Optional<Credentials> self;
  private final String topic;
  private final List<Consumer<Accepted>> listeners = new CopyOnWriteArrayList<>();
  private final List<String> refusals = new CopyOnWriteArrayList<>();
  private final List<Takeover> waiting = new ArrayList<>();
  private Succession succession;

  /** @param self this node's account, which announces a takeover when the rule picks it */
  public TakeoverGate(final Gossipsub gossip, final HeartbeatMonitor monitor, final Succession start,
      final AnchoredSteps anchored, final PolDomain domain, final Optional<Credentials> self) {
    this.gossip = gossip;
    this.monitor = monitor;
    this.anchored = anchored;
    this.domain = domain;
    this.self = self;
    this.succession = start;
    this.topic = Takeover.topic(start.current().jobId());
    gossip.subscribe(topic, this::onMessage).join();
    monitor.onGone(this::onGone);
  }

  public void onAccepted(final Consumer<Accepted> listener) {
    listeners.add(listener);
  }

  public synchronized Succession succession() {
    return succession;
  }

  /** Every refusal so far: the sender and the reason. */
  public List<String> refusals() {
    return List.copyOf(refusals);
  }

  private void onMessage(final ReceivedMessage m) {
    try {
      offer(Takeover.decode(Bytes.wrap(m.data().toByteArray())), m.author().toString());
    } catch (WireException e) {
      refuse("from " + m.author(), e.getMessage());
    }
  }

  /** Checks a takeover (from gossip, or this node's own) and applies it if it follows the rule. */
  public void offer(final Takeover t, final String from) {
    final List<Accepted> accepted = new ArrayList<>();
    synchronized (this) {
      final Set<EthAddress> gone = new HashSet<>(monitor.gone());
      final boolean goneHere = !gone.add(t.replaced());
      final Optional<String> reason = succession.refusal(t, gone, anchored.resumeStep(t.jobId()), domain);
      if (reason.isPresent()) {
        refuse("by " + t.standby() + " from " + from, reason.get());
        return;
      }
      if (!goneHere) {
        waiting.add(t); // otherwise valid: this node's monitor may simply be later than the standby's
        LOG.info("job {}: takeover by {} waits until {} is declared gone here", t.jobId(), t.standby(), t.replaced());
        return;
      }
      succession = succession.apply(t);
      accepted.add(new Accepted(t, succession));
      LOG.info("job {}: {} takes over cell ({}, {}) from {} at step {}", t.jobId(), t.standby(), t.stage(),
          t.replica(), t.replaced(), t.resumeStep());
    }
    accepted.forEach(a -> listeners.forEach(l -> l.accept(a)));
  }

  private void refuse(final String who, final String reason) {
    final String line = "takeover " + who + " refused: " + reason;
    LOG.warn("job {}: {}", succession().current().jobId(), line);
    refusals.add(line);
  }

  private void onGone(final EthAddress account) {
    final List<Takeover> retry;
    final Optional<Takeover> mine;
    synchronized (this) {
      retry = List.copyOf(waiting);
      waiting.clear();
      mine = self.filter(key -> succession.current().workers().contains(account)
          && succession.replacement(monitor.gone()).equals(Optional.of(EthAddress.of(key.getAddress()))))
          .map(key -> {
            final int[] cell = succession.current().cellOf(account).orElseThrow();
            return Takeover.sign(succession.current().jobId(), cell[0], cell[1], account,
                anchored.resumeStep(succession.current().jobId()), domain, key);
          });
    }
    mine.ifPresent(t -> {
      gossip.publish(topic, t.encode().toArrayUnsafe()).whenComplete((r, e) -> {
        if (e != null) {
          LOG.warn("job {}: takeover not published: {}", t.jobId(), e.getMessage());
        }
      });
      offer(t, "this node");
    });
    retry.forEach(t -> offer(t, "earlier gossip"));
  }

  @Override
  public void close() {
    gossip.unsubscribe(topic);
  }
}
