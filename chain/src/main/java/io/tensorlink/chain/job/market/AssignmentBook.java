package io.tensorlink.chain.job.market;

import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.wire.WireException;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.tuweni.bytes.Bytes32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts a job's assignment only when this node, from the listed bids (each checked as
 * {@link BidBook#validate} does) and the window's chain randomness, computes exactly the same
 * assignment, and the escrow records its hash. A message that arrives before the client's
 * {@code assign} transaction is mined waits ({@link #tick}); one whose hash the escrow contradicts is
 * dropped with the reason. A valid in-window bid this node saw but the client left out is logged:
 * leaving a bidder out is visible, though the client's choice.
 */
public final class AssignmentBook {
  private static final Logger LOG = LoggerFactory.getLogger(AssignmentBook.class);

  private final PolDomain domain;
  private final JobChain chain;
  private final JobCatalog catalog;
  private final BidBook bids;
  private final Map<BigInteger, Assignment> accepted = new ConcurrentHashMap<>();
  private final Map<BigInteger, AssignmentMessage> waiting = new ConcurrentHashMap<>();
  private final List<AssignmentListener> listeners = new CopyOnWriteArrayList<>();

  public AssignmentBook(final PolDomain domain, final JobChain chain, final JobCatalog catalog, final BidBook bids) {
    this.domain = domain;
    this.chain = chain;
    this.catalog = catalog;
    this.bids = bids;
  }

  public void onAssigned(final AssignmentListener listener) {
    listeners.add(listener);
  }

  public Optional<Assignment> assignment(final BigInteger jobId) {
    return Optional.ofNullable(accepted.get(jobId));
  }

  /** Checks a gossiped assignment message. */
  public Admission offer(final byte[] wire) {
    final AssignmentMessage m;
    try {
      m = AssignmentMessage.decode(wire);
    } catch (WireException e) {
      return drop(null, e.getMessage());
    }
    final BigInteger jobId = m.assignment().jobId();
    if (accepted.containsKey(jobId)) {
      return Admission.reject("job " + jobId + " is already assigned here");
    }
    final Optional<MarketJob> job = catalog.get(jobId);
    if (job.isEmpty()) {
      return drop(jobId, "job " + jobId + " is not a verified job here");
    }
    final Admission own = recompute(job.get(), m);
    if (!own.accepted()) {
      return drop(jobId, own.reason());
    }
    waiting.put(jobId, m);
    return settle(job.get(), m);
  }

  /** Re-checks assignments waiting for the escrow's record. */
  public void tick() {
    waiting.forEach((jobId, m) -> catalog.get(jobId).ifPresent(job -> settle(job, m)));
  }

  private Admission recompute(final MarketJob job, final AssignmentMessage m) {
    for (final SignedBid b : m.bids()) {
      final Admission v = bids.validate(job, b);
      if (!v.accepted()) {
        return Admission.reject("it lists an invalid bid from " + b.bid().worker() + ": " + v.reason());
      }
    }
    final Optional<Bytes32> randomness = chain.windowRandomness(job.bidWindowEnd());
    if (randomness.isEmpty()) {
      return Admission.reject("bidding has not closed on chain yet (window ends at " + job.bidWindowEnd() + ")");
    }
    if (!randomness.get().equals(m.assignment().randomness())) {
      return Admission.reject("its randomness " + m.assignment().randomness() + " is not the window's block hash "
          + randomness.get());
    }
    final Assignment mine;
    try {
      mine = AssignmentRule.compute(job, m.bids(), randomness.get(), domain);
    } catch (IllegalArgumentException e) {
      return Admission.reject("its bids do not fill the job: " + e.getMessage());
    }
    if (!mine.equals(m.assignment())) {
      return Admission.reject("it differs from this node's computation " + mine.workers() + " + " + mine.standbys());
    }
    final Set<EthAddress> listed = m.bids().stream().map(b -> b.bid().worker()).collect(Collectors.toSet());
    bids.bids(job.jobId()).stream().filter(b -> !listed.contains(b.bid().worker())).forEach(b ->
        LOG.warn("job {}: the client's assignment leaves out the valid bid of {}", job.jobId(), b.bid().worker()));
    return Admission.ok();
  }

  private Admission settle(final MarketJob job, final AssignmentMessage m) {
    final Bytes32 onChain = chain.job(job.jobId()).map(OnChainJob::assignmentHash).orElse(Bytes32.ZERO);
    if (onChain.isZero()) {
      return Admission.reject("waiting for the escrow to record the assignment");
    }
    waiting.remove(job.jobId());
    if (!onChain.equals(m.assignment().hash())) {
      return drop(job.jobId(), "its hash " + m.assignment().hash() + " is not the escrow's " + onChain);
    }
    if (accepted.putIfAbsent(job.jobId(), m.assignment()) == null) {
      LOG.info("job {} assigned: workers {}, standbys {}", job.jobId(), m.assignment().workers(),
          m.assignment().standbys());
      listeners.forEach(l -> l.assigned(job, m.assignment()));
    }
    return Admission.ok();
  }

  private static Admission drop(final BigInteger jobId, final String reason) {
    LOG.warn("dropped assignment{}: {}", jobId == null ? "" : " of job " + jobId, reason);
    return Admission.reject(reason);
  }
}
