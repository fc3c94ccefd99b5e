package io.tensorlink.chain.node;

import io.prometheus.metrics.core.metrics.Counter;
import io.tensorlink.chain.follow.ChainEvents;
import io.tensorlink.chain.follow.SuiteChainEvents;
import io.tensorlink.chain.rpc.PolBlockView;
import io.tensorlink.chain.rpc.RecordRef;
import io.tensorlink.chain.rpc.RecordVerdict;
import io.tensorlink.chain.store.BlockKey;
import io.tensorlink.chain.store.JobKey;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.validator.BlockEntry;
import io.tensorlink.chain.validator.BlockFormat;
import io.tensorlink.chain.validator.BlockVerifier;
import io.tensorlink.chain.validator.Hex;
import io.tensorlink.chain.validator.InspectedRecord;
import io.tensorlink.chain.validator.JobState;
import io.tensorlink.chain.validator.MalformedMessageException;
import io.tensorlink.chain.validator.RecordInspector;
import io.tensorlink.chain.validator.Validator;
import io.tensorlink.chain.validator.ValidatorConfig;
import io.tensorlink.chain.validator.ValidatorListener;
import io.tensorlink.chain.validator.ValidatorService;
import io.tensorlink.chain.validator.Verdict;
import io.tensorlink.chain.validator.p2p.GossipPolTransport;
import io.tensorlink.chain.validator.pol.SignedRecordInspector;
import io.tensorlink.chain.validator.suite.AnchoredHeaders;
import io.tensorlink.chain.validator.suite.Eip712Signer;
import io.tensorlink.chain.validator.suite.SuiteAnchorClient;
import io.tensorlink.chain.validator.suite.SuiteDisputeClient;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.SuiteContract;
import io.tensorlink.contracts.deploy.Deployment;
import io.tensorlink.contracts.generated.PoLAnchor;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.pubsub.Gossipsub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * The validator role of a standalone node: a {@link Validator} on the node's store (its chain
 * cursor included, so a restart follows on from where it stopped), the node's gossip as its PoL
 * transport, the node's account as signer, the suite's anchor and court as chain clients
 * ({@link SuiteDisputeClient}: it disputes fraud it finds, votes when drawn, answers data
 * requests), driven by a {@link ValidatorService}. It claims its fee from every block it signed
 * once the block's challenge window has passed ({@link FeeClaimer}), answers {@code tl_polBlock}
 * and {@code tl_verifyRecord} and counts its work in the node's metrics.
 */
public final class ValidatorRole implements AutoCloseable {
  /** How often due validator fees are claimed. */
  private static final Duration FEES_EVERY = Duration.ofSeconds(5);

  /**
   * What the role needs beyond the node's own parts.
   *
   * @param web3j the chain the suite is deployed on
   * @param deployment the suite's addresses
   * @param format the protocol's block side (pol-core's, built from the job catalog)
   * @param verifier the protocol's verification (pol-core's sampled re-execution); called from the
   *     validator's thread and, for {@code tl_verifyRecord}, from RPC threads: it must be thread-safe
   * @param inspector how a received record is checked on its own; empty for pol-core's signed
   *     records in the anchor's domain ({@link SignedRecordInspector})
   * @param config validator timing and chain-following settings
   * @param tick how often the validator works
   */
  public record Inputs(Web3j web3j, Deployment deployment, BlockFormat format, BlockVerifier verifier,
      Optional<RecordInspector> inspector, ValidatorConfig config, Duration tick) {
    public Inputs {
      Objects.requireNonNull(web3j, "web3j");
      Objects.requireNonNull(deployment, "deployment");
      Objects.requireNonNull(format, "format");
      Objects.requireNonNull(verifier, "verifier");
      Objects.requireNonNull(inspector, "inspector");
      Objects.requireNonNull(config, "config");
      if (tick.isNegative() || tick.isZero()) {
        throw new IllegalArgumentException("validator tick must be positive, got " + tick);
      }
    }
  }

