package io.tensorlink.chain.job.market;

import io.tensorlink.chain.pol.JobSpec;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.VerifyMode;
import io.tensorlink.chain.pol.wire.WireException;
import io.tensorlink.p2p.peer.PeerId;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs this node has verified: jobId → {@link MarketJob}. An announcement is taken only when its
 * binding is the gossip author's and signed by its account, the announcement is signed by that same
 * account, the spec is canonical and consistent with the chunk index, and the escrow's record for
 * the jobId agrees: the client is the signer, the job is open (or active), and {@code paramsHash},
 * {@code specHash}, price and verification terms are exactly the spec's. Anything else is dropped
 * with the reason logged. Other roles (the validator building a JobContext, the worker bidding)
 * query it and may listen for new jobs.
 */
public final class JobCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(JobCatalog.class);

  private final PolDomain domain;
  private final JobChain chain;
  private final Map<BigInteger, MarketJob> jobs = new ConcurrentHashMap<>();
  private final List<Consumer<MarketJob>> listeners = new CopyOnWriteArrayList<>();

  public JobCatalog(final PolDomain domain, final JobChain chain) {
    this.domain = domain;
    this.chain = chain;
  }

  /** Called once per newly verified job, on the thread that verified it. */
  public void onJob(final Consumer<MarketJob> listener) {
    listeners.add(listener);
  }

  public Optional<MarketJob> get(final BigInteger jobId) {
    return Optional.ofNullable(jobs.get(jobId));
  }

  public List<MarketJob> jobs() {
    return List.copyOf(jobs.values());
  }

  /** Checks an announcement {@code author} gossiped; records and announces it when valid. */
  public Admission accept(final PeerId author, final byte[] wire) {
    final JobAnnouncement a;
    try {
      a = JobAnnouncement.decode(wire);
    } catch (WireException e) {
      return drop(author, null, e.getMessage());
    }
    if (jobs.containsKey(a.jobId())) {
      return Admission.reject("job " + a.jobId() + " is already known");
    }
    final Checked checked = verify(author, a);
    if (checked.job() == null) {
      return drop(author, a.jobId(), checked.rejection());
    }
    final MarketJob job = checked.job();
    if (jobs.putIfAbsent(a.jobId(), job) == null) {
      LOG.info("job {} accepted: client {}, {}x{} cells, bids until {}", a.jobId(), job.client(),
          job.spec().stages(), job.spec().replicas(), a.bidWindowEnd());
      listeners.forEach(l -> l.accept(job));
    }
    return Admission.ok();
  }

  /** The verified job, or why not. */
  private record Checked(MarketJob job, String rejection) {
    static Checked no(final String why) {
      return new Checked(null, why);
    }
  }

  private Checked verify(final PeerId author, final JobAnnouncement a) {
    if (!a.binding().peer().equals(author)) {
      return Checked.no("its binding names peer " + a.binding().peer() + ", not the author");
    }
    if (!a.binding().signatureValid(domain)) {
      return Checked.no("the binding is not signed by " + a.binding().account());
    }
    if (!a.signatureValid(domain)) {
      return Checked.no("the announcement is not signed by " + a.binding().account());
    }
    final JobSpec spec;
    try {
      spec = a.spec();
    } catch (IllegalArgumentException e) {
      return Checked.no("bad spec: " + e.getMessage());
    }
    if (a.chunks().datasetSize() != spec.datasetSize()) {
      return Checked.no("the chunk index covers " + a.chunks().datasetSize() + " samples, the spec "
          + spec.datasetSize());
    }
    final Optional<OnChainJob> onChain = chain.job(a.jobId());
    if (onChain.isEmpty()) {
      return Checked.no("the escrow has no job " + a.jobId());
    }
    final Admission agrees = againstChain(a, spec, onChain.get());
    return agrees.accepted() ? new Checked(new MarketJob(a.jobId(), spec, a, onChain.get()), "")
        : Checked.no(agrees.reason());
  }

  private static Admission againstChain(final JobAnnouncement a, final JobSpec spec, final OnChainJob c) {
    final String mismatch;
    if (!c.client().equals(a.binding().account())) {
      mismatch = "the escrow's client is " + c.client() + ", the announcement is by " + a.binding().account();
    } else if (c.status() != OnChainJob.OPEN && c.status() != OnChainJob.ACTIVE) {
      mismatch = "the escrow's job is in status " + c.status() + ", neither open nor active";
    } else if (!c.paramsHash().equals(a.paramsHash())) {
      mismatch = "paramsHash " + a.paramsHash() + " of the announced spec is not the escrow's " + c.paramsHash();
    } else if (!c.specHash().equals(spec.specHash())) {
      mismatch = "specHash " + spec.specHash() + " is not the escrow's " + c.specHash();
    } else if (!c.pricePerStep().equals(spec.pricePerStep())) {
      mismatch = "pricePerStep " + spec.pricePerStep() + " is not the escrow's " + c.pricePerStep();
    } else if (c.verifyRatePpm() != spec.verifyRatePpm()
        || c.verifyMode() != (spec.verifyMode() == VerifyMode.EXACT ? 0 : 1)
        || c.tolerancePpmL2() != spec.tolerancePpmL2()) {
      mismatch = "verification (rate " + spec.verifyRatePpm() + " ppm, " + spec.verifyMode() + ", tolerance "
          + spec.tolerancePpmL2() + ") is not the escrow's (" + c.verifyRatePpm() + ", mode " + c.verifyMode()
          + ", " + c.tolerancePpmL2() + ")";
    } else if (a.bidWindowEnd() >= c.deadline()) {
      mismatch = "bidding closes at " + a.bidWindowEnd() + ", after the job's deadline " + c.deadline();
    } else {
      return Admission.ok();
    }
    return Admission.reject(mismatch);
  }

  private static Admission drop(final PeerId author, final BigInteger jobId, final String reason) {
    LOG.warn("dropped job announcement{} from {}: {}", jobId == null ? "" : " of job " + jobId, author, reason);
    return Admission.reject(reason);
  }
}
