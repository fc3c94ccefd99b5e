package io.tensorlink.chain.validator;

import io.tensorlink.chain.follow.ChainEvent;
import io.tensorlink.chain.follow.ChainEvents;
import io.tensorlink.chain.follow.ChainFollower;
import io.tensorlink.chain.pol.Attestation;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.store.BlockKey;
import io.tensorlink.chain.store.DoubleSignException;
import io.tensorlink.chain.store.JobKey;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.store.StoreBatch;
import io.tensorlink.chain.store.StoredEntry;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.utils.Numeric;

/**
 * The PoL validator as a library. Everything it touches is an input: the {@link NodeStore}, the
 * chain ({@link ChainEvents} to follow, {@link AnchorClient} to read the active set and submit,
 * {@link DisputeClient}), the network ({@link PolTransport}), time ({@link Clock}), the account key
 * ({@link AttestationSigner}) and the protocol ({@link BlockFormat}, {@link BlockVerifier},
 * {@link RecordInspector}). A host calls {@link #start()}, then {@link #tick()} periodically
 * (see {@link ValidatorService}); network messages arrive through the transport's handlers.
 *
 * <p>Per (job, block index): records are collected; once they are complete round 0 starts and the
 * schedule's leader proposes; every {@code leaderTimeout} the next validator in the schedule takes
 * over. Validators verify a proposal and attest; the proposer submits once ≥ 2/3 of the stake
 * attested, anyone else after {@code submitGrace}. The signing guard (one header hash per (job,
 * index)) is committed with fsync BEFORE an attestation is published.
 *
 * <p>Thread-safe: all entry points synchronize on this object.
 */
public final class Validator implements AutoCloseable {
  /** The store cursor this validator follows the chain with. */
  public static final String CURSOR = "validator-events";

  private static final Logger LOG = LoggerFactory.getLogger(Validator.class);
  private static final long FORCED_REFRESH_MILLIS = 1_000;

  private final NodeStore store;
  private final ChainEvents events;
  private final ChainFollower follower;
  private final EventApplier applier;
  private final AnchorClient anchor;
  private final PolTransport transport;
  private final Clock clock;
  private final AttestationSigner signer;
  private final BlockFormat format;
  private final BlockVerifier verifier;
  private final RecordInspector inspector;
  private final ValidatorConfig config;
  private final ValidatorListener listener;

  private final DutyRunner duties;
  // Concurrent so that refusal() can read without the lock, which a re-execution may hold for seconds.
  private final Map<BlockKey, BlockRound> rounds = new ConcurrentHashMap<>();
  private final Set<BigInteger> subscribed = new HashSet<>();
  /** Headers with a quorum, due for submission: sent by {@link #tick()} outside the lock (a receipt takes seconds). */
  private final List<Submission> dueSubmissions = new ArrayList<>();
  private ValidatorSet activeSet;
  private long activeSetAt;
  private boolean started;
  /** The chain head when this validator started: it did not witness what happened before. */
  private long startedBlock;
  private long startedAt;
  /** Restarted mid-job, it proposes no header of its own before this ({@link #listening()}). */
  private long quietUntil;

  private Validator(final Builder b) {
    this.store = Objects.requireNonNull(b.store, "store");
    this.anchor = Objects.requireNonNull(b.anchor, "anchor client");
    this.transport = Objects.requireNonNull(b.transport, "transport");
    this.clock = Objects.requireNonNull(b.clock, "clock");
    this.signer = Objects.requireNonNull(b.signer, "signer");
    this.format = Objects.requireNonNull(b.format, "block format");
    this.verifier = Objects.requireNonNull(b.verifier, "verifier");
    this.inspector = Objects.requireNonNull(b.inspector, "record inspector");
    this.config = Objects.requireNonNull(b.config, "config");
    this.listener = Objects.requireNonNull(b.listener, "listener");
    this.events = Objects.requireNonNull(b.events, "chain events");
    this.follower = new ChainFollower(events, store, CURSOR, config.confirmations(),
        config.maxLogRange());
    this.applier = new EventApplier(store, signer.address());
    this.duties = new DutyRunner(store, Objects.requireNonNull(b.disputes, "dispute client"), verifier, inspector,
        signer.address(), listener);
  }