  private final NodeStore store;
  private final BlockVerifier verifier;
  private final RecordInspector inspector;
  private final AnchoredHeaders headers;
  private final GossipPolTransport transport;
  private final Validator validator;
  private final ValidatorService service;
  private final ScheduledExecutorService feeTimer = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("validator-fees").daemon().factory());

  private ValidatorRole(final Inputs in, final ChainEvents events, final NodeStore store, final Host host,
      final Gossipsub gossip, final NodeIdentity identity, final NodeMetrics metrics) {
    this.store = store;
    this.verifier = in.verifier();
    this.inspector = in.inspector().orElseGet(() -> new SignedRecordInspector(identity.domain()));
    final ContractSuite suite = ContractSuite.connect(in.web3j(), identity.account(), in.deployment());
    this.headers = new AnchoredHeaders(in.web3j(), in.deployment().address(SuiteContract.POL_ANCHOR), in.deployment().startBlock());
    this.transport = new GossipPolTransport(host, gossip);
    this.validator = Validator.builder()
        .store(store)
        .chainEvents(events)
        .anchor(new SuiteAnchorClient(suite, in.web3j()))
        .disputes(new SuiteDisputeClient(suite, in.web3j()))
        .transport(transport)
        .signer(new Eip712Signer(identity.account(), suite.polDomain()))
        .format(in.format())
        .verifier(in.verifier())
        .inspector(inspector)
        .config(in.config())
        .listener(new Counting(metrics))
        .build();
    this.service = new ValidatorService(validator, in.tick());
    final FeeClaimer fees = new FeeClaimer(store, suite, headers, () -> chainTime(in.web3j()), metrics);
    feeTimer.scheduleWithFixedDelay(fees::tick, FEES_EVERY.toMillis(), FEES_EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The latest block's timestamp: the clock the escrow's challenge windows run on. */
  private static long chainTime(final Web3j web3j) {
    try {
      return web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock().getTimestamp()
          .longValueExact();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the chain's latest block", e);
    }
  }

  /** Starts the role on the node's parts; the validator's first tick runs at once. */
  public static ValidatorRole start(final Inputs in, final NodeStore store, final Host host, final Gossipsub gossip,
      final NodeIdentity identity, final NodeMetrics metrics) {
    return new ValidatorRole(in, new SuiteChainEvents(in.web3j(), in.deployment()), store, host, gossip, identity, metrics);
  }

  /** As {@link #start}, reading the suite's events from {@code events} (the Besu plugin: Besu's own blocks). */
  public static ValidatorRole start(final Inputs in, final ChainEvents events, final NodeStore store, final Host host,
      final Gossipsub gossip, final NodeIdentity identity, final NodeMetrics metrics) {
    return new ValidatorRole(in, events, store, host, gossip, identity, metrics);
  }

  /** A takeover moved a cell to its standby from {@code fromStep}: see {@link Validator#dropCellRecords}. */
  public void takeover(final java.math.BigInteger jobId, final int stage, final int replica, final long fromStep) {
    validator.dropCellRecords(jobId, stage, replica, fromStep);
  }

  public String address() {
    return validator.address();
  }

  /** Block {@code index} of the job as anchored, when this node followed its anchoring. */
  public Optional<PolBlockView> polBlock(final java.math.BigInteger jobId, final long index) {
    final BlockKey key = new BlockKey(jobId, index);
    return store.block(key).map(BlockEntry::decode).filter(b -> b.status() == BlockEntry.Status.ANCHORED)
        .flatMap(b -> headers.find(key, b.blockHash(), 0).map(a -> view(a, b.blockHash())));
  }

  private static PolBlockView view(final AnchoredHeaders.Anchored a, final byte[] blockHash) {
    final PoLAnchor.PoLBlock h = a.header();
    return new PolBlockView(new PolBlockView.Header(h.jobId, h.index.longValueExact(), Hex.of(h.parent), h.stepFrom.longValueExact(),
        h.stepTo.longValueExact(), Hex.of(h.stepsRoot), Hex.of(h.payoutsRoot), Hex.of(h.checkpointRoot), Hex.of(h.randomness),
        h.randomnessBlock.longValueExact()), Hex.of(blockHash), a.signers().stream().map(Hex::normalize).toList(), a.anchoredIn(),
        a.transactionHash());
  }

  /** Why this node's validator refused that header of a pending block, if it did ({@link Validator#refusal}). */
  public Optional<String> refusal(final java.math.BigInteger jobId, final long index, final byte[] blockHash) {
    return validator.refusal(jobId, index, blockHash);
  }

  /**
   * This node's verdict on a record it holds: re-executed by the verifier (as a committee member
   * would). Serialized with itself: re-execution is heavy and the verifier is the validator's.
   */
  public synchronized RecordVerdict verifyRecord(final RecordRef ref) {
    final RecordKey key = new RecordKey(ref.jobId(), ref.step(), ref.stage(), ref.replica());
    final Optional<JobState> job = store.job(new JobKey(ref.jobId())).map(JobState::decode);
    final Optional<byte[]> wire = store.record(key);
    if (job.isEmpty() || wire.isEmpty()) {
      return new RecordVerdict(RecordVerdict.Status.UNKNOWN, null,
          job.isEmpty() ? "this node does not follow job " + ref.jobId() : "this node does not hold that record");
    }
    final InspectedRecord inspected;
    try {
      inspected = inspector.inspect(job.get(), wire.get());
    } catch (MalformedMessageException e) {
      return new RecordVerdict(RecordVerdict.Status.INVALID, null, e.getMessage());
    }
    final String hash = Hex.of(inspected.leaf());
    return verifier.isFraud(job.get(), key, wire.get())
        ? new RecordVerdict(RecordVerdict.Status.INVALID, hash, "re-execution disagrees with the record")
        : new RecordVerdict(RecordVerdict.Status.VALID, hash, null);
  }

  @Override
  public void close() {
    feeTimer.shutdownNow();
    service.close();
    transport.close();
  }

  /** The role's Prometheus counters. */
  private static final class Counting implements ValidatorListener {
    private final Counter verifications;
    private final Counter anchored;
    private final Counter disputes;
    private final Counter votes;

    Counting(final NodeMetrics metrics) {
      verifications = metrics.counter("tl_validator_verifications_total", "Headers this validator judged, by verdict", "verdict");
      anchored = metrics.counter("tl_validator_blocks_anchored_total", "PoL blocks anchored on chain, as followed");
      disputes = metrics.counter("tl_validator_disputes_opened_total", "Disputes this validator opened");
      votes = metrics.counter("tl_validator_votes_total", "Committee votes this validator cast");
    }

    @Override
    public void verified(final Verdict verdict) {
      verifications.labelValues(switch (verdict) {
        case Verdict.Valid v -> "valid";
        case Verdict.Invalid i -> "invalid";
        case Verdict.Fraud f -> "fraud";
        case Verdict.Incomplete i -> "incomplete";
      }).inc();
    }

    @Override
    public void blockAnchored() {
      anchored.inc();
    }

    @Override
    public void disputeOpened() {
      disputes.inc();
    }

    @Override
    public void voted() {
      votes.inc();
    }
  }
}
