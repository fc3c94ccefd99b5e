package io.tensorlink.monero.escrow;

import io.tensorlink.monero.escrow.EscrowMessage.MultisigSync;
import io.tensorlink.monero.escrow.EscrowMessage.NotReady;
import io.tensorlink.monero.escrow.EscrowMessage.PayoutDone;
import io.tensorlink.monero.escrow.EscrowMessage.PayoutProposal;
import io.tensorlink.monero.escrow.EscrowMessage.Refusal;
import io.tensorlink.monero.escrow.EscrowMessage.Settlement;
import io.tensorlink.monero.escrow.EscrowMessage.SetupRound;
import io.tensorlink.monero.escrow.EscrowRecord.Cosigned;
import io.tensorlink.monero.escrow.EscrowRecord.Funding;
import io.tensorlink.monero.escrow.EscrowRecord.Pending;
import io.tensorlink.monero.rpc.MoneroErrorKind;
import io.tensorlink.monero.rpc.MoneroRpcException;
import io.tensorlink.monero.rpc.WalletRpc;
import io.tensorlink.monero.rpc.WalletRpc.Destination;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One party (client, worker or arbiter) of one 2-of-3 escrow: runs the setup rounds, funds (client),
 * builds payouts and answers the other parties' requests ({@link #handle}). Every step is stored before
 * its result leaves the node, so a party rebuilt by {@link #open} from the same store resumes
 * mid-setup or mid-payout.
 *
 * <p>Thread-safety: {@link #handle} may run on transport threads while {@link #setup} or a payout runs
 * on another. Two locks, never held while waiting on another party: {@code walletLock} serialises the
 * escrow wallet's calls (and the steps made of several), {@code stateLock} guards the record and its
 * file and is held only briefly, never during a wallet call (order: walletLock, then stateLock). So a
 * setup message is stored and answered at once even while this party's wallet is still being created,
 * opened or is down. Before, the senders waited on the wallet, and the setup thread read the record
 * unlocked while the released senders wrote it: the likely cause of issue 13's restart race (docs/monero.md).
 */
public final class EscrowParty {
  private static final Logger LOG = LoggerFactory.getLogger(EscrowParty.class);
  private static final int THRESHOLD = 2;
  private static final Duration POLL = Duration.ofMillis(100);
  /** Rounds exchanged as messages; a fourth, local exchange_multisig_keys finishes the wallet. */
  private static final int ROUNDS = 3;
  private static final int DAEMON_RETRIES = 3;
  /** wallet-rpc's WALLET_RPC_ERROR_CODE_WALLET_ALREADY_EXISTS. */
  private static final int WALLET_ALREADY_EXISTS = -21;

  private final Config config;
  private final EscrowTerms terms;
  private final String termsHash;
  private final EscrowRecord rec;
  private final Object walletLock = new Object();
  private final Object stateLock = new Object();
  /** Guarded by walletLock. */
  private boolean walletOpen;

  /**
   * @param escrowWallet a wallet-rpc for this party's escrow wallet (a fresh wallet is created in it;
   *     the party's personal wallet stays elsewhere)
   * @param walletPassword password of the escrow wallet file
   */
  public record Config(Role role, EscrowTerms terms, WalletRpc escrowWallet, String walletPassword,
      MessageSigner signer, SignatureVerifier verifier, EscrowTransport transport, EscrowStore store,
      PayoutPolicy policy) {
    public Config {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(terms, "terms");
      Objects.requireNonNull(escrowWallet, "escrowWallet");
      Objects.requireNonNull(walletPassword, "walletPassword");
      Objects.requireNonNull(signer, "signer");
      Objects.requireNonNull(verifier, "verifier");
      Objects.requireNonNull(transport, "transport");
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(policy, "policy");
      if (!signer.signerId().equals(terms.party(role))) {
        throw new IllegalArgumentException("the signer " + signer.signerId() + " is not the " + role
            + " of escrow " + terms.escrowId());
      }
    }

    @Override
    public String toString() {
      return "Config[" + role + " of " + terms.escrowId() + "]";
    }
  }

  private EscrowParty(final Config config, final EscrowRecord rec) {
    this.config = config;
    this.terms = config.terms();
    this.termsHash = terms.hash();
    this.rec = rec;
  }

  /** This party's escrow, resumed from the store if it has a record, otherwise new. */
  public static EscrowParty open(final Config config) {
    final EscrowTerms terms = config.terms();
    final EscrowRecord rec = config.store().load(terms.escrowId())
        .orElseGet(() -> new EscrowRecord(terms, config.role(),
            "escrow-" + EscrowStore.shortHash(terms.escrowId() + "/" + config.role())));
    if (!rec.terms().hash().equals(terms.hash()) || rec.role() != config.role()) {
      throw new EscrowException(EscrowException.Reason.STATE, "the stored escrow " + terms.escrowId()
          + " has other terms or another role than the ones given");
    }
    return new EscrowParty(config, rec);
  }

  public Role role() {
    return config.role();
  }

  public EscrowTerms terms() {
    return terms;
  }

  /** A snapshot of the stored state (a copy: the party's own record changes under its lock). */
  public EscrowRecord record() {
    synchronized (stateLock) {
      return rec.copy();
    }
  }

  // ---------------------------------------------------------------- setup

  /**
   * Creates (or opens) this party's escrow wallet ahead of {@link #setup}: wallet creation is the slow
   * part (seconds of CPU in 0.18), so a node can do it when it bids, before the parties are known.
   */
  public void prepareWallet() {
    synchronized (walletLock) {
      ensureWallet();
    }
  }

  /**
   * Runs (or resumes) the setup rounds with the two other parties until the escrow wallet is a ready
   * 2-of-3 multisig whose address all three computed alike; returns that address.
   */
  public String setup(final Duration timeout) {
    final Instant deadline = Instant.now().plus(timeout);
    for (int round = 1; round <= ROUNDS; round++) {
      computeOwnRoundUntil(round, deadline);
      for (final Role peer : others()) {
        awaitPeerRound(round, peer, deadline);
      }
    }
    finishSetup();
    synchronized (stateLock) {
      return rec.multisigAddress().orElseThrow();
    }
  }

  /**
   * This party's own round, retried while its wallet-rpc cannot be reached (down or restarting): the
   * peers' messages meanwhile are stored by {@link #handle}, so nothing is lost while the wallet is away.
   */
  private void computeOwnRoundUntil(final int round, final Instant deadline) {
    while (true) {
      try {
        computeOwnRound(round);
        return;
      } catch (final EscrowException e) {
        if (e.reason() != EscrowException.Reason.UNAVAILABLE || Instant.now().isAfter(deadline)) {
          throw e;
        }
        LOG.info("escrow {}: {} waits for its escrow wallet before setup round {}: {}", terms.escrowId(),
            config.role(), round, e.getMessage());
        sleep(POLL.multipliedBy(10));
      }
    }
  }

  private void computeOwnRound(final int round) {
    synchronized (walletLock) {
      final List<String> inputs;
      synchronized (stateLock) {
        if (rec.ownRound(round).isPresent()) {
          return;
        }
        if (rec.roundInFlight() == round && round > 1) {
          throw new EscrowException(EscrowException.Reason.STATE, "setup round " + round + " of " + terms.escrowId()
              + " was interrupted inside the wallet call and its result is lost; this escrow cannot complete:"
              + " set up a new one (nothing was funded)");
        }
        inputs = round == 1 ? List.of() : others().stream().map(r -> rec.peerRound(round - 1).get(r)).toList();
        rec.startRound(round);
        save();
      }
      final String info;
      String address = null;
      final long started = System.nanoTime();
      try {
        switch (round) {
          case 1 -> info = wallet("prepare_multisig", WalletRpc::prepareMultisig);
          case 2 -> info = wallet("make_multisig", w -> w.makeMultisig(inputs, THRESHOLD, config.walletPassword())).multisigInfo();
          default -> {
            final WalletRpc.MultisigRoundResult r = wallet("exchange_multisig_keys",
                w -> w.exchangeMultisigKeys(inputs, config.walletPassword()));
            info = r.multisigInfo();
            // 0.18 fills the answer's address only once the wallet is ready (after the local, final exchange);
            // the account's keys, hence get_address, are final already after this round.
            address = r.address() == null || r.address().isBlank() ? wallet("get_address", WalletRpc::address) : r.address();
          }
        }
      } catch (final EscrowException e) {
        if (e.getCause() instanceof MoneroRpcException m && m.neverReachedServer()) {
          // Refused connection: the wallet never saw the call, so the round can simply be run again.
          update(() -> rec.startRound(0));
        }
        throw e;
      }
      synchronized (stateLock) {
        if (address != null) {
          for (final var e : rec.peerAddresses().entrySet()) {
            requireSameAddress(e.getKey(), e.getValue(), address);
          }
        }
        rec.putOwnRound(round, info, address);
        save();
      }
      LOG.info("escrow {}: {} computed setup round {} in {} ms", terms.escrowId(), config.role(), round,
          (System.nanoTime() - started) / 1_000_000);
      wallet("store", w -> {
        w.store();
        return null;
      });
    }
  }

  private void awaitPeerRound(final int round, final Role peer, final Instant deadline) {
    EscrowException last = null;
    while (!hasPeerRound(round, peer)) {
      if (Instant.now().isAfter(deadline)) {
        throw new EscrowException(EscrowException.Reason.TIMEOUT, "setup round " + round + " of " + terms.escrowId()
            + ": no message from the " + peer + " in time" + (last == null ? "" : " (last error: " + last.getMessage() + ")"), last);
      }
      try {
        final EscrowMessage reply = ask(peer, ownSetupRound(round).orElseThrow());
        switch (reply) {
          case SetupRound s when s.round() == round -> accept(peer, s);
          case NotReady n -> sleep(POLL);
          case Refusal r -> throw new EscrowException(r.retryable() ? EscrowException.Reason.UNAVAILABLE
              : EscrowException.Reason.REFUSED, "the " + peer + " refused setup round " + round + ": " + r.reason());
          default -> throw new EscrowException(EscrowException.Reason.PROTOCOL,
              "the " + peer + " answered setup round " + round + " with " + reply.getClass().getSimpleName());
        }
      } catch (final EscrowException e) {
        if (e.reason() != EscrowException.Reason.UNAVAILABLE) {
          throw e;
        }
        last = e; // the peer may be restarting: keep asking until the deadline
        sleep(POLL.multipliedBy(5));
      }
    }
  }

  private boolean hasPeerRound(final int round, final Role peer) {
    synchronized (stateLock) {
      return rec.peerRound(round).containsKey(peer);
    }
  }

  /** This party's message of {@code round}, if it computed it. */
  private Optional<SetupRound> ownSetupRound(final int round) {
    synchronized (stateLock) {
      return rec.ownRound(round).map(info -> new SetupRound(terms.escrowId(), termsHash, round, info,
          round == ROUNDS ? rec.multisigAddress().orElseThrow() : null));
    }
  }

  /** Stores a peer's setup message (never waits on the wallet: {@link #handle} calls it for setup requests). */
  private void accept(final Role from, final SetupRound s) {
    synchronized (stateLock) {
      if (s.round() < 1 || s.round() > ROUNDS) {
        throw new EscrowException(EscrowException.Reason.PROTOCOL, "setup round " + s.round() + " from the " + from
            + " does not exist (rounds are 1.." + ROUNDS + ")");
      }
      if (s.multisigInfo() == null || !s.multisigInfo().startsWith("Multisig")) {
        throw new EscrowException(EscrowException.Reason.PROTOCOL, "setup round " + s.round() + " from the " + from
            + " carries no multisig key-exchange message");
      }
      if (s.round() == ROUNDS) {
        if (s.address() == null || s.address().isBlank()) {
          throw new EscrowException(EscrowException.Reason.PROTOCOL, "setup round 3 from the " + from
              + " does not state its multisig address");
        }
        if (rec.multisigAddress().isPresent()) {
          requireSameAddress(from, s.address(), rec.multisigAddress().get());
        }
      }
      final String known = rec.peerRound(s.round()).get(from);
      if (known != null) {
        if (!known.equals(s.multisigInfo())) {
          throw new EscrowException(EscrowException.Reason.PROTOCOL, "the " + from + " sent a different setup round "
              + s.round() + " message than before; refusing it");
        }
        return;
      }
      update(() -> rec.putPeerRound(s.round(), from, s.multisigInfo(), s.round() == ROUNDS ? s.address() : null));
    }
  }

  private void requireSameAddress(final Role from, final String theirs, final String ours) {
    if (!theirs.equals(ours)) {
      throw new EscrowException(EscrowException.Reason.PROTOCOL, "the " + from + " states multisig address " + theirs
          + " but this wallet computed " + ours + ": the setup messages disagree; do not fund this escrow");
    }
  }

  private void finishSetup() {
    synchronized (walletLock) {
      final List<String> inputs;
      synchronized (stateLock) {
        if (rec.ready()) {
          return;
        }
        inputs = others().stream().map(r -> rec.peerRound(ROUNDS).get(r)).toList();
      }
      WalletRpc.MultisigStatus status = wallet("is_multisig", WalletRpc::isMultisig);
      if (!status.ready()) {
        wallet("exchange_multisig_keys", w -> w.exchangeMultisigKeys(inputs, config.walletPassword()));
        status = wallet("is_multisig", WalletRpc::isMultisig);
      }
      if (!status.ready() || status.threshold() != THRESHOLD || status.total() != 3) {
        throw new EscrowException(EscrowException.Reason.STATE, "escrow wallet is not a ready 2-of-3 multisig: " + status);
      }
      final String address = wallet("get_address", WalletRpc::address);
      synchronized (stateLock) {
        requireSameAddress(config.role(), address, rec.multisigAddress().orElseThrow());
        rec.markReady();
        save();
      }
      wallet("store", w -> {
        w.store();
        return null;
      });
      LOG.info("escrow {} ready as {}: {}", terms.escrowId(), config.role(), address);
    }
  }

  // ---------------------------------------------------------------- funding

  /**
   * Checks that this escrow's multisig address is the committed one (any party; the worker before it
   * works); an {@link EscrowException} otherwise.
   */
  public void verifyCommitment(final AddressCommitment commitment) {
    requireReady();
    final String address;
    synchronized (stateLock) {
      address = rec.multisigAddress().orElseThrow();
    }
    commitment.verify(terms.escrowId(), address);
  }

  /**
   * The client deposits {@link EscrowTerms#deposit()} from its personal wallet, once only, and only to
   * the address {@code commitment} holds (checked before anything is sent).
   */
  public Funding fund(final WalletRpc clientWallet, final AddressCommitment commitment) {
    requireRole(Role.CLIENT, "fund");
    synchronized (walletLock) {
      requireReady();
      if (rec.funding().isPresent()) {
        return rec.funding().get();
      }
      verifyCommitment(commitment);
      if (rec.fundingStarted()) {
        // The transfer may have gone out before the crash: sending again could fund twice.
        throw new EscrowException(EscrowException.Reason.STATE, "funding of " + terms.escrowId() + " was interrupted;"
            + " check the client wallet's outgoing transfers to " + rec.multisigAddress().orElseThrow()
            + " before funding again");
      }
      update(() -> rec.startFunding());
      final String address = rec.multisigAddress().orElseThrow();
      final WalletRpc.TransferResult t;
      try {
        // wallet-rpc refreshes on its own timer; without this a freshly unlocked balance may not be seen yet.
        clientWallet.refresh();
        t = clientWallet.transfer(List.of(new Destination(terms.deposit(), address)));
      } catch (final MoneroRpcException e) {
        if (e.code() != 0) {
          // The wallet answered with an error: nothing was sent, so funding may be tried again.
          update(() -> rec.stopFunding());
        }
        throw e;
      }
      final String proof = clientWallet.txProof(t.txHash(), address, terms.escrowId());
      final Funding f = new Funding(t.txHash(), t.txKey(), terms.deposit(), t.fee(),
          new PaymentProof(t.txHash(), address, terms.deposit(), terms.escrowId(), proof));
      update(() -> rec.setFunding(f));
      return f;
    }
  }

  /** The escrow wallet's balance after a refresh. */
  public WalletRpc.Balance balance() {
    return wallet("get_balance", w -> {
      w.refresh();
      return w.balance();
    });
  }

  // ---------------------------------------------------------------- payouts (builder side)

  /** Builds the release this party's {@link PayoutPolicy} verifies and has {@code cosigner} sign and submit it. */
  public Settlement release(final Role cosigner) {
    final ReleasePlan plan = config.policy().releasePlan(terms).orElseThrow(() -> new EscrowException(
        EscrowException.Reason.STATE, "no final evidence of verified work for " + terms.escrowId() + " yet"));
    return proposeRelease(cosigner, plan.destinations(terms));
  }

  /**
   * Builds a release paying {@code destinations} and has {@code cosigner} check, sign and submit it. The
   * co-signer refuses anything but its own verified plan; {@link #release} is the honest call.
   */
  public Settlement proposeRelease(final Role cosigner, final List<Destination> destinations) {
    if (destinations.isEmpty()) {
      throw new EscrowException(EscrowException.Reason.STATE, "nothing to release for " + terms.escrowId()
          + " (no verified work and no arbiter fee): refund instead");
    }
    return propose(Settlement.Kind.RELEASE, cosigner, destinations,
        w -> {
          final WalletRpc.TransferResult t = w.transfer(destinations);
          return new Pending(Settlement.Kind.RELEASE, terms.party(cosigner), t.multisigTxset(), t.txKey(), destinations);
        });
  }

  /** Sweeps what is left to the client's refund address, co-signed by {@code cosigner}; after the release, if any. */
  public Settlement refund(final Role cosigner) {
    return propose(Settlement.Kind.REFUND, cosigner, List.of(),
        w -> {
          final WalletRpc.SweepResult s = w.sweepAll(terms.clientRefundAddress());
          final String txKey = s.txKeyList() == null || s.txKeyList().isEmpty() ? "" : s.txKeyList().getFirst();
          return new Pending(Settlement.Kind.REFUND, terms.party(cosigner), s.multisigTxset(), txKey, List.of());
        });
  }

  private Settlement propose(final Settlement.Kind kind, final Role cosigner, final List<Destination> destinations,
      final Function<WalletRpc, Pending> build) {
    if (cosigner == config.role()) {
      throw new IllegalArgumentException("the co-signer must be another party, not the " + cosigner);
    }
    requireReady();
    Pending pending;
    synchronized (stateLock) {
      pending = rec.pending()
          .filter(p -> p.kind() == kind && p.cosigner().equals(terms.party(cosigner)) && p.destinations().equals(destinations))
          .orElse(null);
    }
    if (pending == null) {
      sync(cosigner);
      synchronized (walletLock) {
        final Pending built = wallet(kind == Settlement.Kind.RELEASE ? "transfer" : "sweep_all", build);
        update(() -> rec.setPending(built));
        pending = built;
      }
    } else {
      LOG.info("escrow {}: re-proposing the stored {} to the {}", terms.escrowId(), kind, cosigner);
    }
    final Settlement release;
    synchronized (stateLock) {
      release = kind == Settlement.Kind.REFUND ? rec.settlement(Settlement.Kind.RELEASE).orElse(null) : null;
    }
    final EscrowMessage reply = ask(cosigner, new PayoutProposal(terms.escrowId(), termsHash, kind,
        pending.multisigTxset(), pending.txKey(), release));
    switch (reply) {
      case PayoutDone d -> {
        checkProofs(d.settlement(), kind, destinations);
        synchronized (walletLock) {
          update(() -> {
            rec.addSettlement(d.settlement());
            rec.setPending(null);
          });
        }
        LOG.info("escrow {}: {} submitted by the {} in {}", terms.escrowId(), kind, cosigner, d.settlement().txHashes());
        return d.settlement();
      }
      case Refusal r when r.retryable() -> throw new EscrowException(EscrowException.Reason.UNAVAILABLE, "the " + cosigner
          + " cannot co-sign the " + kind + " now (the proposal is kept; retry): " + r.reason());
      case Refusal r -> {
        synchronized (walletLock) {
          update(() -> rec.setPending(null));
        }
        throw new EscrowException(EscrowException.Reason.REFUSED, "the " + cosigner + " refused the " + kind + ": " + r.reason());
      }
      default -> throw new EscrowException(EscrowException.Reason.PROTOCOL, "the " + cosigner + " answered a "
          + kind + " proposal with " + reply.getClass().getSimpleName());
    }
  }

  /** Each proof must check out on chain and, for a release, pay exactly what was asked. */
  private void checkProofs(final Settlement s, final Settlement.Kind kind, final List<Destination> destinations) {
    if (s.kind() != kind || s.proofs().isEmpty()) {
      throw new EscrowException(EscrowException.Reason.PROTOCOL, "the co-signer's " + kind + " settlement lacks payment proofs");
    }
    for (final PaymentProof p : s.proofs()) {
      final WalletRpc.TxCheck c = wallet("check_tx_proof", w -> w.checkTxProof(p.txid(), p.address(), p.message(), p.signature()));
      if (!c.good() || c.received() != p.amount()) {
        throw new EscrowException(EscrowException.Reason.PROTOCOL, "payment proof for " + p.address() + " in " + p.txid()
            + " does not check out (good=" + c.good() + ", received " + c.received() + ", claimed " + p.amount() + ")");
      }
    }
    for (final Destination d : destinations) {
      final long proven = s.proofs().stream().filter(p -> p.address().equals(d.address())).mapToLong(PaymentProof::amount).sum();
      if (proven != d.amount()) {
        throw new EscrowException(EscrowException.Reason.PROTOCOL, "the release paid " + proven + " to " + d.address()
            + ", expected " + d.amount());
      }
    }
  }

  /** Both signers exchange export_multisig_info, as 0.18 needs after every incoming output and every spend. */
  private void sync(final Role cosigner) {
    final String mine = wallet("export_multisig_info", w -> {
      w.refresh();
      return w.exportMultisigInfo();
    });
    final EscrowMessage reply = ask(cosigner, new MultisigSync(terms.escrowId(), termsHash, mine));
    switch (reply) {
      case MultisigSync s -> wallet("import_multisig_info", w -> {
        w.importMultisigInfo(List.of(s.info()));
        w.store();
        return null;
      });
      case Refusal r -> throw new EscrowException(r.retryable() ? EscrowException.Reason.UNAVAILABLE
          : EscrowException.Reason.REFUSED, "the " + cosigner + " refused to exchange multisig info: " + r.reason());
      default -> throw new EscrowException(EscrowException.Reason.PROTOCOL, "the " + cosigner
          + " answered a multisig sync with " + reply.getClass().getSimpleName());
    }
  }

  // ---------------------------------------------------------------- requests from the other parties

  /** Answers another party's signed request (transport threads call this); never throws. */
  public SignedMessage handle(final SignedMessage request) {
    Role from = null;
    try {
      final EscrowMessage m = request.open(config.verifier());
      from = checkOrigin(m, request.signer());
      final EscrowMessage answer = switch (m) {
        case SetupRound s -> onSetupRound(from, s);
        case MultisigSync s -> onSync(s);
        case PayoutProposal p -> onProposal(from, p);
        default -> throw new EscrowException(EscrowException.Reason.PROTOCOL, m.getClass().getSimpleName() + " is not a request");
      };
      return SignedMessage.sign(answer, config.signer());
    } catch (final EscrowException | MoneroRpcException e) {
      LOG.warn("escrow {}: refused a request from {}: {}", terms.escrowId(), from == null ? request.signer() : from, e.getMessage());
      final boolean retryable = e instanceof EscrowException ee && ee.reason() == EscrowException.Reason.UNAVAILABLE;
      return SignedMessage.sign(new Refusal(terms.escrowId(), termsHash, e.getMessage(), retryable), config.signer());
    }
  }

  private Role checkOrigin(final EscrowMessage m, final String signer) {
    final Role from = terms.roleOf(signer).orElseThrow(() -> new EscrowException(EscrowException.Reason.PROTOCOL,
        "signer " + signer + " is not a party of escrow " + terms.escrowId()));
    if (from == config.role()) {
      throw new EscrowException(EscrowException.Reason.PROTOCOL, "a message signed with this party's own key came from outside");
    }
    if (!terms.escrowId().equals(m.escrowId()) || !termsHash.equals(m.termsHash())) {
      throw new EscrowException(EscrowException.Reason.PROTOCOL, "message for escrow " + m.escrowId() + " terms "
          + m.termsHash() + " does not match " + terms.escrowId() + " terms " + termsHash);
    }
    return from;
  }

  private EscrowMessage onSetupRound(final Role from, final SetupRound s) {
    accept(from, s);
    return ownSetupRound(s.round()).<EscrowMessage>map(m -> m)
        .orElseGet(() -> new NotReady(terms.escrowId(), termsHash, "setup round " + s.round()));
  }

  private EscrowMessage onSync(final MultisigSync s) {
    requireReady();
    final String mine = wallet("import/export_multisig_info", w -> {
      w.refresh();
      w.importMultisigInfo(List.of(s.info()));
      final String info = w.exportMultisigInfo();
      w.store();
      return info;
    });
    return new MultisigSync(terms.escrowId(), termsHash, mine);
  }

  private EscrowMessage onProposal(final Role from, final PayoutProposal p) {
    requireReady();
    final String setHash = sha256(p.multisigTxset());
    synchronized (walletLock) {
      final Optional<Cosigned> done = rec.cosigned(setHash).filter(c -> c.settlement() != null);
      if (done.isPresent()) {
        return new PayoutDone(terms.escrowId(), termsHash, done.get().settlement());
      }
      final WalletRpc.TransferDescription description = describe(p.multisigTxset(), from);
      final Optional<String> refusal = switch (p.kind()) {
        case RELEASE -> checkRelease(description);
        case REFUND -> checkRefund(description, p.release());
      };
      if (refusal.isPresent()) {
        throw new EscrowException(EscrowException.Reason.REFUSED, refusal.get());
      }
      Cosigned c = rec.cosigned(setHash).orElse(null);
      if (c == null) {
        final WalletRpc.SignResult signed = wallet("sign_multisig", w -> w.signMultisig(p.multisigTxset()));
        final Cosigned fresh = new Cosigned(p.kind(), signed.txDataHex(), signed.txHashList(), p.txKey(), null);
        update(() -> rec.putCosigned(setHash, fresh));
        c = fresh;
      }
      final Cosigned signed = c;
      final List<String> hashes = wallet("submit_multisig", w -> {
        final List<String> h = w.submitMultisig(signed.signedTxDataHex());
        w.store();
        return h;
      });
      final Settlement s = new Settlement(p.kind(), hashes, p.txKey(), description.desc().getFirst().fee(),
          proofs(hashes.getFirst(), description));
      final Cosigned submitted = new Cosigned(c.kind(), c.signedTxDataHex(), hashes, c.txKey(), s);
      update(() -> {
        rec.putCosigned(setHash, submitted);
        rec.addSettlement(s);
      });
      LOG.info("escrow {}: co-signed and submitted the {}'s {} in {}", terms.escrowId(), from, p.kind(), hashes);
      return new PayoutDone(terms.escrowId(), termsHash, s);
    }
  }

  private WalletRpc.TransferDescription describe(final String txset, final Role from) {
    try {
      return wallet("describe_transfer", w -> {
        w.refresh();
        return w.describeMultisigTransfer(txset);
      });
    } catch (final EscrowException e) {
      if (e.getCause() instanceof MoneroRpcException m && m.kind() == MoneroErrorKind.BAD_MULTISIG_TX) {
        throw new EscrowException(EscrowException.Reason.REFUSED, "the tx set proposed by the " + from
            + " is malformed or was tampered with (" + m.getMessage() + ")", e);
      }
      throw e;
    }
  }

  private Optional<String> checkRelease(final WalletRpc.TransferDescription description) {
    if (rec.settlement(Settlement.Kind.RELEASE).isPresent()) {
      return Optional.of("this escrow's release was already paid in " + rec.settlement(Settlement.Kind.RELEASE).get().txHashes());
    }
    final Optional<ReleasePlan> plan = config.policy().releasePlan(terms);
    if (plan.isEmpty()) {
      return Optional.of("no final evidence of verified work yet (blocks not anchored or challenge window open)");
    }
    final List<Destination> expected = plan.get().destinations(terms);
    if (expected.isEmpty()) {
      return Optional.of("nothing may be released: the worker is slashed or has no verified work, and there is no fee");
    }
    return PayoutCheck.releaseRefusal(description, terms, rec.multisigAddress().orElseThrow(), expected);
  }

  private Optional<String> checkRefund(final WalletRpc.TransferDescription description, final Settlement shown) {
    // A client that was away during the release has no record of it; a co-signer that signed it has.
    final Settlement release = shown != null ? shown : rec.settlement(Settlement.Kind.RELEASE).orElse(null);
    final Optional<ReleasePlan> plan = config.policy().releasePlan(terms);
    if (plan.isEmpty()) {
      return Optional.of("no final evidence of verified work yet: the refund waits for it, like the release");
    }
    final List<Destination> expected = plan.get().destinations(terms);
    if (!expected.isEmpty()) {
      if (release == null || release.txHashes().size() != 1 || release.txKey() == null || release.txKey().isEmpty()) {
        return Optional.of("a refund must follow the release that pays " + expected + ", and none was shown");
      }
      for (final Destination d : expected) {
        final WalletRpc.TxCheck c = wallet("check_tx_key",
            w -> w.checkTxKey(release.txHashes().getFirst(), release.txKey(), d.address()));
        if (c.received() != d.amount() || c.confirmations() < 1) {
          return Optional.of("the release shown (" + release.txHashes().getFirst() + ") pays " + c.received() + " to "
              + d.address() + " with " + c.confirmations() + " confirmations; the refund needs " + d.amount() + ", mined");
        }
      }
    }
    return PayoutCheck.refundRefusal(description, terms);
  }

  private List<PaymentProof> proofs(final String txid, final WalletRpc.TransferDescription description) {
    final List<PaymentProof> out = new ArrayList<>();
    for (final WalletRpc.TransferDescription.Recipient r : description.desc().getFirst().recipients()) {
      final String sig = wallet("get_tx_proof", w -> w.txProof(txid, r.address(), terms.escrowId()));
      out.add(new PaymentProof(txid, r.address(), r.amount(), terms.escrowId(), sig));
    }
    return out;
  }

  // ---------------------------------------------------------------- plumbing

  private EscrowMessage ask(final Role peer, final EscrowMessage message) {
    final SignedMessage reply;
    try {
      reply = config.transport().request(terms.party(peer), SignedMessage.sign(message, config.signer()));
    } catch (final EscrowException e) {
      throw e;
    } catch (final RuntimeException e) {
      throw new EscrowException(EscrowException.Reason.UNAVAILABLE, "cannot reach the " + peer + ": " + e.getMessage(), e);
    }
    if (!terms.party(peer).equals(reply.signer())) {
      throw new EscrowException(EscrowException.Reason.PROTOCOL, "the answer from the " + peer + " is signed by "
          + reply.signer());
    }
    final EscrowMessage m = reply.open(config.verifier());
    if (!terms.escrowId().equals(m.escrowId()) || !termsHash.equals(m.termsHash())) {
      throw new EscrowException(EscrowException.Reason.PROTOCOL, "the " + peer + " answered about another escrow or terms");
    }
    return m;
  }

  /**
   * A call on this party's escrow wallet, reopening the wallet once if its wallet-rpc was restarted in
   * between; wallet failures become {@link EscrowException}s that say which party and step failed.
   */
  private <T> T wallet(final String step, final Function<WalletRpc, T> call) {
    synchronized (walletLock) {
      try {
        ensureWallet();
        for (int attempt = 1; ; attempt++) {
          try {
            return call.apply(config.escrowWallet());
          } catch (final MoneroRpcException e) {
            if (e.kind() == MoneroErrorKind.WALLET_NOT_OPEN && attempt == 1) {
              walletOpen = false; // its wallet-rpc was restarted
              ensureWallet();
            } else if (e.kind() == MoneroErrorKind.NO_DAEMON_CONNECTION && attempt <= DAEMON_RETRIES) {
              // After monerod restarts, wallet-rpc fails the first call(s) before it reconnects.
              sleep(Duration.ofSeconds(1));
            } else {
              throw e;
            }
          }
        }
      } catch (final MoneroRpcException e) {
        throw walletFailure(step, e);
      }
    }
  }

  private EscrowException walletFailure(final String step, final MoneroRpcException e) {
    final boolean down = switch (e.kind()) {
      case UNREACHABLE, TIMEOUT, NO_DAEMON_CONNECTION -> true;
      default -> false;
    };
    return new EscrowException(down ? EscrowException.Reason.UNAVAILABLE : EscrowException.Reason.STATE,
        "the " + config.role() + "'s escrow wallet (" + config.escrowWallet().endpoint() + ") failed at " + step + ": "
            + e.getMessage() + (down ? "; nothing moved: retry once it is back" : ""), e);
  }

  private void ensureWallet() {
    if (walletOpen) {
      return;
    }
    final WalletRpc w = config.escrowWallet();
    final long started = System.nanoTime();
    if (rec.walletCreated()) {
      w.openWallet(rec.walletFile(), config.walletPassword());
    } else {
      // Create first: a failing open_wallet costs as much as a creation in 0.18 (tens of seconds on a
      // loaded machine). A crash between creation and the record leaves a wallet that only needs opening.
      try {
        w.createWallet(rec.walletFile(), config.walletPassword());
      } catch (final MoneroRpcException e) {
        if (e.code() != WALLET_ALREADY_EXISTS) {
          throw e;
        }
        w.openWallet(rec.walletFile(), config.walletPassword());
      }
      update(() -> rec.markWalletCreated());
    }
    LOG.info("escrow {}: {} opened its escrow wallet in {} ms", terms.escrowId(), config.role(),
        (System.nanoTime() - started) / 1_000_000);
    walletOpen = true;
  }

  private void requireReady() {
    synchronized (stateLock) {
      if (!rec.ready()) {
        throw new EscrowException(EscrowException.Reason.STATE, "escrow " + terms.escrowId() + " is not set up yet (round "
            + rec.setupRound() + " of " + ROUNDS + ")");
      }
    }
  }

  private void requireRole(final Role role, final String what) {
    if (config.role() != role) {
      throw new EscrowException(EscrowException.Reason.STATE, "only the " + role + " can " + what + ", this is the " + config.role());
    }
  }

  private List<Role> others() {
    return Arrays.stream(Role.values()).filter(r -> r != config.role()).toList();
  }

  /** Stores the record; callers hold stateLock. */
  private void save() {
    config.store().save(rec);
  }

  /** Changes the record and stores it, under stateLock (payout steps also hold walletLock around it). */
  private void update(final Runnable change) {
    synchronized (stateLock) {
      change.run();
      save();
    }
  }

  private static String sha256(final String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(final Duration d) {
    try {
      Thread.sleep(d);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EscrowException(EscrowException.Reason.TIMEOUT, "interrupted while waiting for another party", e);
    }
  }
}
