package io.tensorlink.chain.validator.p2p;

import io.tensorlink.chain.validator.MalformedMessageException;
import io.tensorlink.chain.validator.PolMessage;
import io.tensorlink.chain.validator.PolTransport;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.pubsub.Gossipsub;
import io.tensorlink.p2p.pubsub.ReceivedMessage;
import io.tensorlink.p2p.pubsub.ValidationResult;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PolTransport} over the node's gossipsub router, and {@code /tl/records/1.0.0} requests on
 * its host ({@link RecordSync}). Deliveries are handed to one worker thread: the router thread must
 * never block, and validator handlers touch the store and the chain. Fetched records are decoded on
 * another.
 */
public final class GossipPolTransport implements PolTransport {
  private static final Logger LOG = LoggerFactory.getLogger(GossipPolTransport.class);

  private final Gossipsub gossip;
  private final ExecutorService deliveries = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("pol-deliveries").daemon().factory());
  private final ExecutorService fetched = Executors.newSingleThreadExecutor(
      Thread.ofPlatform().name("pol-fetched-records").daemon().factory());
  private final Set<String> topics = ConcurrentHashMap.newKeySet();
  private final RecordSync records;

  /** @param host the host {@code gossip} runs on */
  public GossipPolTransport(final Host host, final Gossipsub gossip) {
    this.gossip = gossip;
    this.records = new RecordSync(host, fetched);
  }

  @Override
  public void subscribeSteps(final BigInteger jobId, final Consumer<byte[]> handler) {
    subscribe(PolTransport.stepsTopic(jobId), handler);
  }

  @Override
  public void unsubscribeSteps(final BigInteger jobId) {
    final String topic = PolTransport.stepsTopic(jobId);
    if (topics.remove(topic)) {
      gossip.unsubscribe(topic).join();
    }
  }

  @Override
  public void subscribePol(final Consumer<byte[]> handler) {
    // Undecodable PoL messages are rejected by the router: not delivered, not forwarded, and held
    // against the peer that sent them (gossipsub scoring). Signatures are checked by the validator.
    gossip.setTopicValidator(POL_TOPIC, GossipPolTransport::validatePol).join();
    subscribe(POL_TOPIC, handler);
  }

  static ValidationResult validatePol(final ReceivedMessage message) {
    try {
      PolMessage.decode(message.data().toByteArray());
      return ValidationResult.ACCEPT;
    } catch (MalformedMessageException e) {
      LOG.debug("rejected a PoL message from {}: {}", message.author(), e.getMessage());
      return ValidationResult.REJECT;
    }
  }

  @Override
  public void publishPol(final byte[] message) {
    gossip.publish(POL_TOPIC, message).whenComplete((r, e) -> {
      if (e != null) {
        LOG.warn("publishing on {} failed: {}", POL_TOPIC, e.getMessage());
      }
    });
  }

  @Override
  public CompletableFuture<List<byte[]>> fetchRecords(final BigInteger jobId, final long fromStep, final long toStep) {
    return records.fetch(jobId, fromStep, toStep);
  }

  @Override
  public void close() {
    topics.forEach(t -> gossip.unsubscribe(t).join());
    topics.clear();
    for (final ExecutorService e : List.of(deliveries, fetched)) {
      e.shutdown();
      try {
        e.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void subscribe(final String topic, final Consumer<byte[]> handler) {
    if (topics.add(topic)) {
      final Consumer<ReceivedMessage> onMessage = m -> {
        final byte[] data = m.data().toByteArray();
        deliveries.execute(() -> {
          try {
            handler.accept(data);
          } catch (RuntimeException e) {
            LOG.warn("handler for {} failed: {}", topic, e.toString());
          }
        });
      };
      gossip.subscribe(topic, onMessage).join();
    }
  }
}
