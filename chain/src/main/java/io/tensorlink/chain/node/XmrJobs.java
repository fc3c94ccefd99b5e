package io.tensorlink.chain.node;

import io.tensorlink.chain.job.market.MarketJob;
import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.xmr.EscrowWalletServers;
import io.tensorlink.chain.xmr.Libp2pEscrowTransport;
import io.tensorlink.chain.xmr.XmrEscrows;
import io.tensorlink.chain.xmr.XmrJobTerms;
import io.tensorlink.chain.xmr.XmrProtocol;
import io.tensorlink.chain.xmr.XmrSettlement;
import io.tensorlink.chain.xmr.XmrStreamHandler;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.deploy.Deployment;
import io.tensorlink.monero.escrow.EscrowException;
import io.tensorlink.monero.escrow.EscrowMessage.Settlement;
import io.tensorlink.monero.escrow.EscrowRecord;
import io.tensorlink.monero.escrow.Role;
import io.tensorlink.monero.regtest.MoneroBinaries;
import io.tensorlink.monero.rpc.WalletRpc;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;

/**
 * The node's part in its XMR jobs (docs/monero.md), whatever its role in each: it serves
 * {@code /tl/xmr/1.0.0} from an {@link XmrSettlement}, starts one wallet-rpc per escrow, and drives
 * each escrow to its end. As the client of a job {@code tl-cli job create --pay xmr} saved terms
 * for, it starts an escrow with each assigned worker; once the job has ended on chain (completed or
 * cancelled), the worker releases its anchored pay as soon as every block is final, and the client,
 * once it has co-signed that release, sweeps the rest back (retried until the release's change is
 * spendable). A worker or an arbiter answers offers without being asked.
 */
