package io.tensorlink.chain.job.market;

import io.tensorlink.chain.pol.Bid;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.wire.WireException;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.pubsub.Gossipsub;
import io.tensorlink.p2p.pubsub.ReceivedMessage;
import io.tensorlink.p2p.pubsub.TopicValidator;
import io.tensorlink.p2p.pubsub.ValidationResult;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.tuweni.bytes.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's part in the job market over gossip: verifies announcements on {@code /tl/jobs/1} into
 * its {@link JobCatalog}, joins each verified job's {@code /tl/bids/1/<jobId>} and collects valid
 * bids ({@link BidBook}), closes a job's bidding once the chain's clock passes its window, and
 * accepts assignments on {@code /tl/assign/1} ({@link AssignmentBook}). With a {@link WorkerOffer}
 * it also bids, republishing its bid every two seconds until bidding closes (a peer that joined the
 * topic late still gets it). Message handling and chain reads run on the market's own thread, never on gossip's.
 */
public final class JobMarket implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobMarket.class);

  private final Gossipsub gossip;
  private final PeerId self;
  private final JobChain chain;
  private final PolDomain domain;
  private final Optional<WorkerOffer> worker;
  private final Duration tick;
  private final JobCatalog catalog;
  private final BidBook bids;
  private final AssignmentBook assignments;
  /** How often a worker republishes its open bids (for peers whose mesh formed after the first). */
  private static final Duration BID_REPUBLISH = Duration.ofSeconds(2);

  private final Map<BigInteger, byte[]> myBids = new ConcurrentHashMap<>();
  private long lastBidPublish = System.nanoTime();
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("job-market").daemon().factory());

  public JobMarket(final Gossipsub gossip, final JobChain chain, final PolDomain domain,
      final Optional<WorkerOffer> worker, final Duration tick) {
    this.gossip = gossip;
    this.self = gossip.peerId();
    this.chain = chain;
    this.domain = domain;
    this.worker = worker;
    this.tick = tick;
    this.catalog = new JobCatalog(domain, chain);
    this.bids = new BidBook(domain, chain, catalog);
    this.assignments = new AssignmentBook(domain, chain, catalog, bids);
  }

  /** Subscribes the market topics and starts the tick. */
  public JobMarket start() {
    catalog.onJob(this::joined);
    gossip.setTopicValidator(JobAnnouncement.TOPIC, decodes(JobAnnouncement::decode)).join();
    gossip.setTopicValidator(AssignmentMessage.TOPIC, decodes(AssignmentMessage::decode)).join();
    gossip.subscribe(JobAnnouncement.TOPIC, handler(m -> catalog.accept(m.author(), m.data().toByteArray()))).join();
    gossip.subscribe(AssignmentMessage.TOPIC, handler(m -> assignments.offer(m.data().toByteArray()))).join();
    thread.scheduleWithFixedDelay(this::safeTick, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  public JobCatalog catalog() {
    return catalog;
  }

  public BidBook bids() {
    return bids;
  }

  public AssignmentBook assignments() {
    return assignments;
  }

  public JobChain chain() {
    return chain;
  }

  public PolDomain domain() {
    return domain;
  }

  /** Runs {@code task} on the market thread. */
  public void submit(final Runnable task) {
    thread.execute(task);
  }

  /** Publishes {@code data} on {@code topic}; a topic without peers yet is logged, not fatal. */
  public void publish(final String topic, final byte[] data) {
    gossip.publish(topic, data).whenComplete((r, e) -> {
      if (e != null) {
        LOG.debug("publishing on {} failed: {}", topic, e.toString());
      }
    });
  }

  /** Hands a message this node made to its own books, as if gossip had delivered it. */
  public void deliverOwn(final String topic, final byte[] data) {
    submit(() -> route(topic, self, data));
  }

  private void route(final String topic, final PeerId author, final byte[] data) {
    if (topic.equals(JobAnnouncement.TOPIC)) {
      catalog.accept(author, data);
    } else if (topic.equals(AssignmentMessage.TOPIC)) {
      assignments.offer(data);
    } else if (topic.startsWith(SignedBid.TOPIC_PREFIX)) {
      bids.offer(new BigInteger(topic.substring(SignedBid.TOPIC_PREFIX.length())), data);
    }
  }

  private Consumer<ReceivedMessage> handler(final Consumer<ReceivedMessage> body) {
    return m -> {
      try {
        thread.execute(() -> {
          try {
            body.accept(m);
          } catch (RuntimeException e) {
            LOG.warn("market message on {} from {} failed: {}", m.topic(), m.author(), e.toString());
          }
        });
      } catch (RejectedExecutionException e) {
        LOG.debug("market closed: ignoring a message on {}", m.topic());
      }
    };
  }

  /**
   * Undecodable market messages are rejected by the router: not delivered, not forwarded, and held
   * against the peer that sent them (gossipsub scoring). Signatures and chain checks come after,
   * on the market thread, so the router thread never waits for the chain.
   */
  private static TopicValidator decodes(final Consumer<byte[]> decoder) {
    return m -> {
      try {
        decoder.accept(m.data().toByteArray());
        return ValidationResult.ACCEPT;
      } catch (WireException e) {
        LOG.info("rejected an undecodable message on {} from {}: {}", m.topic(), m.author(), e.getMessage());
        return ValidationResult.REJECT;
      }
    };
  }

  private void joined(final MarketJob job) {
    gossip.setTopicValidator(job.bidTopic(), decodes(w -> SignedBid.decode(Bytes.wrap(w))));
    gossip.subscribe(job.bidTopic(), handler(m -> route(m.topic(), m.author(), m.data().toByteArray())));
    worker.ifPresent(w -> bid(w, job));
  }

  private void bid(final WorkerOffer w, final MarketJob job) {
    if (job.maxPrice().compareTo(w.minPrice()) < 0) {
      LOG.info("not bidding on job {}: it pays {} wei/step, below the minimum {}", job.jobId(), job.maxPrice(),
          w.minPrice());
      return;
    }
    if (w.backend() == Bid.Backend.CUDA && !job.cudaAllowed()) {
      LOG.info("not bidding on job {}: exact mode, and this worker trains on CUDA", job.jobId());
      return;
    }
    final SignedBid bid = SignedBid.sign(job.jobId(), w.minPrice(), w.backend(), job.onChain().deadline(),
        w.capacity(), domain, w.account());
    final byte[] wire = bid.encode().toArray();
    myBids.put(job.jobId(), wire);
    bids.offer(job.jobId(), wire);
    publish(job.bidTopic(), wire);
    LOG.info("bid on job {} at {} wei/step", job.jobId(), w.minPrice());
  }

  private void safeTick() {
    try {
      onTick();
    } catch (RuntimeException e) {
      LOG.warn("market tick failed: {}", e.toString());
    }
  }

  private void onTick() {
    assignments.tick();
    final boolean republish = System.nanoTime() - lastBidPublish >= BID_REPUBLISH.toNanos();
    if (catalog.jobs().isEmpty()) {
      return;
    }
    final long now = chain.now();
    for (final MarketJob job : catalog.jobs()) {
      if (now >= job.bidWindowEnd()) {
        bids.close(job.jobId());
        myBids.remove(job.jobId());
      }
    }
    if (republish) {
      myBids.forEach((jobId, wire) -> catalog.get(jobId).ifPresent(j -> publish(j.bidTopic(), wire)));
      lastBidPublish = System.nanoTime();
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
