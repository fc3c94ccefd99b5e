package io.tensorlink.chain.xmr;

import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.deploy.ChainInfo;
import io.tensorlink.contracts.deploy.Deployment;
import io.tensorlink.contracts.generated.JobEscrow;
import io.tensorlink.monero.escrow.EscrowException;
import io.tensorlink.monero.escrow.EscrowMessage;
import io.tensorlink.monero.escrow.EscrowMessage.Offer;
import io.tensorlink.monero.escrow.EscrowMessage.OfferAccepted;
import io.tensorlink.monero.escrow.EscrowMessage.Refusal;
import io.tensorlink.monero.escrow.EscrowMessage.Settlement;
import io.tensorlink.monero.escrow.EscrowParty;
import io.tensorlink.monero.escrow.EscrowRecord;
import io.tensorlink.monero.escrow.EscrowStore;
import io.tensorlink.monero.escrow.EscrowTerms;
import io.tensorlink.monero.escrow.EscrowTransport;
import io.tensorlink.monero.escrow.Role;
import io.tensorlink.monero.escrow.SignedMessage;
import io.tensorlink.monero.rpc.WalletRpc;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.tx.RawTransactionManager;

/**
 * One node's part in the XMR escrows of the jobs that pay in Monero (docs/monero.md, "Node flow"), for
 * whichever role its account has in each (job, worker) escrow.
 *
 * <p>After an assignment, the client's node {@link #startAsClient starts} each worker's escrow: it offers
 * the terms (its job's {@link XmrJobTerms}, the deterministic arbiter) to the worker's and the arbiter's
 * nodes, which check them against the chain and their {@link PayoutSettings} and answer with their payout
 * addresses; the final offer carries all three addresses, and each receiver then opens its
 * {@link EscrowParty} and runs the setup rounds. The client commits the multisig address on the
 * XmrEscrowRegistry and funds it; worker and arbiter check the commitment ({@link #ready}). After the
 * job's anchored blocks are final, the worker {@link #release releases} its pay and the client
 * {@link #refund refunds} the rest, each co-signed by the other or, if that node does not answer, by the
 * arbiter. Every step resumes from the node's encrypted escrow store after a restart ({@link #open}).
 */