public final class XmrJobs implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(XmrJobs.class);
  private static final Duration SETTLE_EVERY = Duration.ofSeconds(5);
  /** {@code IJobEscrow.JobStatus.Completed}; Cancelled and Refunded follow it. */
  private static final int JOB_COMPLETED = 3;

  /**
   * The node's XMR settings.
   *
   * @param dataDir where the escrow states ({@code xmr/escrows}), the client's job terms ({@code xmr/jobs})
   *     and the escrow wallets ({@code xmr/wallet-rpc}) live: the CLI's data dir, read by {@code tl-cli xmr}
   * @param binaries the monero-wallet-rpc each escrow runs
   * @param daemonAddress the monerod ({@code host:port}) the escrow wallets use
   * @param personalWallet the client's own wallet, open in a wallet-rpc, which funds its escrows
   * @param payout this node's payout address and minimum payout
   * @param timeout how long an offer or a setup waits for the other parties
   */
  public record Settings(Path dataDir, MoneroBinaries binaries, String daemonAddress, Optional<WalletRpc> personalWallet,
      XmrSettlement.PayoutSettings payout, Duration timeout) {
    public Settings {
      Objects.requireNonNull(dataDir, "dataDir");
      Objects.requireNonNull(binaries, "binaries");
      Objects.requireNonNull(personalWallet, "personalWallet");
      Objects.requireNonNull(payout, "payout");
      if (daemonAddress == null || !daemonAddress.matches("[A-Za-z0-9.\\-]+:[0-9]{1,5}")) {
        throw new IllegalArgumentException("the monerod address must be host:port, got " + daemonAddress);
      }
    }
  }

  private final Settings settings;
  private final ContractSuite suite;
  private final EthAddress self;
  private final AssignmentPayouts payouts;
  private final EscrowWalletServers wallets;
  private final XmrSettlement settlement;
  private final ExecutorService handlers = Executors.newCachedThreadPool(
      Thread.ofPlatform().name("xmr-stream-", 0).daemon().factory());
  private final ScheduledExecutorService settler = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("xmr-settle").daemon().factory());
  /** Escrows the client still has to start (their worker's node was not reachable yet): escrow id → job. */
  private final Map<String, BigInteger> toStart = new ConcurrentHashMap<>();
  private final Set<BigInteger> ended = ConcurrentHashMap.newKeySet();
  /** The last reason each escrow's payout waited for, so that each reason is logged once. */
  private final Map<String, String> waiting = new ConcurrentHashMap<>();

  private XmrJobs(final Settings settings, final StandaloneNode node, final Credentials account, final Web3j web3j,
      final Deployment deployment, final Function<EthAddress, Optional<Multiaddr>> addressOf) {
    this.settings = settings;
    this.suite = ContractSuite.connect(web3j, account, deployment);
    this.self = EthAddress.of(account.getAddress());
    this.payouts = new AssignmentPayouts(suite);
    this.wallets = new EscrowWalletServers(settings.binaries(), settings.dataDir(), settings.daemonAddress());
    this.settlement = XmrSettlement.open(new XmrSettlement.Config(settings.dataDir(), account, wallets,
        settings.personalWallet(), settings.payout(), settings.timeout()), web3j, deployment, payouts,
        new Libp2pEscrowTransport(node.host(), a -> addressOf.apply(EthAddress.of(a)), settings.timeout()));
    node.host().setStreamHandler(XmrProtocol.ID, new XmrStreamHandler(settlement.router(), handlers));
  }

  /**
   * Serves the node's escrows (those of its store resumed) and settles them as their jobs end.
   *
   * @param addressOf where an account's node listens, with its {@code /p2p/<peer id>}
   */
  static XmrJobs start(final Settings settings, final StandaloneNode node, final Credentials account,
      final Web3j web3j, final Deployment deployment, final Function<EthAddress, Optional<Multiaddr>> addressOf) {
    final XmrJobs jobs = new XmrJobs(settings, node, account, web3j, deployment, addressOf);
    jobs.settler.scheduleWithFixedDelay(jobs::tick, SETTLE_EVERY.toMillis(), SETTLE_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
    LOG.info("xmr settlement on: payouts to {}, escrow wallets on monerod {}", settings.payout().address(),
        settings.daemonAddress());
    return jobs;
  }

  /**
   * An assignment (or, after a takeover, an effective one) of a job this node follows: its blocks'
   * payout leaves are rebuilt from it, and a client with XMR terms for the job starts its escrows.
   */
  void onAssigned(final MarketJob job, final Assignment assignment) {
    follow(assignment);
    if (!job.client().equals(self)) {
      return;
    }
    final Optional<XmrJobTerms> terms;
    try {
      terms = XmrJobTerms.read(settings.dataDir(), job.jobId());
    } catch (RuntimeException e) {
      LOG.error("job {}: cannot read its XMR terms: {}", job.jobId(), e.getMessage());
      return;
    }
    if (terms.isEmpty()) {
      return; // a TL job
    }
    assignment.workers().stream().distinct().forEach(w ->
        toStart.put(XmrEscrows.escrowId(job.jobId(), w.toString()), job.jobId()));
    settler.execute(this::startPending);
  }

  /**
   * Rebuilds the payout leaves of {@code assignment}'s blocks: also for a job that ended while this
   * node was down, whose escrows it resumed from its store.
   */
  void follow(final Assignment assignment) {
    payouts.follow(assignment);
  }

  /** Starts each escrow that waits; one whose parties do not answer yet waits for the next round. */
  private void startPending() {
    for (final String escrowId : Set.copyOf(toStart.keySet())) {
      final BigInteger jobId = toStart.remove(escrowId);
      if (jobId == null) {
        continue;
      }
      final String worker = escrowId.substring(escrowId.indexOf('/') + 1);
      final long started = System.nanoTime();
      settlement.startAsClient(jobId, worker).whenComplete((address, e) -> {
        if (e == null) {
          LOG.info("escrow {}: set up and funded at {} in {} ms (offers, setup rounds, commitment, funding)", escrowId,
              address, (System.nanoTime() - started) / 1_000_000);
        } else if (retryable(e)) {
          toStart.put(escrowId, jobId);
          LOG.info("escrow {}: not set up yet, trying again: {}", escrowId, message(e));
        } else {
          LOG.error("escrow {}: cannot be set up: {}", escrowId, message(e));
        }
      });
    }
  }

  /** Starts what waits to start, then pays what is due. */
  private void tick() {
    try {
      if (!toStart.isEmpty()) {
        startPending();
      }
      for (final EscrowRecord r : settlement.records()) {
        settle(r);
      }
    } catch (RuntimeException e) {
      LOG.warn("xmr settlement round failed, trying again: {}", e.getMessage());
    }
  }

  private void settle(final EscrowRecord r) {
    final String escrowId = r.terms().escrowId();
    final boolean released = r.settlement(Settlement.Kind.RELEASE).isPresent();
    final boolean due = switch (r.role()) {
      case WORKER -> !released;
      case CLIENT -> released && r.settlement(Settlement.Kind.REFUND).isEmpty();
      case ARBITER -> false;
    };
    if (!due || !r.ready() || !ended(XmrEscrows.jobIdOf(escrowId))) {
      return;
    }
    try {
      final long started = System.nanoTime();
      final Settlement s = r.role() == Role.WORKER ? settlement.release(escrowId) : settlement.refund(escrowId);
      waiting.remove(escrowId);
      LOG.info("escrow {}: {} paid in {} ms, tx {} (network fee {} piconero): {}", escrowId, s.kind(),
          (System.nanoTime() - started) / 1_000_000, s.txHashes(), s.fee(),
          s.proofs().stream().map(p -> p.amount() + " piconero to " + p.address()).toList());
    } catch (EscrowException | IllegalStateException e) {
      if (!e.getMessage().equals(waiting.put(escrowId, e.getMessage()))) {
        LOG.info("escrow {}: the {} waits: {}", escrowId, r.role() == Role.WORKER ? "release" : "refund", e.getMessage());
      }
    }
  }

  /** Whether the job's escrow has ended it (completed or cancelled): its last block is then known. */
  private boolean ended(final BigInteger jobId) {
    if (ended.contains(jobId)) {
      return true;
    }
    try {
      if (suite.escrow().getJob(jobId).send().status.intValueExact() >= JOB_COMPLETED) {
        ended.add(jobId);
        return true;
      }
      return false;
    } catch (Exception e) {
      throw new IllegalStateException("cannot read job " + jobId + " from the escrow: " + e.getMessage(), e);
    }
  }

  private static boolean retryable(final Throwable e) {
    final Throwable cause = e.getCause() != null && !(e instanceof EscrowException) ? e.getCause() : e;
    return cause instanceof EscrowException ee && ee.reason() == EscrowException.Reason.UNAVAILABLE;
  }

  private static String message(final Throwable e) {
    return (e.getCause() != null && !(e instanceof EscrowException) ? e.getCause() : e).getMessage();
  }

  @Override
  public void close() {
    settler.shutdownNow();
    settlement.close();
    handlers.shutdownNow();
    wallets.close();
  }
}
