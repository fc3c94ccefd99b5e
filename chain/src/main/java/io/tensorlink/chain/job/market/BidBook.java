package io.tensorlink.chain.job.market;

import io.tensorlink.chain.pol.Bid;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.wire.WireException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.tuweni.bytes.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The valid bids this node has received per job, until the job's window closes here. A bid is
 * valid when it is for the job of its topic and a job the {@link JobCatalog} verified, both its
 * signatures are its worker's, it is still open when bidding closes, it asks at most the escrow's
 * price, its backend suits the job's verification mode, and its worker holds at least the
 * StakeManager's {@code minWorkerStake} (a chain read). Everything else is dropped with the reason
 * logged.
 */
public final class BidBook {
  private static final Logger LOG = LoggerFactory.getLogger(BidBook.class);

  private final PolDomain domain;
  private final JobChain chain;
  private final JobCatalog catalog;
  private final Map<BigInteger, List<SignedBid>> open = new ConcurrentHashMap<>();
  private final Map<BigInteger, List<SignedBid>> closed = new ConcurrentHashMap<>();

  public BidBook(final PolDomain domain, final JobChain chain, final JobCatalog catalog) {
    this.domain = domain;
    this.chain = chain;
    this.catalog = catalog;
  }

  /** Checks a bid gossiped on job {@code topicJob}'s topic; keeps it when valid. */
  public Admission offer(final BigInteger topicJob, final byte[] wire) {
    final SignedBid bid;
    try {
      bid = SignedBid.decode(Bytes.wrap(wire));
    } catch (WireException e) {
      return drop(topicJob, null, e.getMessage());
    }
    if (!bid.bid().jobId().equals(topicJob)) {
      return drop(topicJob, bid, "it is for job " + bid.bid().jobId() + " but came on job " + topicJob + "'s topic");
    }
    final Optional<MarketJob> job = catalog.get(topicJob);
    if (job.isEmpty()) {
      return drop(topicJob, bid, "job " + topicJob + " is not a verified job here");
    }
    if (closed.containsKey(topicJob)) {
      return drop(topicJob, bid, "bidding for job " + topicJob + " has closed here");
    }
    final List<SignedBid> list = open.computeIfAbsent(topicJob, k -> new ArrayList<>());
    // Workers republish their bid until bidding closes: a known bid costs no signature or chain check.
    if (holds(list, bid)) {
      return Admission.reject("duplicate bid");
    }
    final Admission verdict = validate(job.get(), bid);
    if (!verdict.accepted()) {
      return drop(topicJob, bid, verdict.reason());
    }
    synchronized (list) {
      if (holds(list, bid)) {
        return Admission.reject("duplicate bid");
      }
      list.add(bid);
    }
    LOG.info("job {}: bid from {} at {} wei/step ({} MFLOP/s, {})", topicJob, bid.bid().worker(),
        bid.bid().pricePerStep(), bid.capacity().mflops(), bid.bid().backend());
    return Admission.ok();
  }

  private static boolean holds(final List<SignedBid> list, final SignedBid bid) {
    synchronized (list) {
      return list.stream().anyMatch(b -> b.id().equals(bid.id()));
    }
  }

  /** Every rule but the topic; also applied to the bids a client lists with its assignment. */
  public Admission validate(final MarketJob job, final SignedBid signed) {
    final Bid bid = signed.bid();
    if (!bid.jobId().equals(job.jobId())) {
      return Admission.reject("it is for job " + bid.jobId() + ", not " + job.jobId());
    }
    if (!bid.signatureValid(domain)) {
      return Admission.reject("bad signature: the bid is not signed by " + bid.worker());
    }
    if (!signed.capacitySignatureValid(domain)) {
      return Admission.reject("bad signature: the capacity is not signed by " + bid.worker());
    }
    if (bid.expiresAt() < job.bidWindowEnd()) {
      return Admission.reject("expired: it lapses at " + bid.expiresAt() + ", before bidding closes at "
          + job.bidWindowEnd());
    }
    if (bid.pricePerStep().compareTo(job.maxPrice()) > 0) {
      return Admission.reject("it asks " + bid.pricePerStep() + " wei/step, over the job's " + job.maxPrice());
    }
    if (bid.backend() == Bid.Backend.CUDA && !job.cudaAllowed()) {
      return Admission.reject("a CUDA bid for an exact-mode job");
    }
    final BigInteger stake = chain.stakeOf(bid.worker());
    final BigInteger min = chain.minWorkerStake();
    if (stake.compareTo(min) < 0) {
      return Admission.reject("below stake: " + bid.worker() + " stakes " + stake + " wei, the minimum is " + min);
    }
    return Admission.ok();
  }

  /** The valid bids received so far, in arrival order. */
  public List<SignedBid> bids(final BigInteger jobId) {
    final List<SignedBid> done = closed.get(jobId);
    if (done != null) {
      return done;
    }
    final List<SignedBid> list = open.getOrDefault(jobId, List.of());
    synchronized (list) {
      return List.copyOf(list);
    }
  }

  /** Freezes the job's bids (its window closed here); later bids are dropped as late. */
  public List<SignedBid> close(final BigInteger jobId) {
    return closed.computeIfAbsent(jobId, k -> {
      final List<SignedBid> list = open.getOrDefault(k, List.of());
      synchronized (list) {
        return List.copyOf(list);
      }
    });
  }

  private static Admission drop(final BigInteger job, final SignedBid bid, final String reason) {
    LOG.warn("dropped bid{} on job {}: {}", bid == null ? "" : " from " + bid.bid().worker(), job, reason);
    return Admission.reject(reason);
  }
}
