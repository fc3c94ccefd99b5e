package io.tensorlink.chain.node;

import io.tensorlink.chain.job.data.ChunkIndex;
import io.tensorlink.chain.job.data.DataServer;
import io.tensorlink.chain.job.market.AssignmentMessage;
import io.tensorlink.chain.job.market.AssignmentRule;
import io.tensorlink.chain.job.market.JobAnnouncement;
import io.tensorlink.chain.job.market.JobMarket;
import io.tensorlink.chain.job.market.MarketJob;
import io.tensorlink.chain.job.market.SavedJob;
import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.JobSpec;
import io.tensorlink.chain.pol.NodeBinding;
import io.tensorlink.chain.pol.work.DatasetCommitment;
import io.tensorlink.compute.data.Dataset;
import io.tensorlink.p2p.peer.PeerId;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.tuweni.bytes.Bytes32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;

/**
 * The client role of a node, for jobs it has funded in the escrow: serves each job's dataset as
 * chunks on {@code /tl/data/1.0.0}, announces the job on {@code /tl/jobs/1}, and when the chain's
 * clock passes the bid window computes the assignment from the valid bids and the window's
 * randomness, records it with {@code JobEscrow.assign} and gossips it on {@code /tl/assign/1}. The
 * announcement (and, once made, the assignment) is republished every {@code republish} until
 * {@link #stopServing}, for peers that join late or restart.
 */
