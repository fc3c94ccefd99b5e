package io.tensorlink.chain.node;

import io.tensorlink.chain.job.churn.ChurnWatch;
import io.tensorlink.chain.job.churn.Takeover;
import io.tensorlink.chain.job.churn.TakeoverGate;
import io.tensorlink.chain.job.data.ChunkFetcher;
import io.tensorlink.chain.job.market.AssignmentMessage;
import io.tensorlink.chain.job.market.CapacityProbe;
import io.tensorlink.chain.job.market.JobChain;
import io.tensorlink.chain.job.market.JobMarket;
import io.tensorlink.chain.job.market.MarketJob;
import io.tensorlink.chain.job.market.OnChainJob;
import io.tensorlink.chain.job.market.SavedJob;
import io.tensorlink.chain.job.market.WorkerOffer;
import io.tensorlink.chain.job.result.AnchoredCheckpoint;
import io.tensorlink.chain.job.result.CheckpointClient;
import io.tensorlink.chain.job.tensor.PeerBindings;
import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.Bid;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.verify.P2pInputSource;
import io.tensorlink.chain.pol.verify.ReexecutionPool;
import io.tensorlink.chain.pol.verify.VerdictCache;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.validator.PolTransport;
import io.tensorlink.chain.validator.ValidatorConfig;
import io.tensorlink.chain.validator.p2p.GossipPolTransport;
import io.tensorlink.chain.validator.pol.JobContexts;
import io.tensorlink.chain.validator.pol.PolBlockFormat;
import io.tensorlink.chain.validator.pol.PolBlockVerifier;
import io.tensorlink.chain.validator.pol.SignedRecordInspector;
import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.data.Dataset;
import io.tensorlink.compute.spec.ModelSpec;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.deploy.Deployment;
import io.tensorlink.contracts.generated.JobEscrow;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.tuweni.bytes.Bytes32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;

/**
 * The job flow on a node, from the chain and the gossip market to the roles (design §8): every node
 * follows the {@link JobMarket}; a client announces the jobs {@code tl-cli job create} saved under
 * {@link Setup#jobsDir}, serves their data and assigns them ({@link ClientRole}); a worker bids with
 * the capacity measured at start and, on an assignment that names its account, fetches and checks
 * the job's data, builds its {@link JobContext} and trains its cell ({@link WorkerRole}); a
 * validator verifies and anchors ({@link ValidatorRole}) with the production {@link PolBlockFormat}
 * and {@link PolBlockVerifier}, its job contexts fed from the market's catalog and the data it
 * fetched from the client.
 */