  public static Builder builder() {
    return new Builder();
  }

  public String address() {
    return signer.address();
  }

  /** Subscribes to {@code /tl/pol/1} and to the steps topic of every active job the store knows. */
  public synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    startedBlock = events.head();
    startedAt = clock.millis();
    transport.subscribePol(this::onPolMessage);
    for (final StoredEntry<JobKey> e : store.jobs()) {
      final JobState job = JobState.decode(e.value());
      if (job.status() == JobState.Status.ACTIVE) {
        subscribe(job.jobId());
      }
    }
    if (!subscribed.isEmpty()) {
      quietUntil = clock.millis() + listening(); // restarted mid-job
    }
    LOG.info("validator {} started at chain block {}", signer.address(), follower.nextBlock());
  }

  /**
   * How long a node that was not following a block listens before it proposes a header of its own
   * for it: a header another validator proposed meanwhile comes back when its proposer leads again,
   * within one rotation of the schedule, and signing that one rather than proposing another keeps
   * the votes together (each validator signs one header per block).
   */
  private long listening() {
    return config.leaderTimeout().toMillis() * (refreshActiveSet(false).addresses().size() + 1L);
  }

  /**
   * One step of work: follow the chain, then lead, retry verification and submit where due. The
   * submissions are sent after the validator's lock is released, so network messages keep being
   * handled while a transaction waits for its receipt.
   */
  public void tick() {
    final List<Submission> due;
    synchronized (this) {
      step();
      due = List.copyOf(dueSubmissions);
      dueSubmissions.clear();
    }
    due.forEach(Submission::send);
  }

  private void step() {
    for (final ChainEvent event : follower.poll(applier)) {
      afterCommit(event);
    }
    duties.performAll();
    refreshActiveSet(false);
    for (final StoredEntry<JobKey> e : store.jobs()) {
      final JobState job = JobState.decode(e.value());
      if (job.status() == JobState.Status.ACTIVE) {
        advance(job);
      }
    }
  }

  /** The job as this node knows it. */
  public synchronized Optional<JobState> job(final BigInteger jobId) {
    return store.job(new JobKey(jobId)).map(JobState::decode);
  }

  /**
   * Why this validator refused the header {@code blockHash} proposed for block {@code index} of
   * {@code jobId} (its Invalid or Fraud verdict), while that block is pending here; empty when it
   * attested the header, has not judged it (yet), or the block has been anchored since. Reads the
   * verdicts the validator keeps per pending block, without its lock: a caller building a chain
   * block must not wait for a re-execution in progress.
   */
  public Optional<String> refusal(final BigInteger jobId, final long index, final byte[] blockHash) {
    final BlockRound round = rounds.get(new BlockKey(jobId, index));
    return Optional.ofNullable(round).map(r -> r.verdicts.get(Numeric.toHexString(blockHash))).flatMap(v -> switch (v) {
      case Verdict.Invalid i -> Optional.of(i.reason());
      case Verdict.Fraud f -> Optional.of("re-executing " + f.record() + " proves fraud: " + f.reason());
      case Verdict.Valid ok -> Optional.<String>empty();
      case Verdict.Incomplete i -> Optional.<String>empty();
    });
  }

  /** Handles one message from {@code /tl/pol/1}; malformed or unauthenticated ones are logged and dropped. */
  public synchronized void onPolMessage(final byte[] wire) {
    try {
      switch (PolMessage.decode(wire)) {
        case PolMessage.Proposal p -> onProposal(p);
        case PolMessage.Vote v -> onAttestation(v.block(), v.attestation());
      }
    } catch (MalformedMessageException e) {
      LOG.warn("dropped a PoL message: {}", e.getMessage());
    }
  }

  /** Handles one step record from {@code /tl/steps/1/<jobId>}. */
  public synchronized void onStepRecord(final BigInteger jobId, final byte[] wire) {
    final Optional<JobState> job = job(jobId);
    if (job.isEmpty() || job.get().status() != JobState.Status.ACTIVE) {
      LOG.debug("dropped a record for job {}, which is not active here", jobId);
      return;
    }
    keep(job.get(), wire);
  }

  /** Stores a record that passes inspection and is new here; true if it was stored. */
  private boolean keep(final JobState job, final byte[] wire) {
    try {
      final InspectedRecord record = inspector.inspect(job, wire);
      if (!record.key().jobId().equals(job.jobId())) {
        throw new MalformedMessageException("record of job " + record.key().jobId() + " on job " + job.jobId() + "'s topic");
      }
      if (store.record(record.key()).isEmpty()) {
        store.commit(new StoreBatch().putRecord(record.key(), wire));
        return true;
      }
    } catch (MalformedMessageException e) {
      LOG.warn("dropped a step record for job {}: {}", job.jobId(), e.getMessage());
    }
    return false;
  }

  /** Records peers sent for a block this node could not complete; checked exactly as gossiped ones. */
  private synchronized void onFetchedRecords(final BlockKey key, final List<byte[]> wires) {
    final Optional<JobState> job = job(key.jobId());
    if (job.isEmpty() || job.get().status() != JobState.Status.ACTIVE || job.get().nextIndex() != key.index()) {
      return; // anchored or finished meanwhile
    }
    // every holder sends the same records: inspect (a signature recovery each) one copy of each
    final long kept = wires.stream().map(Bytes::wrap).distinct().filter(w -> keep(job.get(), w.toArrayUnsafe())).count();
    if (kept > 0) {
      final BlockRound round = rounds.get(key);
      final long now = clock.millis();
      if (round != null && round.readySince < 0) {
        round.fetched = true;
      }
      // Just started (or joined mid-job): the block may have a header proposed before this node ran.
      // Later, a fetch only races gossip, and waiting would merely slow the block down.
      if (round != null && round.readySince < 0 && now - startedAt < listening()) {
        round.quietUntil = now + listening();
      }
      LOG.info("{}: fetched {} missing records of job {} block {} from peers", signer.address(), kept, key.jobId(),
          key.index());
    }
  }

  /**
   * A takeover gave cell (stage, replica) of a job to a standby from {@code fromStep} on (docs/jobs-worker.md §5):
   * the records the gone worker published for it from there are dropped, so that the standby's redone ones
   * take their place (the first record per cell is kept) and no block pairs them with the new worker.
   *
   * @return how many records were dropped
   */
  public synchronized int dropCellRecords(final BigInteger jobId, final int stage, final int replica, final long fromStep) {
    final StoreBatch batch = new StoreBatch();
    int dropped = 0;
    for (final StoredEntry<RecordKey> e : store.records(jobId, fromStep, Long.MAX_VALUE)) {
      if (e.key().stage() == stage && e.key().replica() == replica) {
        batch.deleteRecord(e.key());
        dropped++;
      }
    }
    if (dropped > 0) {
      store.commit(batch);
      LOG.info("job {}: dropped {} records of cell ({}, {}) from step {} after a takeover", jobId, dropped, stage,
          replica, fromStep);
    }
    return dropped;
  }

  @Override
  public synchronized void close() {
    subscribed.forEach(transport::unsubscribeSteps);
    subscribed.clear();
  }

  // ------------------------------------------------------------------ chain

  private void afterCommit(final ChainEvent event) {
    switch (event) {
      case ChainEvent.JobAssigned e -> subscribe(e.jobId());
      case ChainEvent.JobFinished e -> {
        if (subscribed.remove(e.jobId())) {
          transport.unsubscribeSteps(e.jobId());
        }
      }
      case ChainEvent.BlockAnchored e -> {
        rounds.remove(new BlockKey(e.jobId(), e.index()));
        listener.blockAnchored();
        LOG.info("{}: job {} block {} anchored ({})", signer.address(), e.jobId(), e.index(), Numeric.toHexString(e.blockHash()));
      }
      case ChainEvent.JobCreated e -> {
        // stored by the applier; nothing to do until it is assigned
      }
      case ChainEvent.DisputeOpened e -> {
        // remembered as a duty until its committee is drawn
      }
      case ChainEvent.CommitteeDrawn e -> {
        // a seat on it became a vote duty in the same batch as the cursor
      }
      case ChainEvent.DataRequested e -> {
        // a request for a record this node holds became a duty in the same batch as the cursor
      }
    }
  }

  private void subscribe(final BigInteger jobId) {
    if (subscribed.add(jobId)) {
      transport.subscribeSteps(jobId, wire -> onStepRecord(jobId, wire));
    }
  }

  private ValidatorSet refreshActiveSet(final boolean force) {
    final long now = clock.millis();
    if (force || activeSet == null || now - activeSetAt >= config.activeSetRefresh().toMillis()) {
      activeSet = anchor.activeSet();
      activeSetAt = now;
    }
    return activeSet;
  }

  // ------------------------------------------------------------------ blocks

  private void advance(final JobState job) {
    final BlockKey key = new BlockKey(job.jobId(), job.nextIndex());
    final long now = clock.millis();
    final BlockRound round = rounds.computeIfAbsent(key, k -> new BlockRound(now));
    final List<StoredEntry<RecordKey>> records = blockRecords(job);
    markReady(job, round, records);
    if (round.readySince < 0) {
      fetchMissing(job, key, round, now);
    }
    // Proposals that arrived before their records, or before this node caught up with the chain.
    for (final BlockCandidate header : List.copyOf(round.headers.values())) {
      evaluate(job, round, header);
    }
    final long r = round.round(now, config.leaderTimeout().toMillis());
    if (r >= 0 && r > round.proposedRound && !activeSet.isEmpty()
        && LeaderSchedule.leader(activeSet, job.jobId(), key.index(), r).equals(signer.address())) {
      if (propose(job, key, round, records)) {
        round.proposedRound = r;
      }
    }
    submitDue(key, round, now);
  }

  /**
   * Asks the peers for the block's records once others evidently hold them all (a header was
   * proposed) or the block has waited a {@code leaderTimeout} here, then at most once per
   * {@code leaderTimeout}: what gossip lost, or published while this node was down, is not sent again.
   */
  private void fetchMissing(final JobState job, final BlockKey key, final BlockRound round, final long now) {
    final long every = config.leaderTimeout().toMillis();
    final long since = round.fetchedAt >= 0 ? round.fetchedAt : round.headers.isEmpty() ? round.openedAt : now - every;
    if (now - since < every) {
      return;
    }
    round.fetchedAt = now;
    transport.fetchRecords(job.jobId(), job.nextStep(), job.nextStep() + format.blockSteps(job))
        .thenAccept(wires -> onFetchedRecords(key, wires));
  }

  private List<StoredEntry<RecordKey>> blockRecords(final JobState job) {
    return store.records(job.jobId(), job.nextStep(), job.nextStep() + format.blockSteps(job));
  }

  /** Marks the block ready (round 0 starts, the randomness rule's reference block) once its records are complete. */
  private void markReady(final JobState job, final BlockRound round, final List<StoredEntry<RecordKey>> records) {
    if (round.readySince < 0 && format.isComplete(job, job.nextStep(), records)) {
      round.readySince = clock.millis();
      round.readyBlock = events.head();
    }
  }

  /** Proposes in this round; false if it must wait for a chain block mined after the records were complete. */
  private boolean propose(final JobState job, final BlockKey key, final BlockRound round,
      final List<StoredEntry<RecordKey>> records) {
    final Optional<BlockCandidate> header;
    final Optional<byte[]> guarded = store.signedHash(key);
    if (guarded.isPresent()) {
      // Already signed a header here: the only one this node may ever propose for (job, index).
      header = signedHeader(key).filter(h -> h.sameHash(guarded.get()));
    } else {
      if (clock.millis() < Math.max(quietUntil, round.quietUntil)) {
        return false; // listening for a header proposed while this node was not following the block
      }
      if (round.slackBlock < 0) {
        if (clock.millis() < round.readySince + config.recordSlack().toMillis()) {
          return false; // the other validators' copies of the records may still be on their way
        }
        round.slackBlock = events.head();
      }
      final ChainRandomness randomness = anchor.recentRandomness();
      if (randomness.blockNumber() <= round.slackBlock) {
        LOG.debug("{}: block {} of job {} waits for a chain block after {}", signer.address(), key.index(), job.jobId(),
            round.slackBlock);
        return false;
      }
      header = format.build(job, key.index(), job.head(), job.nextStep(), records, randomness);
    }
    if (header.isEmpty()) {
      LOG.warn("{}: leads block {} of job {} but has no header to propose", signer.address(), key.index(), job.jobId());
      return true;
    }
    final String hash = Numeric.toHexString(header.get().blockHash());
    round.headers.putIfAbsent(hash, header.get());
    // the guarded header's own attestation, or (stored in an older form, skipped) that header signed again
    final Optional<Attestation> own = guarded.isPresent()
        ? ownAttestation(key, header.get()).or(() -> judgeAndSign(job, round, header.get()))
        : judgeAndSign(job, round, header.get());
    if (own.isEmpty()) {
      return true;
    }
    round.proposed.add(hash);
    LOG.info("{}: proposes {}", signer.address(), header.get());
    transport.publishPol(new PolMessage.Proposal(header.get().encoded(), own.get()).encode());
    countAttestation(key, round, header.get().blockHash());
    return true;
  }

  private void onProposal(final PolMessage.Proposal p) {
    final BlockCandidate header = format.decode(p.header());
    final Attestation proposer = p.proposer();
    if (!header.sameHash(proposer.blockHash().toArray())) {
      throw new MalformedMessageException("proposal's attestation is for another header than " + header);
    }
    if (!authentic(proposer)) {
      return;
    }
    final Optional<JobState> job = job(header.jobId());
    if (job.isEmpty() || header.index() < job.get().nextIndex()) {
      return; // unknown job or a block already anchored
    }
    final BlockRound round = rounds.computeIfAbsent(header.key(), k -> new BlockRound(clock.millis()));
    round.headers.putIfAbsent(Numeric.toHexString(header.blockHash()), header);
    storeAttestation(header.key(), proposer);
    if (header.index() == job.get().nextIndex()) {
      evaluate(job.get(), round, header);
    }
    countAttestation(header.key(), round, header.blockHash());
  }

  /** Verifies {@code header} once (retrying while incomplete) and attests if it is valid and the guard allows. */
  private void evaluate(final JobState job, final BlockRound round, final BlockCandidate header) {
    final String hash = Numeric.toHexString(header.blockHash());
    if (round.verdicts.containsKey(hash) || header.index() != job.nextIndex()) {
      return;
    }
    if (!java.util.Arrays.equals(header.parent(), job.head()) || header.stepFrom() != job.nextStep()) {
      round.verdicts.put(hash, new Verdict.Invalid("does not continue the job's anchored chain"));
      LOG.warn("{}: rejects {}: parent/step range does not continue the anchored chain", signer.address(), header);
      return;
    }
    final Optional<byte[]> guarded = store.signedHash(header.key());
    if (guarded.isPresent() && !header.sameHash(guarded.get())) {
      round.verdicts.put(hash, new Verdict.Invalid("already signed " + Numeric.toHexString(guarded.get())));
      LOG.info("{}: will not sign {}: already signed {} for this block", signer.address(), header, Numeric.toHexString(guarded.get()));
      // Help the header this node did sign to a quorum instead.
      signedHeader(header.key()).flatMap(h -> ownAttestation(header.key(), h))
          .ifPresent(a -> transport.publishPol(new PolMessage.Vote(header.jobId(), header.index(), a).encode()));
      return;
    }
    final Optional<Attestation> own;
    if (guarded.isPresent()) {
      // signed before: re-send that attestation (or sign the same header again if it was lost)
      own = ownAttestation(header.key(), header).or(() -> judgeAndSign(job, round, header));
    } else {
      markReady(job, round, store.records(job.jobId(), header.stepFrom(), header.stepTo()));
      if (round.readySince < 0) {
        return; // records still missing: judged on a later tick
      }
      if (!witnessed(round, header) && !vouchedFor(header)) {
        return; // judged again once more of the validators that saw its timing have signed it
      }
      final Optional<String> stale = randomnessProblem(round, header);
      if (stale.isPresent()) {
        round.verdicts.put(hash, new Verdict.Invalid(stale.get()));
        LOG.warn("{}: rejects {}: {}", signer.address(), header, stale.get());
        return;
      }
      own = judgeAndSign(job, round, header);
    }
    own.ifPresent(a -> {
      round.verdicts.putIfAbsent(hash, new Verdict.Valid(a.sampled().stream().map(v -> v.leaf().toArray()).toList()));
      transport.publishPol(new PolMessage.Vote(header.jobId(), header.index(), a).encode());
      countAttestation(header.key(), round, header.blockHash());
    });
  }

  /**
   * Whether this node saw when the block's records were published relative to the header's
   * randomness: not when that randomness was mined before it started (or in the block it started
   * at), nor when it completed the block with records fetched from peers (gossip never brought them
   * here, so their arrival says nothing of their publication).
   */
  private boolean witnessed(final BlockRound round, final BlockCandidate header) {
    return header.randomnessBlock() > startedBlock && !round.fetched;
  }

  /**
   * Whether validators with more than a third of the stake, so at least one honest one under the
   * protocol's assumption, have signed {@code header}: for a header whose timing this node did not
   * witness, it leaves rule 1 of the randomness rule to those signers.
   */
  private boolean vouchedFor(final BlockCandidate header) {
    final List<String> signers = store.attestations(header.key(), header.blockHash()).stream()
        .map(e -> Numeric.toHexString(e.key().validator())).toList();
    return refreshActiveSet(false).holdsMoreThanAThird(signers);
  }

  /**
   * The randomness rule (docs/validator.md): the header's randomness block must be mined after this
   * node held all of the block's records (so no worker could know the sample when its records were
   * fixed: a late record cannot be chosen knowing it escapes) and be one of the last
   * {@code randomnessWindow} blocks now (so a leader chooses among a few blocks, not the anchor's 256).
   */
  private Optional<String> randomnessProblem(final BlockRound round, final BlockCandidate header) {
    if (header.randomnessBlock() <= startedBlock) {
      return Optional.empty(); // mined before this node started: vouchedFor decided
    }
    if (!round.fetched && header.randomnessBlock() <= round.readyBlock) {
      return Optional.of("randomness block " + header.randomnessBlock() + " was mined before this node had every record "
          + "(chain block " + round.readyBlock + "): the sample may have been known to the workers");
    }
    final long head = events.head();
    if (header.randomnessBlock() < head - config.randomnessWindow()) {
      return Optional.of("randomness block " + header.randomnessBlock() + " is more than " + config.randomnessWindow()
          + " blocks behind the head " + head);
    }
    return Optional.empty();
  }

  /** Runs the verifier; on a valid verdict commits guard + header + own attestation (fsync) and returns the attestation. */
  private Optional<Attestation> judgeAndSign(final JobState job, final BlockRound round, final BlockCandidate header) {
    final String hash = Numeric.toHexString(header.blockHash());
    final Verdict verdict = verifier.verify(job, header, store.records(job.jobId(), header.stepFrom(), header.stepTo()), signer.address());
    if (!(verdict instanceof Verdict.Incomplete)) {
      listener.verified(verdict);
    }
    switch (verdict) {
      case Verdict.Incomplete i -> {
        LOG.debug("{}: {} waits for records: {}", signer.address(), header, i.missing());
        return Optional.empty();
      }
      case Verdict.Invalid i -> {
        round.verdicts.put(hash, i);
        LOG.warn("{}: rejects {}: {}", signer.address(), header, i.reason());
        return Optional.empty();
      }
      case Verdict.Fraud f -> {
        round.verdicts.put(hash, f);
        final Duty note = new Duty.FraudFound(header.key(), f.record(), f.reason());
        store.commit(new StoreBatch().putDuty(note.key(), note.encode()));
        LOG.warn("{}: refuses {}: fraud in {}: {}", signer.address(), header, f.record(), f.reason());
        return Optional.empty();
      }
      case Verdict.Valid v -> {
        final Attestation att = signer.attest(header.blockHash(), v.sampled().stream()
            .map(leaf -> new Attestation.SampleVerdict(Bytes32.wrap(leaf), Attestation.Verdict.VALID)).toList());
        try {
          store.commit(new StoreBatch()
              .guardSignature(header.key(), header.blockHash())
              .putBlock(header.key(), BlockEntry.signed(header).encode())
              .putAttestation(PolMessage.storeKey(header.key(), att), PolCodec.encode(att).toArray()));
        } catch (DoubleSignException e) {
          round.verdicts.put(hash, new Verdict.Invalid(e.getMessage()));
          LOG.warn("{}: {}", signer.address(), e.getMessage());
          return Optional.empty();
        }
        round.verdicts.put(hash, v);
        return Optional.of(att);
      }
    }
  }

  private Optional<Attestation> ownAttestation(final BlockKey key, final BlockCandidate header) {
    return storedAttestations(key, header.blockHash()).stream().filter(a -> validatorOf(a).equals(signer.address()))
        .findFirst();
  }

  /**
   * The attestations stored for one header. Values written before attestations became pol-core's
   * (the validator's own form, without signed verdicts) do not decode and are skipped: their votes
   * arrive again, and this node re-signs a header its guard holds (same hash: not a double sign).
   */
  private List<Attestation> storedAttestations(final BlockKey key, final byte[] blockHash) {
    final List<Attestation> out = new ArrayList<>();
    for (final StoredEntry<?> e : store.attestations(key, blockHash)) {
      try {
        out.add(PolMessage.attestation(Bytes.wrap(e.value())));
      } catch (MalformedMessageException ex) {
        LOG.debug("skipped a stored attestation of {} in an older form: {}", key, ex.getMessage());
      }
    }
    return out;
  }

  private static String validatorOf(final Attestation a) {
    return a.validator().toString().toLowerCase(java.util.Locale.ROOT);
  }

  private Optional<BlockCandidate> signedHeader(final BlockKey key) {
    return store.block(key).map(BlockEntry::decode).filter(b -> b.status() == BlockEntry.Status.SIGNED)
        .map(b -> format.decode(b.header()));
  }

  private void onAttestation(final BlockKey block, final Attestation att) {
    if (!authentic(att)) {
      return;
    }
    final Optional<JobState> job = job(block.jobId());
    if (job.isEmpty() || block.index() < job.get().nextIndex()) {
      return;
    }
    storeAttestation(block, att);
    countAttestation(block, rounds.computeIfAbsent(block, k -> new BlockRound(clock.millis())), att.blockHash().toArray());
  }

  /** Both signatures (header and verdicts) are the named validator's, who is in the active set. */
  private boolean authentic(final Attestation att) {
    if (!signer.verify(att)) {
      LOG.warn("dropped an attestation of {} claiming {}: its signatures are not that validator's", att.blockHash(),
          att.validator());
      return false;
    }
    // An unknown signer may have joined in a new epoch: re-read the set, but at most once a second.
    final boolean mayRefresh = clock.millis() - activeSetAt >= FORCED_REFRESH_MILLIS;
    if (!refreshActiveSet(false).contains(validatorOf(att))
        && !(mayRefresh && refreshActiveSet(true).contains(validatorOf(att)))) {
      LOG.warn("dropped an attestation of {} by {}: not an active validator", att.blockHash(), att.validator());
      return false;
    }
    return true;
  }

  private void storeAttestation(final BlockKey block, final Attestation att) {
    final io.tensorlink.chain.store.AttestationKey key = PolMessage.storeKey(block, att);
    final List<Attestation> stored = storedAttestations(block, att.blockHash().toArray());
    if (stored.stream().noneMatch(a -> a.validator().equals(att.validator()))) {
      store.commit(new StoreBatch().putAttestation(key, PolCodec.encode(att).toArray()));
    }
  }

  private void countAttestation(final BlockKey key, final BlockRound round, final byte[] blockHash) {
    final String hash = Numeric.toHexString(blockHash);
    if (round.quorumSince.containsKey(hash)) {
      return;
    }
    final List<String> signers = store.attestations(key, blockHash).stream().map(e -> Numeric.toHexString(e.key().validator())).toList();
    if (activeSet.isQuorum(signers)) {
      round.quorumSince.put(hash, clock.millis());
      LOG.info("{}: quorum for block {} of job {} {} ({} signers)", signer.address(), key.index(), key.jobId(), hash, signers.size());
      submitDue(key, round, clock.millis());
    }
  }

  private void submitDue(final BlockKey key, final BlockRound round, final long now) {
    for (final Map.Entry<String, Long> q : round.quorumSince.entrySet()) {
      final String hash = q.getKey();
      final BlockCandidate header = round.headers.get(hash);
      if (header == null) {
        continue; // attestations without the header: cannot submit it
      }
      final long wait = round.proposed.contains(hash) ? 0 : config.submitGrace().toMillis();
      final Long last = round.submittedAt.get(hash);
      final boolean due = last == null ? now - q.getValue() >= wait : now - last >= config.leaderTimeout().toMillis();
      if (due) {
        round.submittedAt.put(hash, now);
        dueSubmissions.add(submission(key, header));
      }
    }
  }

  /** The header with its active signers' signatures in ascending signer order, as {@code submit} takes them. */
  private Submission submission(final BlockKey key, final BlockCandidate header) {
    final List<Attestation> atts = new ArrayList<>(storedAttestations(key, header.blockHash()).stream()
        .filter(a -> activeSet.contains(validatorOf(a))).toList());
    atts.sort(Comparator.comparing(Attestation::validator));
    return new Submission(header, atts.stream().map(a -> a.headerSignature().value().toArray()).toList());
  }

  /** One {@code PoLAnchor.submit} to send. */
  private final class Submission {
    private final BlockCandidate header;
    private final List<byte[]> signatures;

    Submission(final BlockCandidate header, final List<byte[]> signatures) {
      this.header = header;
      this.signatures = signatures;
    }

    void send() {
      try {
        final String tx = anchor.submit(header, signatures);
        LOG.info("{}: submitted {} with {} signatures in {}", signer.address(), header, signatures.size(), tx);
      } catch (RuntimeException e) {
        // Usually someone else's submission won the race; the anchored event settles it either way.
        LOG.info("{}: submitting {} failed: {}", signer.address(), header, e.getMessage());
      }
    }
  }

  /** Everything a {@link Validator} needs; each is required. */
  public static final class Builder {
    private NodeStore store;
    private ChainEvents events;
    private AnchorClient anchor;
    private DisputeClient disputes;
    private PolTransport transport;
    private Clock clock = Clock.system();
    private AttestationSigner signer;
    private BlockFormat format;
    private BlockVerifier verifier;
    private RecordInspector inspector;
    private ValidatorConfig config = ValidatorConfig.defaults();
    private ValidatorListener listener = ValidatorListener.NONE;

    public Builder store(final NodeStore value) {
      this.store = value;
      return this;
    }

    public Builder chainEvents(final ChainEvents value) {
      this.events = value;
      return this;
    }

    public Builder anchor(final AnchorClient value) {
      this.anchor = value;
      return this;
    }

    public Builder disputes(final DisputeClient value) {
      this.disputes = value;
      return this;
    }

    public Builder transport(final PolTransport value) {
      this.transport = value;
      return this;
    }

    public Builder clock(final Clock value) {
      this.clock = value;
      return this;
    }

    public Builder signer(final AttestationSigner value) {
      this.signer = value;
      return this;
    }

    public Builder format(final BlockFormat value) {
      this.format = value;
      return this;
    }

    public Builder verifier(final BlockVerifier value) {
      this.verifier = value;
      return this;
    }

    public Builder inspector(final RecordInspector value) {
      this.inspector = value;
      return this;
    }

    public Builder config(final ValidatorConfig value) {
      this.config = value;
      return this;
    }

    /** Optional: what the host counts; none by default. */
    public Builder listener(final ValidatorListener value) {
      this.listener = value;
      return this;
    }

    /** @throws NullPointerException naming the first missing input */
    public Validator build() {
      return new Validator(this);
    }
  }
}