public final class XmrSettlement implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(XmrSettlement.class);
  private static final Duration RETRY = Duration.ofSeconds(2);

  /**
   * Where this node's share goes and the least it accepts: the worker's pay (it refuses an escrow that
   * cannot pay {@code minPayout}), the arbiter's fee (it refuses a smaller fee), the client's refund.
   */
  public record PayoutSettings(String address, long minPayout) {
    public PayoutSettings {
      MoneroAddress.check(address);
      if (minPayout < 0) {
        throw new IllegalArgumentException("the minimum XMR payout must not be negative, got " + minPayout);
      }
    }
  }

  /**
   * @param dataDir the node's data dir: escrow states in {@code xmr/escrows}, the client's job terms in {@code xmr/jobs}
   * @param account the node's account; it signs the escrow messages and, as client, the commitment
   * @param escrowWallets a wallet-rpc for each escrow this node joins, by escrow id (a wallet-rpc has one wallet open)
   * @param personalWallet the client's own wallet, which funds its escrows
   * @param settings this node's payout settings
   * @param timeout how long an offer or a setup waits for the other parties
   */
  public record Config(Path dataDir, Credentials account, Function<String, WalletRpc> escrowWallets,
      Optional<WalletRpc> personalWallet, PayoutSettings settings, Duration timeout) {
    public Config {
      Objects.requireNonNull(dataDir, "dataDir");
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(escrowWallets, "escrowWallets");
      Objects.requireNonNull(personalWallet, "personalWallet");
      Objects.requireNonNull(settings, "settings");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the XMR setup timeout must be positive, got " + timeout);
      }
    }
  }

  private final Config config;
  private final Web3j web3j;
  private final ContractSuite suite;
  private final XmrEscrowCommitment registry;
  private final AnchoredPayoutPolicy.BlockPayouts payouts;
  private final EscrowTransport transport;
  private final AccountSigner signer;
  private final EscrowStore store;
  private final EscrowRouter router = new EscrowRouter(this::onOffer);
  private final Map<String, CompletableFuture<String>> ready = new ConcurrentHashMap<>();
  private final ExecutorService threads = Executors.newCachedThreadPool(Thread.ofPlatform().name("xmr-escrow-", 0)
      .daemon().factory());

  private XmrSettlement(final Config config, final Web3j web3j, final Deployment deployment,
      final AnchoredPayoutPolicy.BlockPayouts payouts, final EscrowTransport transport) {
    this.config = config;
    this.web3j = web3j;
    this.suite = ContractSuite.connect(web3j, config.account(), deployment);
    this.registry = XmrEscrowCommitment.of(web3j, deployment);
    this.payouts = payouts;
    this.transport = transport;
    this.signer = new AccountSigner(config.account());
    this.store = XmrEscrows.store(config.dataDir(), signer.storeKey());
  }

  /**
   * The node's settlement, with every escrow of its store resumed: a setup or a commitment check that had
   * not finished goes on in the background.
   *
   * @param payouts this node's copy of each anchored block's payout leaves (checked against the chain)
   * @param transport how requests reach the other parties' nodes ({@link Libp2pEscrowTransport})
   */
  public static XmrSettlement open(final Config config, final Web3j web3j, final Deployment deployment,
      final AnchoredPayoutPolicy.BlockPayouts payouts, final EscrowTransport transport) {
    final XmrSettlement s = new XmrSettlement(config, web3j, deployment, payouts, transport);
    for (final EscrowRecord r : s.store.list()) {
      final EscrowParty party = s.join(r.role(), r.terms());
      // Opening a wallet takes seconds in 0.18: done while resuming, so a payout after a restart does not wait on it.
      s.ready.put(r.terms().escrowId(), CompletableFuture.supplyAsync(() -> {
        party.prepareWallet();
        return r.role() == Role.CLIENT ? s.setUpAsClient(party) : s.setUpAndCheck(party);
      }, s.threads));
    }
    return s;
  }

  /** Where this node's {@code /tl/xmr/1.0.0} requests go ({@link XmrStreamHandler}). */
  public EscrowRouter router() {
    return router;
  }

  /**
   * The client's node starts the escrow of an assigned worker of its XMR job: offers, setup, commitment,
   * funding. Completes with the funded multisig address, or fails with the reason (e.g. an
   * IllegalArgumentException when the job has no XMR terms in this data dir, a refused offer).
   */
  public CompletableFuture<String> startAsClient(final BigInteger jobId, final String worker) {
    final String escrowId = XmrEscrows.escrowId(jobId, worker);
    // A start that failed (a party's node was down past the timeout) may be tried again; one under way is shared.
    return ready.compute(escrowId, (id, started) -> started != null && !started.isCompletedExceptionally() ? started
        : CompletableFuture.supplyAsync(() -> {
          final EscrowTerms terms = store.load(id).map(EscrowRecord::terms).orElseGet(() -> agreeTerms(jobId, worker));
          return setUpAsClient(router.party(id).orElseGet(() -> join(Role.CLIENT, terms)));
        }, threads));
  }

  /**
   * Completes with the escrow's multisig address once this node's party is set up and the address is the
   * one committed on chain (and, for the client, funded): a worker works only after that.
   */
  public Optional<CompletableFuture<String>> ready(final String escrowId) {
    return Optional.ofNullable(ready.get(escrowId));
  }

  /** This node's state of every escrow it takes part in. */
  public List<EscrowRecord> records() {
    return router.escrowIds().stream().sorted().flatMap(id -> record(id).stream()).toList();
  }

  /** This node's state of an escrow, if it takes part in it. */
  public Optional<EscrowRecord> record(final String escrowId) {
    return router.party(escrowId).map(EscrowParty::record);
  }

  /**
   * The worker builds the release of its anchored pay (at the escrow's XMR price) and the arbiter's fee;
   * the client's node co-signs, or the arbiter's when the client's does not answer.
   *
   * @throws EscrowException while the evidence is not final, or when both co-signers refuse
   */
  public Settlement release(final String escrowId) {
    final EscrowParty worker = party(escrowId, Role.WORKER);
    return worker.record().settlement(Settlement.Kind.RELEASE)
        .orElseGet(() -> withCosigner(Role.CLIENT, worker::release));
  }

  /** The client sweeps what is left after the release back to its refund address; the worker or the arbiter co-signs. */
  public Settlement refund(final String escrowId) {
    final EscrowParty client = party(escrowId, Role.CLIENT);
    return client.record().settlement(Settlement.Kind.REFUND)
        .orElseGet(() -> withCosigner(Role.WORKER, client::refund));
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }

  // ------------------------------------------------------------------ client

  private EscrowTerms agreeTerms(final BigInteger jobId, final String worker) {
    final XmrJobTerms job = XmrJobTerms.read(config.dataDir(), jobId).orElseThrow(() -> new IllegalArgumentException(
        "job " + jobId + " has no XMR terms in " + XmrJobTerms.file(config.dataDir(), jobId) + ": it pays in TL"));
    final String client = signer.signerId();
    final Map<Role, String> parties = new EnumMap<>(Role.class);
    parties.put(Role.CLIENT, client);
    parties.put(Role.WORKER, ArbiterSelection.normalise(worker));
    parties.put(Role.ARBITER, ArbiterSelection.select(jobId, client, worker, activeValidators()));
    final String escrowId = XmrEscrows.escrowId(jobId, worker);
    final EscrowTerms draft = new EscrowTerms(escrowId, parties, job.deposit(), job.pricePerStep(), job.arbiterFee(),
        job.maxTxFee(), "", config.settings().address(), "");
    final EscrowTerms terms = new EscrowTerms(escrowId, parties, job.deposit(), job.pricePerStep(), job.arbiterFee(),
        job.maxTxFee(), offer(Role.WORKER, draft), config.settings().address(), offer(Role.ARBITER, draft));
    // Open the client's party first: the others start their setup rounds as soon as they accept.
    join(Role.CLIENT, terms);
    for (final Role r : List.of(Role.WORKER, Role.ARBITER)) {
      final String accepted = offer(r, terms);
      if (!accepted.equals(r == Role.WORKER ? terms.workerAddress() : terms.arbiterAddress())) {
        throw new EscrowException(EscrowException.Reason.PROTOCOL, "the " + r + " of " + escrowId
            + " accepted the final offer with another payout address than it gave before");
      }
    }
    LOG.info("escrow {}: the worker and the arbiter {} accepted the terms", escrowId, terms.party(Role.ARBITER));
    return terms;
  }

  /** Sends the offer until the party answers or the timeout passes; returns its payout address. */
  private String offer(final Role to, final EscrowTerms terms) {
    final SignedMessage request = SignedMessage.sign(new Offer(terms.escrowId(), terms.hash(), terms), signer);
    final Instant deadline = Instant.now().plus(config.timeout());
    while (true) {
      try {
        final SignedMessage answer = transport.request(terms.party(to), request);
        if (!answer.signer().equals(terms.party(to))) {
          throw new EscrowException(EscrowException.Reason.PROTOCOL, "the answer to the offer of " + terms.escrowId()
              + " is signed by " + answer.signer() + ", not by the " + to + " " + terms.party(to));
        }
        return switch (answer.open(AccountSigner.VERIFIER)) {
          case OfferAccepted a when a.escrowId().equals(terms.escrowId()) -> {
            MoneroAddress.check(a.payoutAddress());
            yield a.payoutAddress();
          }
          case Refusal r when r.retryable() -> throw new EscrowException(EscrowException.Reason.UNAVAILABLE,
              "the " + to + " cannot answer the offer of " + terms.escrowId() + " now: " + r.reason());
          case Refusal r -> throw new EscrowException(EscrowException.Reason.REFUSED, "the " + to + " refused the offer of "
              + terms.escrowId() + ": " + r.reason());
          case EscrowMessage m -> throw new EscrowException(EscrowException.Reason.PROTOCOL, "the " + to
              + " answered the offer of " + terms.escrowId() + " with " + m.getClass().getSimpleName());
        };
      } catch (final EscrowException e) {
        if (e.reason() != EscrowException.Reason.UNAVAILABLE || Instant.now().isAfter(deadline)) {
          throw e;
        }
        LOG.debug("escrow {}: offer to the {} not answered yet: {}", terms.escrowId(), to, e.getMessage());
        pause();
      }
    }
  }

  private String setUpAsClient(final EscrowParty party) {
    final String escrowId = party.terms().escrowId();
    final String address = party.setup(config.timeout());
    final BigInteger jobId = XmrEscrows.jobIdOf(escrowId);
    final String worker = party.terms().party(Role.WORKER);
    if (registry.committed(jobId, worker).isEmpty()) {
      final String tx = registry.commit(new RawTransactionManager(web3j, config.account(), ChainInfo.chainId(web3j)),
          jobId, worker, address);
      LOG.info("escrow {}: committed {} on the XmrEscrowRegistry in tx {}", escrowId, address, tx);
    }
    final WalletRpc personal = config.personalWallet().orElseThrow(() -> new IllegalStateException(
        "escrow " + escrowId + " is set up and committed, but this node has no personal XMR wallet to fund it from"));
    final EscrowRecord.Funding f = party.fund(personal, registry);
    LOG.info("escrow {}: funded with {} piconero in tx {}", escrowId, f.amount(), f.txid());
    return address;
  }

  // ------------------------------------------------------------------ worker and arbiter

  /** A request for an escrow this node does not hold yet: only an offer is answered, anything else reset. */
  private Optional<SignedMessage> onOffer(final SignedMessage request) {
    final EscrowMessage message;
    try {
      message = request.open(AccountSigner.VERIFIER);
    } catch (final EscrowException e) {
      LOG.warn("refused an xmr request for an unknown escrow: {}", e.getMessage());
      return Optional.empty();
    }
    if (!(message instanceof Offer offer)) {
      return Optional.empty();
    }
    try {
      return Optional.of(SignedMessage.sign(accept(request.signer(), offer), signer));
    } catch (final EscrowException | IllegalArgumentException e) {
      LOG.warn("escrow {}: refused the offer from {}: {}", offer.escrowId(), request.signer(), e.getMessage());
      final boolean retryable = e instanceof EscrowException ee && ee.reason() == EscrowException.Reason.UNAVAILABLE;
      return Optional.of(SignedMessage.sign(new Refusal(offer.escrowId(), offer.termsHash(), e.getMessage(), retryable),
          signer));
    }
  }

  /** Checks an offer against the chain and this node's settings; opens the party when the offer is final. */
  private OfferAccepted accept(final String from, final Offer offer) {
    final EscrowTerms t = offer.terms();
    if (!t.escrowId().equals(offer.escrowId()) || !t.hash().equals(offer.termsHash())) {
      throw refused("the offer's escrow id or terms hash does not match its terms");
    }
    if (!from.equals(t.party(Role.CLIENT))) {
      throw refused("the offer is signed by " + from + ", not by the escrow's client " + t.party(Role.CLIENT));
    }
    final Role mine = t.roleOf(signer.signerId()).filter(r -> r != Role.CLIENT).orElseThrow(() ->
        refused("this node's account " + signer.signerId() + " is neither the worker nor the arbiter of " + t.escrowId()));
    final BigInteger jobId = XmrEscrows.jobIdOf(t.escrowId());
    final String worker = t.party(Role.WORKER);
    if (!t.escrowId().equals(XmrEscrows.escrowId(jobId, worker))) {
      throw refused("escrow id " + t.escrowId() + " does not name job " + jobId + "'s worker " + worker);
    }
    checkOnChain(jobId, t);
    final long share = mine == Role.WORKER ? t.workerCap() : t.arbiterFee();
    if (share < config.settings().minPayout()) {
      throw refused("the escrow can pay this " + mine + " at most " + share + " piconero, below its minimum payout "
          + config.settings().minPayout());
    }
    final String own = mine == Role.WORKER ? t.workerAddress() : t.arbiterAddress();
    if (!own.isEmpty()) {
      if (!own.equals(config.settings().address())) {
        throw refused("the offer pays this " + mine + "'s share to " + own + ", not to its payout address");
      }
      MoneroAddress.check(t.workerAddress());
      MoneroAddress.check(t.arbiterAddress());
      MoneroAddress.check(t.clientRefundAddress());
      if (router.party(t.escrowId()).isEmpty()) {
        final EscrowParty party = join(mine, t);
        ready.put(t.escrowId(), CompletableFuture.supplyAsync(() -> setUpAndCheck(party), threads));
        LOG.info("escrow {}: accepted the terms as {}", t.escrowId(), mine);
      }
    }
    return new OfferAccepted(t.escrowId(), t.hash(), config.settings().address());
  }

  /** The client is the job's, the worker is assigned to it, and the arbiter is the deterministic one. */
  private void checkOnChain(final BigInteger jobId, final EscrowTerms t) {
    final JobEscrow.Job job;
    final boolean assigned;
    try {
      job = suite.escrow().getJob(jobId).send();
      assigned = suite.escrow().isAssigned(jobId, t.party(Role.WORKER)).send();
    } catch (final Exception e) {
      throw new EscrowException(EscrowException.Reason.UNAVAILABLE, "cannot read job " + jobId + " from the chain: "
          + e.getMessage(), e);
    }
    if (!job.client.equalsIgnoreCase(t.party(Role.CLIENT))) {
      throw refused("the client of job " + jobId + " on chain is " + job.client + ", not " + t.party(Role.CLIENT));
    }
    if (!assigned) {
      throw refused(t.party(Role.WORKER) + " is not assigned to job " + jobId + " on chain");
    }
    final String arbiter = ArbiterSelection.select(jobId, t.party(Role.CLIENT), t.party(Role.WORKER), activeValidators());
    if (!arbiter.equals(t.party(Role.ARBITER))) {
      throw refused("the arbiter of " + t.escrowId() + " is " + arbiter + ", not " + t.party(Role.ARBITER));
    }
  }

  /** Worker and arbiter: the setup rounds, then the commitment check, retried until the client commits. */
  private String setUpAndCheck(final EscrowParty party) {
    final String address = party.setup(config.timeout());
    final Instant deadline = Instant.now().plus(config.timeout());
    while (true) {
      try {
        party.verifyCommitment(registry);
        LOG.info("escrow {}: {} checked the committed address {}", party.terms().escrowId(), party.role(), address);
        return address;
      } catch (final EscrowException e) {
        if (e.reason() == EscrowException.Reason.REFUSED || Instant.now().isAfter(deadline)) {
          throw e;
        }
        pause();
      }
    }
  }

  // ------------------------------------------------------------------ shared

  private EscrowParty join(final Role role, final EscrowTerms terms) {
    final BigInteger tlPerStep;
    try {
      tlPerStep = suite.escrow().getJob(XmrEscrows.jobIdOf(terms.escrowId())).send().pricePerStep;
    } catch (final Exception e) {
      throw new EscrowException(EscrowException.Reason.UNAVAILABLE, "cannot read the TL price of " + terms.escrowId()
          + " from the chain: " + e.getMessage(), e);
    }
    final AnchoredPayoutPolicy policy = new AnchoredPayoutPolicy(web3j, suite, payouts, XmrEscrows.jobIdOf(terms.escrowId()),
        terms.party(Role.WORKER), new AnchoredPayoutPolicy.Rate(tlPerStep, terms.pricePerStep()));
    final EscrowParty party = EscrowParty.open(new EscrowParty.Config(role, terms,
        config.escrowWallets().apply(terms.escrowId()), "", signer, AccountSigner.VERIFIER, transport, store, policy));
    router.add(party);
    return party;
  }

  private Settlement withCosigner(final Role first, final Function<Role, Settlement> payout) {
    try {
      return payout.apply(first);
    } catch (final EscrowException e) {
      if (e.reason() != EscrowException.Reason.UNAVAILABLE) {
        throw e;
      }
      LOG.info("the {} does not answer ({}); asking the arbiter to co-sign", first, e.getMessage());
      return payout.apply(Role.ARBITER);
    }
  }

  private EscrowParty party(final String escrowId, final Role role) {
    final EscrowParty p = router.party(escrowId).orElseThrow(() -> new IllegalArgumentException(
        "this node takes no part in escrow " + escrowId));
    if (p.role() != role) {
      throw new IllegalArgumentException("this node is the " + p.role() + " of escrow " + escrowId + ", not its " + role);
    }
    return p;
  }

  private List<String> activeValidators() {
    try {
      return suite.stakeManager().activeValidators().send().component1();
    } catch (final Exception e) {
      throw new EscrowException(EscrowException.Reason.UNAVAILABLE, "cannot read the active validators: " + e.getMessage(), e);
    }
  }

  private static EscrowException refused(final String why) {
    return new EscrowException(EscrowException.Reason.REFUSED, why);
  }

  private static void pause() {
    try {
      Thread.sleep(RETRY.toMillis());
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EscrowException(EscrowException.Reason.UNAVAILABLE, "interrupted", e);
    }
  }
}