public final class ClientRole implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClientRole.class);

  private final JobMarket market;
  private final DataServer data;
  private final PeerId peer;
  private final Credentials account;
  private final Duration republish;
  private final Duration poll;
  private final Map<BigInteger, ScheduledFuture<?>> running = new ConcurrentHashMap<>();
  private final List<AutoCloseable> owned = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("client-role").daemon().factory());

  /**
   * A job to put on the market.
   *
   * @param samplesPerChunk samples per data chunk (the unit workers fetch and check)
   * @param bidWindowEnd chain timestamp at which bidding closes
   * @param standbys workers kept in reserve beyond the stages × replicas cells
   */
  public record Offer(BigInteger jobId, JobSpec spec, Dataset dataset, int samplesPerChunk, long bidWindowEnd,
      int standbys) {}

  public ClientRole(final JobMarket market, final DataServer data, final PeerId peer, final Credentials account,
      final Duration republish, final Duration poll) {
    this.market = market;
    this.data = data;
    this.peer = peer;
    this.account = account;
    this.republish = republish;
    this.poll = poll;
  }

  /** The client role on a running node, serving data through the node's data server. */
  public static ClientRole attach(final StandaloneNode node, final JobMarket market) {
    final Credentials account = node.config().identity()
        .orElseThrow(() -> new IllegalArgumentException("the client role signs announcements: give the node a keystore"))
        .account();
    return new ClientRole(market, node.dataServer(), node.host().peerId(), account, node.config().announceEvery(),
        Duration.ofMillis(500));
  }

  /**
   * Serves, announces and assigns {@code offer}. Fails at once (nothing published) when the dataset
   * is not the spec's or the announcement does not check out against the escrow; later when the
   * valid bids do not fill the job's cells or the {@code assign} transaction fails.
   */
  public CompletableFuture<Assignment> publish(final Offer offer) {
    requireSpecDataset(offer.spec(), offer.dataset());
    return announce(offer);
  }

  private static void requireSpecDataset(final JobSpec spec, final Dataset dataset) {
    final Bytes32 root = DatasetCommitment.of(dataset).root();
    if (!root.equals(spec.datasetRoot())) {
      throw new IllegalArgumentException("dataset " + dataset.name() + " has root " + root
          + ", the spec commits to " + spec.datasetRoot());
    }
  }

  private CompletableFuture<Assignment> announce(final Offer offer) {
    final ChunkIndex index = ChunkIndex.of(offer.dataset(), offer.samplesPerChunk());
    final NodeBinding binding = NodeBinding.sign(peer, System.currentTimeMillis() / 1000, market.domain(), account);
    final byte[] wire = JobAnnouncement.sign(offer.jobId(), offer.spec(), index, offer.bidWindowEnd(), offer.standbys(),
        binding, market.domain(), account).encode();
    final CompletableFuture<Assignment> result = new CompletableFuture<>();
    market.submit(() -> {
      final var verdict = market.catalog().accept(peer, wire);
      if (!verdict.accepted()) {
        result.completeExceptionally(new IllegalStateException("job " + offer.jobId() + " not announced: "
            + verdict.reason()));
        return;
      }
      data.serve(offer.jobId(), offer.dataset(), index);
      market.publish(JobAnnouncement.TOPIC, wire);
      LOG.info("announced job {}: {} chunks of {} samples, bids until {}", offer.jobId(), index.chunkCount(),
          offer.samplesPerChunk(), offer.bidWindowEnd());
      final Published job = new Published(offer.jobId(), wire, result);
      running.put(offer.jobId(), thread.scheduleWithFixedDelay(job::poll, 0, poll.toMillis(), TimeUnit.MILLISECONDS));
    });
    return result.whenComplete((a, e) -> {
      if (e != null) {
        stopServing(offer.jobId());
      }
    });
  }

  /**
   * One published job on the client thread: until assigned, it republishes the announcement and
   * tries to assign; afterwards it keeps republishing announcement and assignment (every {@code
   * republish}) so that nodes joining later, or restarted, still learn the job and its cells.
   */
  private final class Published {
    private final BigInteger jobId;
    private final byte[] announcement;
    private final CompletableFuture<Assignment> result;
    private byte[] assignment;
    private long lastPublished = System.nanoTime();

    Published(final BigInteger jobId, final byte[] announcement, final CompletableFuture<Assignment> result) {
      this.jobId = jobId;
      this.announcement = announcement;
      this.result = result;
    }

    void poll() {
      try {
        if (System.nanoTime() - lastPublished >= republish.toNanos()) {
          market.publish(JobAnnouncement.TOPIC, announcement);
          if (assignment != null) {
            market.publish(AssignmentMessage.TOPIC, assignment);
          }
          lastPublished = System.nanoTime();
        }
        if (assignment == null) {
          tryAssign(jobId).ifPresent(m -> {
            assignment = m.encode();
            result.complete(m.assignment());
          });
        }
      } catch (RuntimeException e) {
        LOG.warn("job {}: assignment failed: {}", jobId, e.getMessage());
        result.completeExceptionally(e);
      }
    }
  }

  /**
   * Publishes a job {@code tl-cli job create} saved under {@code <data-dir>/jobs/} (its dataset opened
   * here). The bid window starts once the dataset is open and checked (a large one takes seconds),
   * {@code bidWindow} of chain time from then.
   */
  public CompletableFuture<Assignment> publish(final SavedJob job, final int samplesPerChunk, final Duration bidWindow,
      final int standbys) {
    final Dataset dataset = job.openDataset();
    requireSpecDataset(job.spec(), dataset);
    return announce(new Offer(job.jobId(), job.spec(), dataset, samplesPerChunk,
        market.chain().now() + bidWindow.toSeconds(), standbys));
  }

  /** Once the window's randomness block exists: computes, records and gossips the assignment. */
  private Optional<AssignmentMessage> tryAssign(final BigInteger jobId) {
    final MarketJob job = market.catalog().get(jobId).orElseThrow();
    final Optional<Bytes32> randomness = market.chain().windowRandomness(job.bidWindowEnd());
    if (randomness.isEmpty()) {
      return Optional.empty();
    }
    final var bids = market.bids().close(jobId);
    final Assignment assignment = AssignmentRule.compute(job, bids, randomness.get(), market.domain());
    market.chain().assign(assignment);
    final AssignmentMessage message = new AssignmentMessage(assignment, bids);
    market.publish(AssignmentMessage.TOPIC, message.encode());
    market.deliverOwn(AssignmentMessage.TOPIC, message.encode());
    LOG.info("job {}: assigned {} (standbys {}) from {} bids, hash {}", jobId, assignment.workers(),
        assignment.standbys(), bids.size(), assignment.hash());
    return Optional.of(message);
  }

  /** Stops serving and republishing a job (it completed, or could not be assigned). */
  public void stopServing(final BigInteger jobId) {
    final ScheduledFuture<?> task = running.remove(jobId);
    if (task != null) {
      task.cancel(false);
    }
    data.stop(jobId);
  }

  @Override
  public void close() {
    thread.shutdownNow();
    for (final AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("stopping the client role: {}", e.toString());
      }
    }
  }
}
