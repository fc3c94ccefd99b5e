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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
  private final Map<BigInteger, Gossiped> gossiped = new ConcurrentHashMap<>();
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

  /**
   * What the client gossips for an assigned job: its signed announcement and the assignment message.
   * Saved next to the job, they let a restarted client node take the job up again ({@link #resume}).
   */
  public record Gossiped(byte[] announcement, byte[] assignment) {
    private static final int MAX_BYTES = 16 << 20;

    public Gossiped {
      announcement = announcement.clone();
      assignment = assignment.clone();
    }

    @Override
    public byte[] announcement() {
      return announcement.clone();
    }

    @Override
    public byte[] assignment() {
      return assignment.clone();
    }

    /** {@code <length><announcement><length><assignment>}, lengths as 4-byte big-endian ints. */
    public void write(final Path file) {
      final ByteBuffer out = ByteBuffer.allocate(8 + announcement.length + assignment.length);
      out.putInt(announcement.length).put(announcement).putInt(assignment.length).put(assignment);
      try {
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, out.array());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot save the job's announcement and assignment to " + file, e);
      }
    }

    /** The pair saved in {@code file}; an IllegalArgumentException naming the file when it is damaged. */
    public static Gossiped read(final Path file) {
      final ByteBuffer in;
      try {
        in = ByteBuffer.wrap(Files.readAllBytes(file));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
      try {
        final byte[] announcement = next(in);
        final byte[] assignment = next(in);
        if (in.hasRemaining()) {
          throw new IllegalArgumentException(in.remaining() + " bytes after the assignment");
        }
        return new Gossiped(announcement, assignment);
      } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
        throw new IllegalArgumentException(file + " is damaged: " + (e.getMessage() == null ? "truncated" : e.getMessage()),
            e);
      }
    }

    private static byte[] next(final ByteBuffer in) {
      final int length = in.getInt();
      if (length < 0 || length > Math.min(MAX_BYTES, in.remaining())) {
        throw new IllegalArgumentException("a length of " + length + " with " + in.remaining() + " bytes left");
      }
      final byte[] b = new byte[length];
      in.get(b);
      return b;
    }
  }

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

    /** A job assigned before this node restarted: republished from the start. */
    Published(final BigInteger jobId, final Gossiped before, final Assignment assignment) {
      this(jobId, before.announcement(), CompletableFuture.completedFuture(assignment));
      this.assignment = before.assignment();
      this.lastPublished = 0;
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
            gossiped.put(jobId, new Gossiped(announcement, assignment));
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

  /** The announcement and assignment gossiped for {@code jobId}, once it is assigned. */
  public Optional<Gossiped> gossiped(final BigInteger jobId) {
    return Optional.ofNullable(gossiped.get(jobId));
  }

  /**
   * Takes up again a job this client assigned before its node restarted: its own books accept the
   * saved announcement and assignment as any node's would (checked against the escrow), and it serves
   * the data and republishes both. Completes with the assignment, or fails with the reason.
   */
  public CompletableFuture<Assignment> resume(final SavedJob job, final Gossiped before) {
    return resume(job.jobId(), job.spec(), job.openDataset(), before);
  }

  /** {@link #resume(SavedJob, Gossiped)} with the job's spec and dataset at hand. */
  public CompletableFuture<Assignment> resume(final BigInteger jobId, final JobSpec spec, final Dataset dataset,
      final Gossiped before) {
    requireSpecDataset(spec, dataset);
    final JobAnnouncement announced = JobAnnouncement.decode(before.announcement());
    final AssignmentMessage message = AssignmentMessage.decode(before.assignment());
    if (!announced.jobId().equals(jobId) || !message.assignment().jobId().equals(jobId)) {
      throw new IllegalArgumentException("the saved announcement and assignment are of job " + announced.jobId()
          + " and " + message.assignment().jobId() + ", not " + jobId);
    }
    final CompletableFuture<Assignment> result = new CompletableFuture<>();
    market.submit(() -> {
      final var verdict = market.catalog().accept(peer, before.announcement());
      if (!verdict.accepted()) {
        result.completeExceptionally(new IllegalStateException("job " + jobId + " not taken up again: "
            + verdict.reason()));
        return;
      }
      // on the market thread, as gossip would deliver it: its listeners have run when this returns
      final var admitted = market.assignments().offer(before.assignment());
      if (!admitted.accepted() && !market.assignments().assignment(jobId).equals(Optional.of(message.assignment()))) {
        result.completeExceptionally(new IllegalStateException("job " + jobId + "'s saved assignment is refused: "
            + admitted.reason()));
        return;
      }
      data.serve(jobId, dataset, announced.chunks());
      gossiped.put(jobId, before);
      final Published published = new Published(jobId, before, message.assignment());
      running.put(jobId, thread.scheduleWithFixedDelay(published::poll, 0, poll.toMillis(), TimeUnit.MILLISECONDS));
      LOG.info("job {}: taken up again after a restart, serving its data and republishing its assignment", jobId);
      result.complete(message.assignment());
    });
    return result;
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