public final class JobFlow implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobFlow.class);
  /** How long a node waits for the peers an assignment names to announce where they listen. */
  private static final Duration PEER_WAIT = Duration.ofSeconds(60);
  // Generous: a timed-out input counts against the worker (INPUT_UNAVAILABLE), and a loaded machine is slow.
  private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration FETCH_RETRY = Duration.ofSeconds(10);
  private static final Duration CLAIM_EVERY = Duration.ofSeconds(5);
  private static final Duration SCAN_EVERY = Duration.ofSeconds(2);
  private static final int MAX_INPUT_BYTES = 64 << 20;
  /** Beside a saved job: what its client gossiped once it assigned the job ({@link ClientRole.Gossiped}). */
  private static final String GOSSIPED_SUFFIX = ".gossiped.bin";

  /**
   * What the job flow needs beyond the node.
   *
   * @param web3j the chain the suite is deployed on
   * @param deployment the suite's addresses
   * @param modelsDir the model specs a worker or validator may train or re-execute, found by spec hash
   * @param jobsDir where {@code tl-cli job create} saves the client's jobs
   * @param bidWindow how long the client's bid window stays open after it announces a job
   * @param samplesPerChunk samples per data chunk the client serves
   * @param worker the worker role's settings, present with the worker role
   * @param validator the validator's timing
   * @param tick how often the market and the validator work
   * @param standbys how many standbys the client asks for in each job it announces
   * @param churn the heartbeat period and how many missed periods make a worker gone
   * @param xmr the node's XMR settings, present when it settles XMR jobs ({@link XmrJobs})
   */
  public record Setup(Web3j web3j, Deployment deployment, Path modelsDir, Path jobsDir, Duration bidWindow,
      int samplesPerChunk, Optional<WorkerSetup> worker, ValidatorConfig validator, Duration tick, int standbys,
      ChurnWatch.Timing churn, Optional<XmrJobs.Settings> xmr) {
    public Setup {
      Objects.requireNonNull(churn, "churn");
      Objects.requireNonNull(xmr, "xmr");
      if (standbys < 0) {
        throw new IllegalArgumentException("standbys must be >= 0, got " + standbys);
      }
      Objects.requireNonNull(web3j, "web3j");
      Objects.requireNonNull(deployment, "deployment");
      Objects.requireNonNull(modelsDir, "modelsDir");
      Objects.requireNonNull(jobsDir, "jobsDir");
      Objects.requireNonNull(worker, "worker");
      Objects.requireNonNull(validator, "validator");
      if (bidWindow.isNegative() || bidWindow.isZero()) {
        throw new IllegalArgumentException("the bid window must be positive, got " + bidWindow);
      }
      if (samplesPerChunk < 1) {
        throw new IllegalArgumentException("samples per chunk must be >= 1, got " + samplesPerChunk);
      }
      if (tick.isNegative() || tick.isZero()) {
        throw new IllegalArgumentException("the tick must be positive, got " + tick);
      }
    }

    /** A setup that settles in TL only. */
    public Setup(final Web3j web3j, final Deployment deployment, final Path modelsDir, final Path jobsDir,
        final Duration bidWindow, final int samplesPerChunk, final Optional<WorkerSetup> worker,
        final ValidatorConfig validator, final Duration tick, final int standbys, final ChurnWatch.Timing churn) {
      this(web3j, deployment, modelsDir, jobsDir, bidWindow, samplesPerChunk, worker, validator, tick, standbys, churn,
          Optional.empty());
    }

    /** This setup, settling XMR jobs too. */
    public Setup withXmr(final XmrJobs.Settings settings) {
      return new Setup(web3j, deployment, modelsDir, jobsDir, bidWindow, samplesPerChunk, worker, validator, tick,
          standbys, churn, Optional.of(settings));
    }
  }

  /**
   * The worker role's settings.
   *
   * @param minPrice the lowest price per step it bids on (and bids)
   * @param backend what it trains on (its bid says so)
   * @param options how its jobs run (threads, micro-batches, fault injector)
   * @param probe how long the capacity probe runs at start
   * @param linkMbps the link bandwidth it declares in its bids
   */
  public record WorkerSetup(BigInteger minPrice, Bid.Backend backend, WorkerRole.Options options, Duration probe,
      long linkMbps) {
    public WorkerSetup {
      Objects.requireNonNull(minPrice, "minPrice");
      Objects.requireNonNull(backend, "backend");
      Objects.requireNonNull(options, "options");
    }
  }

  private final StandaloneNode node;
  private final Setup setup;
  private final PeerDirectory directory;
  private final NodeIdentity identity;
  private final List<AutoCloseable> owned = new ArrayList<>();
  private final ExecutorService work = Executors.newSingleThreadExecutor(
      Thread.ofPlatform().name("job-flow").daemon().factory());
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("job-flow-timer").daemon().factory());
  private final Map<Bytes32, Dataset> datasets = new ConcurrentHashMap<>();
  private final Set<BigInteger> published = ConcurrentHashMap.newKeySet();
  private final Function<Bytes32, Optional<ModelSpec>> models;
  private final Set<BigInteger> training = ConcurrentHashMap.newKeySet();
  private final Map<BigInteger, ChurnWatch> watches = new ConcurrentHashMap<>();
  /** Watched jobs with every step anchored: heartbeats end with the job, so their watches stop. */
  private final Set<BigInteger> finished = ConcurrentHashMap.newKeySet();
  /** This worker's job contexts, by job: a takeover re-binds them. */
  private final Map<BigInteger, JobContext> contexts = new ConcurrentHashMap<>();
  // Own threads: takeovers read the chain and fetch checkpoints, and heartbeat checks must not wait on claims.
  private final ExecutorService churnWork = Executors.newSingleThreadExecutor(
      Thread.ofPlatform().name("job-churn").daemon().factory());
  private final ScheduledExecutorService churnTimer = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("job-churn-timer").daemon().factory());
  private final ExecutorService checkpointDecoder = Executors.newSingleThreadExecutor(
      Thread.ofPlatform().name("checkpoint-decoder").daemon().factory());
  /** Checks and stores the client's own jobs' records off the gossip router's thread. */
  private final ExecutorService clientRecords = Executors.newSingleThreadExecutor(
      Thread.ofPlatform().name("client-records").daemon().factory());
  private final Set<BigInteger> recordedJobs = ConcurrentHashMap.newKeySet();
  /** The client's jobs taken up again after a restart: their records published meanwhile are fetched. */
  private final Set<BigInteger> resumed = ConcurrentHashMap.newKeySet();
  private ContractSuite suite;
  private JobMarket market;
  private PayoutClaimer claimer;
  private Optional<WorkerRole> worker = Optional.empty();
  private Optional<ValidatorRole> validator = Optional.empty();
  private Optional<XmrJobs> xmr = Optional.empty();
  /** The client's copy of its jobs' records, when it keeps one (without the validator role). */
  private Optional<ClientRecords> ownRecords = Optional.empty();
  private GossipPolTransport recordFetcher;
  private volatile boolean closed;

  private JobFlow(final StandaloneNode node, final Setup setup, final PeerDirectory directory) {
    this.node = node;
    this.setup = setup;
    this.directory = directory;
    this.identity = node.identity().orElseThrow(() -> new IllegalArgumentException(
        "the job flow signs bids, announcements and records: give the node a keystore"));
    this.models = JobContexts.specsIn(setup.modelsDir());
  }

  /** Starts the market and the node's roles; on failure, whatever had started is stopped again. */
  static JobFlow start(final StandaloneNode node, final Setup setup, final PeerDirectory directory,
      final NodeStore store, final NodeMetrics metrics) {
    final JobFlow flow = new JobFlow(node, setup, directory);
    try {
      flow.startRoles(store, metrics);
      return flow;
    } catch (RuntimeException e) {
      flow.close();
      throw e;
    }
  }

  private void startRoles(final NodeStore store, final NodeMetrics metrics) {
    final Set<Role> roles = node.config().roles();
    suite = ContractSuite.connect(setup.web3j(), identity.account(), setup.deployment());
    final JobChain chain = new JobChain(setup.web3j(), suite);
    final Optional<WorkerOffer> offer = roles.contains(Role.WORKER)
        ? Optional.of(offer(setup.worker().orElseThrow(() -> new IllegalArgumentException(
            "the worker role needs its settings (min price, backend, threads)"))))
        : Optional.empty();
    market = new JobMarket(node.gossip(), chain, identity.domain(), offer, setup.tick());
    owned.add(market);
    if (setup.xmr().isPresent()) {
      final XmrJobs settlement = XmrJobs.start(setup.xmr().get(), node, identity.account(), setup.web3j(),
          setup.deployment(), this::addressOf);
      owned.add(settlement);
      xmr = Optional.of(settlement);
      market.assignments().onAssigned(settlement::onAssigned);
    }
    if (roles.contains(Role.VALIDATOR)) {
      startValidator(suite, store, metrics);
    }
    if (roles.contains(Role.VALIDATOR) || roles.contains(Role.WORKER)) {
      // before the worker's own listener: a standby beats, and a cell is watched, from the start
      market.assignments().onAssigned(this::watch);
      final long period = setup.churn().period().toMillis();
      churnTimer.scheduleWithFixedDelay(this::stopWatchingFinishedJobs, period, period, TimeUnit.MILLISECONDS);
    }
    if (roles.contains(Role.WORKER)) {
      final WorkerRole role = WorkerRole.attach(node, setup.worker().orElseThrow().options(), a -> bindings(),
          this::anchoredStep);
      owned.add(role);
      worker = Optional.of(role);
      claimer = new PayoutClaimer(suite, chain::now, metrics);
      timer.scheduleWithFixedDelay(claimer::tick, CLAIM_EVERY.toMillis(), CLAIM_EVERY.toMillis(), TimeUnit.MILLISECONDS);
      metrics.gauge("tl_worker_steps", "Steps this worker has trained, over its jobs",
          () -> training.stream().mapToLong(id -> role.runtime(id).map(r -> r.nextStep()).orElse(0L)).sum());
      market.assignments().onAssigned((job, assignment) -> {
        if (assignment.cellOf(EthAddress.of(identity.account().getAddress())).isPresent()) {
          work.execute(() -> startCell(role, job, assignment));
        }
      });
    }
    if (roles.contains(Role.CLIENT) && !roles.contains(Role.VALIDATOR)) {
      recordFetcher = new GossipPolTransport(node.host(), node.gossip());
      owned.add(recordFetcher);
      keepOwnRecords(store); // a validator keeps every record anyway
    }
    market.start();
    if (roles.contains(Role.CLIENT)) {
      final ClientRole client = ClientRole.attach(node, market);
      owned.add(client);
      timer.scheduleWithFixedDelay(() -> publishSaved(client, chain), 0, SCAN_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * The client keeps its own jobs' records from their steps topics ({@link ClientRecords}), so that
   * {@code tl_jobRecords}, and {@code tl-cli job result}, answer from its node.
   */
  private void keepOwnRecords(final NodeStore store) {
    final ClientRecords records = new ClientRecords(store, identity.domain());
    ownRecords = Optional.of(records);
    market.assignments().onAssigned((job, assignment) -> {
      if (job.client().equals(self()) && recordedJobs.add(job.jobId())) {
        node.gossip().subscribe(PolTransport.stepsTopic(job.jobId()),
            m -> clientRecords.execute(() -> records.keep(assignment, m.data().toByteArray())));
        if (resumed.contains(job.jobId())) {
          clientRecords.execute(() -> records.catchUp(job.spec(), assignment, recordFetcher));
        }
      }
    });
  }

  private WorkerOffer offer(final WorkerSetup w) {
    try (CpuBackend probe = CpuBackend.withThreads(w.options().threads())) {
      final WorkerOffer offer = new WorkerOffer(identity.account(), w.minPrice(), w.backend(),
          CapacityProbe.measure(probe, w.probe(), w.linkMbps()));
      LOG.info("worker offer: {}", offer);
      return offer;
    }
  }

  private void startValidator(final ContractSuite suite, final NodeStore store, final NodeMetrics metrics) {
    final JobEscrow.Params fees;
    try {
      fees = suite.escrow().params().send();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the escrow's fee parameters: " + e.getMessage(), e);
    }
    market.catalog().onJob(job -> work.execute(() -> fetchDataset(job)));
    final JobContexts contexts = new JobContexts(id -> market.catalog().get(id).map(MarketJob::spec),
        JobContexts.modelsIn(setup.modelsDir()), root -> Optional.ofNullable(datasets.get(root)), identity.domain(),
        this::effective);
    final PolBlockFormat format = new PolBlockFormat(contexts, fees.validatorFeeBps.intValueExact(),
        fees.protocolFeeBps.intValueExact());
    final ReexecutionPool pool = new ReexecutionPool(1, 1);
    owned.add(pool);
    final ExecutorService decoder = Executors.newSingleThreadExecutor(
        Thread.ofPlatform().name("verify-decoder").daemon().factory());
    owned.add(decoder::shutdownNow);
    final PolBlockVerifier verifier = new PolBlockVerifier(format, store,
        new P2pInputSource(node.host(), directory::address, MAX_INPUT_BYTES, FETCH_TIMEOUT, decoder), pool,
        new VerdictCache(4096), FETCH_TIMEOUT);
    final ValidatorRole role = ValidatorRole.start(new ValidatorRole.Inputs(setup.web3j(), setup.deployment(), format,
        verifier, Optional.of(new SignedRecordInspector(identity.domain(), this::effective)), setup.validator(),
        setup.tick()), store, node.host(), node.gossip(), identity, metrics);
    owned.add(role);
    validator = Optional.of(role);
  }

  /** The validator re-executes from the whole dataset: fetched (each chunk checked) once per job. */
  private void fetchDataset(final MarketJob job) {
    if (datasets.containsKey(job.spec().datasetRoot())) {
      return;
    }
    try {
      final Multiaddr client = await(() -> directory.address(job.announcement().binding().peer()),
          "the address of job " + job.jobId() + "'s client");
      final Dataset data = new ChunkFetcher(node.host(), job.jobId(), job.announcement().chunks(),
          node.dataProviders().find(job.announcement().chunks(), List.of(client)),
          FETCH_TIMEOUT).fetchAll();
      datasets.put(job.spec().datasetRoot(), data);
      // Every chunk is checked: serve them on, so later fetchers find this node as a provider too.
      node.dataServer().serve(job.jobId(), data, job.announcement().chunks());
      LOG.info("job {}: fetched its {} samples for verification", job.jobId(), data.size());
    } catch (RuntimeException e) {
      LOG.warn("job {}: cannot fetch its data yet, trying again in {} s: {}", job.jobId(), FETCH_RETRY.toSeconds(),
          e.getMessage());
      if (!closed) {
        timer.schedule(() -> work.execute(() -> fetchDataset(job)), FETCH_RETRY.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  /** On the flow's thread: fetches the job's data and model, waits for its neighbours' addresses, trains. */
  private void startCell(final WorkerRole role, final MarketJob job, final Assignment assignment) {
    try {
      final JobContext context = buildContext(job, assignment);
      await(() -> assignment.workers().stream().allMatch(w -> addressOf(w).isPresent())
          ? Optional.of(true) : Optional.empty(), "the addresses of job " + job.jobId() + "'s workers");
      contexts.put(job.jobId(), context);
      role.onAssignment(context, assignment);
      training.add(job.jobId());
      claimer.follow(assignment);
    } catch (RuntimeException e) {
      LOG.error("job {}: cannot start this worker's cell: {}", job.jobId(), e.getMessage());
    }
  }

  /**
   * The node bindings as a live view over the peer directory: a standby's node, or a restarted one,
   * is known from its latest binding on {@code /tl/nodes/1}, whenever that arrived.
   */
  private PeerBindings bindings() {
    final EthAddress self = self();
    return new PeerBindings() {
      @Override
      public Optional<EthAddress> account(final PeerId peer) {
        return peer.equals(node.host().peerId()) ? Optional.of(self)
            : directory.lookup(peer).map(a -> a.binding().account());
      }

      @Override
      public Optional<Multiaddr> address(final EthAddress account) {
        return addressOf(account);
      }
    };
  }

  private EthAddress self() {
    return EthAddress.of(identity.account().getAddress());
  }

  /** A job's assignment after the takeovers this node accepted, when it follows the job. */
  private Optional<Assignment> effective(final BigInteger jobId) {
    return Optional.ofNullable(watches.get(jobId)).map(ChurnWatch::current);
  }

  /** Follows the heartbeats and takeovers of a job this node works, stands by or validates for. */
  private void watch(final MarketJob job, final Assignment assignment) {
    final EthAddress self = self();
    final boolean mine = worker.isPresent()
        && (assignment.workers().contains(self) || assignment.standbys().contains(self));
    if (!mine && validator.isEmpty()) {
      return;
    }
    watches.computeIfAbsent(job.jobId(), id -> {
      final ChurnWatch w = new ChurnWatch(node.gossip(), churnTimer, assignment, bindings(), this::anchoredStep,
          identity.domain(), mine ? Optional.of(identity.account()) : Optional.empty(), self, setup.churn(),
          Clock.systemUTC());
      w.gate().onAccepted(a -> {
        final long acceptedAt = System.currentTimeMillis();
        churnWork.execute(() -> onTakeover(job, w, a, acceptedAt));
      });
      return w;
    });
    if (mine) {
      worker.get().beat(assignment); // the cells' workers too: fetching the data can outlast the gone window
    }
  }

  /**
   * Stops the heartbeat watch of each job whose every step is anchored: its workers stop beating
   * when they finish, and must not be declared gone (nor their cells taken over) afterwards. The
   * watch keeps its effective assignment, which the record inspector needs for disputes.
   */
  private void stopWatchingFinishedJobs() {
    for (final Map.Entry<BigInteger, ChurnWatch> e : watches.entrySet()) {
      final BigInteger jobId = e.getKey();
      if (finished.contains(jobId)) {
        continue;
      }
      try {
        final Optional<Long> steps = market.catalog().get(jobId).map(j -> j.spec().steps());
        if (steps.isPresent() && anchoredStep(jobId) >= steps.get()) {
          finished.add(jobId);
          e.getValue().close();
          LOG.info("job {}: every step anchored; no longer watching its workers' heartbeats", jobId);
        }
      } catch (RuntimeException ex) {
        LOG.debug("job {}: could not tell whether it finished: {}", jobId, ex.getMessage());
      }
    }
  }

  /**
   * Takes {@code account} out of {@code jobId} for a reason other than missed heartbeats (e.g. it
   * was slashed): its cell goes to the first live standby, exactly as if it had gone silent. Every
   * node of the job must decide this for itself from the same evidence (the chain), since a
   * standby's takeover is accepted only where the worker it replaces is gone.
   *
   * @return false when this node does not follow the job, or {@code account} is not watched or already gone
   */
  public boolean replace(final BigInteger jobId, final EthAddress account, final String reason) {
    return Optional.ofNullable(watches.get(jobId)).map(w -> w.replace(account, reason)).orElse(false);
  }

  /**
   * The first step after the job's last anchored block, from the anchor's head (one call, no event
   * scan): every node reads the same. The worker role paces itself by it; churn resumes from it.
   */
  private long anchoredStep(final BigInteger jobId) {
    try {
      return suite.anchor().head(jobId).send().component3().longValueExact();
    } catch (Exception e) {
      throw new IllegalStateException("PoLAnchor.head(" + jobId + ") failed: " + e.getMessage(), e);
    }
  }

  /**
   * An accepted takeover: a validator drops the gone worker's records from the resume step; a
   * worker that holds a cell of the effective assignment restarts it from the anchored checkpoint.
   */
  private void onTakeover(final MarketJob job, final ChurnWatch watch, final TakeoverGate.Accepted accepted,
      final long acceptedAt) {
    final Takeover t = accepted.takeover();
    validator.ifPresent(v -> v.takeover(t.jobId(), t.stage(), t.replica(), t.resumeStep()));
    final Assignment now = accepted.succession().current();
    xmr.ifPresent(x -> x.onAssigned(job, now));
    if (worker.isEmpty() || now.cellOf(self()).isEmpty() || closed) {
      return;
    }
    try {
      final JobContext context = Optional.ofNullable(contexts.get(job.jobId()))
          .map(c -> accepted.succession().rebind(c))
          .orElseGet(() -> buildContext(job, now));
      contexts.put(job.jobId(), context);
      final CellResume resume = new CellResume(worker.get(), self(),
          setup.worker().orElseThrow().options().worker().checkpointDir(),
          new CheckpointClient(node.host(), MAX_INPUT_BYTES, FETCH_TIMEOUT, checkpointDecoder), this::addressOf,
          FETCH_TIMEOUT);
      resume.apply(context, watch, t, () -> AnchoredCheckpoint.latest(setup.web3j(), suite, job.jobId()), acceptedAt);
      training.add(job.jobId());
      claimer.follow(now);
      final int[] cell = now.cellOf(self()).orElseThrow();
      LOG.info("job {}: cell ({}, {}) resumes at step {} after {} took over from {}", job.jobId(), cell[0], cell[1],
          t.resumeStep(), t.standby(), t.replaced());
    } catch (RuntimeException e) {
      LOG.error("job {}: cannot resume this worker's cell after the takeover by {}: {}", job.jobId(), t.standby(),
          e.getMessage());
    }
  }

  /** A cell's job context: the model found by spec hash, the data fetched from the client (every chunk checked). */
  private JobContext buildContext(final MarketJob job, final Assignment assignment) {
    final ModelSpec model = models.apply(job.spec().specHash()).orElseThrow(() -> new IllegalStateException(
        "no model spec with hash " + job.spec().specHash() + " in " + setup.modelsDir()));
    final Multiaddr client = await(() -> directory.address(job.announcement().binding().peer()),
        "the address of job " + job.jobId() + "'s client");
    final JobContext context = io.tensorlink.chain.job.market.JobContexts.build(job, assignment, model,
        new ChunkFetcher(node.host(), job.jobId(), job.announcement().chunks(),
            node.dataProviders().find(job.announcement().chunks(), List.of(client)), FETCH_TIMEOUT),
        identity.domain());
    // Every chunk is checked: serve them on, so later fetchers find this node as a provider too.
    node.dataServer().serve(job.jobId(), context.dataset(), job.announcement().chunks());
    return context;
  }

  /** Where {@code account}'s node listens: this node's own addresses (gossip does not echo its own binding), else the directory's. */
  private Optional<Multiaddr> addressOf(final EthAddress account) {
    if (account.equals(self())) {
      return node.listenAddresses().stream().findFirst();
    }
    return directory.address(account);
  }

  /** Announces each saved job the escrow still has open, once. */
  private void publishSaved(final ClientRole client, final JobChain chain) {
    final List<Path> saved;
    try (Stream<Path> files = Files.list(setup.jobsDir())) {
      saved = files.filter(p -> p.getFileName().toString().endsWith(".data.json")).sorted().toList();
    } catch (IOException e) {
      return; // no job saved yet
    }
    for (final Path file : saved) {
      final String name = file.getFileName().toString();
      final BigInteger jobId;
      try {
        jobId = new BigInteger(name.substring(0, name.length() - ".data.json".length()));
      } catch (NumberFormatException e) {
        continue;
      }
      if (published.contains(jobId)) {
        continue;
      }
      try {
        final Optional<OnChainJob> onChain = chain.job(jobId);
        final Path gossipedFile = setup.jobsDir().resolve(jobId + GOSSIPED_SUFFIX);
        if (onChain.isPresent() && onChain.get().status() != OnChainJob.OPEN && Files.exists(gossipedFile)) {
          published.add(jobId);
          takeUpAgain(client, SavedJob.read(setup.jobsDir(), jobId), ClientRole.Gossiped.read(gossipedFile),
              onChain.get());
          continue;
        }
        if (onChain.isEmpty() || onChain.get().status() != OnChainJob.OPEN) {
          published.add(jobId);
          LOG.info("saved job {} is neither open on the escrow nor assigned by this node: not announcing it", jobId);
          continue;
        }
        final SavedJob job = SavedJob.read(setup.jobsDir(), jobId);
        published.add(jobId);
        client.publish(job, setup.samplesPerChunk(), setup.bidWindow(), setup.standbys())
            .whenComplete((a, e) -> {
              if (e != null) {
                LOG.error("job {}: not assigned: {}", jobId, e.getMessage());
              } else {
                // a restarted node takes the job up again from these
                client.gossiped(jobId).ifPresent(g -> g.write(gossipedFile));
              }
            });
      } catch (RuntimeException e) {
        LOG.error("saved job {}: cannot announce it: {}", jobId, e.getMessage());
      }
    }
  }

  /**
   * A job this client assigned before its node restarted. While it runs, the client role takes it up
   * again (its own market accepts the saved assignment, and the client serves and republishes). A job
   * that ended meanwhile is no longer on the market, so its saved assignment, checked against the hash
   * the escrow recorded, goes straight to what the client still needs it for: its records and the
   * payout leaves of its XMR escrows.
   */
  private void takeUpAgain(final ClientRole client, final SavedJob job, final ClientRole.Gossiped saved,
      final OnChainJob onChain) {
    final BigInteger jobId = job.jobId();
    if (onChain.status() == OnChainJob.ACTIVE) {
      resumed.add(jobId);
      client.resume(job, saved).whenComplete((a, e) -> {
        if (e != null) {
          LOG.error("job {}: cannot take it up again: {}", jobId, e.getMessage());
        }
      });
      return;
    }
    final Assignment assignment = AssignmentMessage.decode(saved.assignment()).assignment();
    if (!assignment.hash().equals(onChain.assignmentHash())) {
      LOG.error("job {}: the saved assignment {} is not the one the escrow recorded ({})", jobId, assignment.hash(),
          onChain.assignmentHash());
      return;
    }
    xmr.ifPresent(x -> x.follow(assignment));
    ownRecords.ifPresent(r -> clientRecords.execute(() -> r.catchUp(job.spec(), assignment, recordFetcher)));
    LOG.info("job {}: ended while this node was away; its records and XMR payouts followed from the saved assignment",
        jobId);
  }

  private <T> T await(final Supplier<Optional<T>> what, final String description) {
    final long end = System.nanoTime() + PEER_WAIT.toNanos();
    while (!closed) {
      final Optional<T> value = what.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (System.nanoTime() > end) {
        break;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IllegalStateException("gave up waiting for " + description + " after " + PEER_WAIT.toSeconds() + " s");
  }

  public JobMarket market() {
    return market;
  }

  public Optional<ValidatorRole> validator() {
    return validator;
  }

  public Optional<WorkerRole> worker() {
    return worker;
  }

  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    work.shutdownNow();
    churnWork.shutdownNow();
    watches.values().forEach(ChurnWatch::close);
    churnTimer.shutdownNow();
    checkpointDecoder.shutdownNow();
    clientRecords.shutdownNow();
    for (int i = owned.size() - 1; i >= 0; i--) {
      try {
        owned.get(i).close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed: {}", owned.get(i).getClass().getSimpleName(), e.toString());
      }
    }
  }
}
