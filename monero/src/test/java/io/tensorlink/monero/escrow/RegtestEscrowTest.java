package io.tensorlink.monero.escrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.monero.escrow.EscrowMessage.Refusal;
import io.tensorlink.monero.escrow.EscrowMessage.Settlement;
import io.tensorlink.monero.escrow.EscrowMessage.SetupRound;
import io.tensorlink.monero.regtest.MoneroBinaries;
import io.tensorlink.monero.regtest.MoneroRegtest;
import io.tensorlink.monero.regtest.WalletServer;
import io.tensorlink.monero.rpc.WalletRpc;
import io.tensorlink.monero.rpc.WalletRpc.Destination;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The escrow end to end on a private regtest monerod with six wallet-rpc servers (a personal and an
 * escrow wallet per party), all on loopback, started here and stopped at the end. Setup and payout
 * timings are printed as {@code [xmr-timing]} lines.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegtestEscrowTest {
  private static final long XMR = 1_000_000_000_000L;
  private static final long PRICE = XMR / 100;          // 0.01 XMR per verified step
  private static final long FEE = XMR / 20;             // arbiter fee 0.05 XMR
  private static final long MAX_TX_FEE = XMR / 100;     // regtest fees are ~0.002 XMR
  private static final long DEPOSIT = 10 * XMR;
  /** Generous: on a 2-core machine shared with other builds, creating a wallet alone took up to 25 s. */
  private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(240);

  private Path dir;

  private MoneroRegtest net;
  private final Map<Role, WalletServer> personal = new EnumMap<>(Role.class);
  private final Map<Role, WalletServer> escrowWallets = new EnumMap<>(Role.class);
  private final ExecutorService pool = Executors.newFixedThreadPool(6);
  /** Each party's store key, as a node derives it from its account key (here: 32 random bytes per party). */
  private final Map<Role, StoreKey> storeKeys = new EnumMap<>(Role.class);

  {
    for (final Role r : Role.values()) {
      final byte[] secret = new byte[32];
      new java.security.SecureRandom().nextBytes(secret);
      storeKeys.put(r, StoreKey.fromAccountKey(secret));
    }
  }

  @BeforeAll
  void startNetwork(@TempDir final Path tmp) {
    dir = tmp;
    final Optional<MoneroBinaries> bin = MoneroBinaries.find();
    if (bin.isEmpty()) {
      System.out.println("SKIPPED RegtestEscrowTest: monerod/monero-wallet-rpc not found: " + MoneroBinaries.INSTALL_HINT);
    }
    Assumptions.assumeTrue(bin.isPresent(), "monerod not installed: " + MoneroBinaries.INSTALL_HINT);
    final long t0 = System.nanoTime();
    net = MoneroRegtest.start(bin.get(), dir.resolve("regtest"));
    final Map<String, CompletableFuture<WalletServer>> starting = new java.util.LinkedHashMap<>();
    for (final Role r : Role.values()) {
      starting.put("p" + r, CompletableFuture.supplyAsync(() -> {
        final WalletServer w = net.startWallet(r.name().toLowerCase() + "-personal");
        w.rpc().createWallet("personal", "");
        return w;
      }, pool));
      starting.put("e" + r, CompletableFuture.supplyAsync(() -> net.startWallet(r.name().toLowerCase() + "-escrow"), pool));
    }
    for (final Role r : Role.values()) {
      personal.put(r, starting.get("p" + r).join());
      escrowWallets.put(r, starting.get("e" + r).join());
    }
    System.out.printf("[xmr-timing] monerod + 6 wallet-rpc + 3 personal wallets: %d ms%n", ms(t0));    // 70 coinbase outputs to the client: 10 are past the 60-block maturity and enough ring members exist.
    net.daemon().mine(70, personal.get(Role.CLIENT).rpc().address());
    net.mine(10);
    System.out.printf("[xmr-timing] network up (monerod, 6 wallet-rpc, 3 wallets, 80 blocks): %d ms%n", ms(t0));
  }

  @AfterAll
  void stopNetwork() {
    pool.shutdownNow();
    if (net != null) {
      net.close();
    }
  }

  // ------------------------------------------------------------------ scenarios

  @Test
  @Order(1)
  void happyPathPaysTheWorkerExactlyItsVerifiedAmountAndRefundsTheRest() {
    final long steps = 420;
    final Escrow e = newEscrow("job-1/worker-a", FixedWork.steps(steps), FixedWork.steps(steps), FixedWork.steps(steps));
    final long clientBefore = balance(Role.CLIENT);
    final long workerBefore = balance(Role.WORKER);
    final long arbiterBefore = balance(Role.ARBITER);

    final long setupMs = setupAll(e);
    // Nothing committed on chain yet: the client's node refuses to fund, and nothing is sent.
    final long beforeFunding = balance(Role.CLIENT);
    assertThatThrownBy(() -> e.party(Role.CLIENT).fund(personal.get(Role.CLIENT).rpc(), e.commitments))
        .isInstanceOf(EscrowException.class).hasMessageContaining("no on-chain commitment");
    assertThat(balance(Role.CLIENT)).isEqualTo(beforeFunding);
    e.commit(e.party(Role.CLIENT).record().multisigAddress().orElseThrow());
    e.party(Role.WORKER).verifyCommitment(e.commitments);
    final EscrowRecord.Funding funding = e.party(Role.CLIENT).fund(personal.get(Role.CLIENT).rpc(), e.commitments);
    assertThat(personal.get(Role.WORKER).rpc().checkTxProof(funding.txid(), funding.proof().address(),
        e.terms.escrowId(), funding.proof().signature()).received()).isEqualTo(DEPOSIT);
    net.mine(10);
    assertThat(e.party(Role.WORKER).balance().unlockedBalance()).isEqualTo(DEPOSIT);

    // A greedy worker asks for more than its verified 420 steps: the client's node refuses to sign.
    final long greedy = (steps + 10) * PRICE;
    assertThatThrownBy(() -> e.party(Role.WORKER).proposeRelease(Role.CLIENT, List.of(
        new Destination(greedy, e.terms.workerAddress()), new Destination(FEE, e.terms.arbiterAddress()))))
        .isInstanceOf(EscrowException.class)
        .hasMessageContaining("pays the worker " + greedy + " piconero but its verified amount is " + steps * PRICE)
        .extracting(x -> ((EscrowException) x).reason()).isEqualTo(EscrowException.Reason.REFUSED);

    // A tampered tx set (re-signed by the worker, so only the content is wrong) is refused as well.
    final AtomicBoolean tampered = new AtomicBoolean();
    e.transport.intercept(m -> tamperProposal(m, e.signers.get(Role.WORKER), tampered));
    assertThatThrownBy(() -> e.party(Role.WORKER).release(Role.CLIENT))
        .isInstanceOf(EscrowException.class).hasMessageContaining("malformed or was tampered with");
    assertThat(tampered).isTrue();
    e.transport.intercept(m -> m);
    assertThat(e.party(Role.CLIENT).balance().balance()).as("nothing moved").isEqualTo(DEPOSIT);

    final long t = System.nanoTime();
    final Settlement release = e.party(Role.WORKER).release(Role.CLIENT);
    final long payoutMs = ms(t);
    System.out.printf("[xmr-timing] happy path: setup rounds %d ms (3 parties in parallel), payout round"
        + " (sync + build + check + sign + submit + proofs) %d ms%n", setupMs, payoutMs);
    assertThat(release.proofs()).extracting(PaymentProof::address, PaymentProof::amount).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple(e.terms.workerAddress(), steps * PRICE),
        org.assertj.core.groups.Tuple.tuple(e.terms.arbiterAddress(), FEE));
    net.mine(10);
    final Settlement refund = e.party(Role.CLIENT).refund(Role.WORKER);
    net.mine(1);

    final long workerPay = steps * PRICE;
    final long clientBack = DEPOSIT - workerPay - FEE - release.fee() - refund.fee();
    assertThat(refund.proofs()).singleElement().extracting(PaymentProof::amount).isEqualTo(clientBack);
    assertThat(balance(Role.WORKER) - workerBefore).as("worker paid to the piconero").isEqualTo(workerPay);
    assertThat(balance(Role.ARBITER) - arbiterBefore).as("arbiter fee").isEqualTo(FEE);
    assertThat(clientBefore - balance(Role.CLIENT)).as("client's cost: pay + fee + three network fees")
        .isEqualTo(workerPay + FEE + funding.fee() + release.fee() + refund.fee());
    checkProof(Role.WORKER, release.proofs().stream().filter(p -> p.address().equals(e.terms.workerAddress())).findFirst().orElseThrow());
    System.out.printf("[xmr-run] happy path: deposit %d (fund tx %s, fee %d); release tx %s: worker %d, arbiter %d,"
        + " fee %d; refund tx %s: client %d, fee %d; proofs %s%n", DEPOSIT, funding.txid(), funding.fee(),
        release.txHashes(), workerPay, FEE, release.fee(), refund.txHashes(), clientBack, refund.fee(),
        release.proofs().stream().map(p -> p.address().substring(0, 8) + "…=" + p.signature()).toList());
  }

  @Test
  @Order(2)
  void clientDisappearsAfterFundingAndWorkerAndArbiterRelease_throughRestartsAndOutages() {
    final long steps = 250;
    final Escrow e = newEscrow("job-2/worker-b", FixedWork.steps(steps), FixedWork.steps(steps), FixedWork.steps(steps));
    final long workerBefore = balance(Role.WORKER);

    // Restart mid-setup: the worker's node stops after computing round 3 but before anyone saw it.
    final EscrowParty firstWorker = e.party(Role.WORKER);
    final EscrowParty crashing = e.open(Role.WORKER, (id, m) -> {
      if (m.open(Ed25519Signer.VERIFIER) instanceof SetupRound s && s.round() == 3) {
        // STATE, not UNAVAILABLE: the setup loop gives up at once, as a killed process would.
        throw new EscrowException(EscrowException.Reason.STATE, "simulated crash");
      }
      return e.transport.request(id, m);
    });
    // Unreachable until its restart: otherwise a peer that asks the crashing worker for round 3 delivers
    // its own round 3 with the request, and on a slow machine the worker could finish without sending.
    e.transport.remove(e.terms.party(Role.WORKER));
    final CompletableFuture<String> client = CompletableFuture.supplyAsync(() -> e.party(Role.CLIENT).setup(SETUP_TIMEOUT), pool);
    final CompletableFuture<String> arbiter = CompletableFuture.supplyAsync(() -> e.party(Role.ARBITER).setup(SETUP_TIMEOUT), pool);
    withDeadParties(() -> assertThatThrownBy(() -> crashing.setup(SETUP_TIMEOUT)).isInstanceOf(EscrowException.class)
        .hasMessage("simulated crash"), client, arbiter);
    assertThat(crashing.record().setupRound()).isEqualTo(3);
    final EscrowParty resumed = e.reopen(Role.WORKER);
    assertThat(resumed).isNotSameAs(firstWorker);
    final String address = withDeadParties(() -> resumed.setup(SETUP_TIMEOUT), client, arbiter);
    assertThat(client.join()).isEqualTo(address);
    assertThat(arbiter.join()).isEqualTo(address);

    e.commit(address);
    e.party(Role.CLIENT).fund(personal.get(Role.CLIENT).rpc(), e.commitments);
    net.mine(10);
    e.transport.remove(e.terms.party(Role.CLIENT)); // the client's node is gone for good

    // The daemon goes down: a clear error, nothing moved; after its restart the flow goes on.
    net.daemon().stop();
    assertThatThrownBy(() -> e.party(Role.WORKER).release(Role.ARBITER))
        .isInstanceOf(EscrowException.class).hasMessageContaining("WORKER's escrow wallet")
        .extracting(x -> ((EscrowException) x).reason()).isEqualTo(EscrowException.Reason.UNAVAILABLE);
    net.daemon().restart();

    // The arbiter's wallet-rpc dies just as the proposal reaches it: retryable, the proposal is kept.
    final AtomicBoolean killed = new AtomicBoolean();
    e.transport.intercept(m -> {
      if (m.open(Ed25519Signer.VERIFIER) instanceof EscrowMessage.PayoutProposal && killed.compareAndSet(false, true)) {
        escrowWallets.get(Role.ARBITER).kill();
      }
      return m;
    });
    assertThatThrownBy(() -> e.party(Role.WORKER).release(Role.ARBITER))
        .isInstanceOf(EscrowException.class).hasMessageContaining("cannot co-sign the RELEASE now")
        .extracting(x -> ((EscrowException) x).reason()).isEqualTo(EscrowException.Reason.UNAVAILABLE);
    assertThat(e.party(Role.WORKER).record().pending()).isPresent();
    e.transport.intercept(m -> m);
    escrowWallets.get(Role.ARBITER).restart();

    // Restart mid-payout: a new worker process resumes from its store and re-proposes the same tx set.
    final String pendingSet = e.party(Role.WORKER).record().pending().orElseThrow().multisigTxset();
    final EscrowParty worker = e.reopen(Role.WORKER);
    assertThat(worker.record().pending().orElseThrow().multisigTxset()).isEqualTo(pendingSet);
    final long t = System.nanoTime();
    final Settlement release = worker.release(Role.ARBITER);
    System.out.printf("[xmr-timing] client gone: resumed payout round (arbiter reopens its wallet) %d ms%n", ms(t));
    net.mine(10);
    assertThat(balance(Role.WORKER) - workerBefore).isEqualTo(steps * PRICE);
    checkProof(Role.WORKER, release.proofs().stream().filter(p -> p.address().equals(e.terms.workerAddress())).findFirst().orElseThrow());

    // The client comes back later: with the arbiter it takes the remainder (the arbiter knows the release).
    final long clientBefore = balance(Role.CLIENT);
    final EscrowParty returning = e.reopen(Role.CLIENT);
    final Settlement refund = returning.refund(Role.ARBITER);
    net.mine(1);
    final long back = DEPOSIT - steps * PRICE - FEE - release.fee() - refund.fee();
    assertThat(balance(Role.CLIENT) - clientBefore).isEqualTo(back);
    System.out.printf("[xmr-run] client gone: release tx %s (worker %d, arbiter %d, fee %d) by worker+arbiter;"
        + " later refund tx %s (client %d, fee %d) by client+arbiter%n", release.txHashes(), steps * PRICE, FEE,
        release.fee(), refund.txHashes(), back, refund.fee());
  }

  @Test
  @Order(3)
  void slashedWorkerGetsNothingAndClientAndArbiterRefund_badSetupMessagesRefused() {
    final FixedWork slashed = new FixedWork(300, true);
    final Escrow e = newEscrow("job-3/worker-c", slashed, FixedWork.steps(300), slashed);
    final long clientBefore = balance(Role.CLIENT);
    final long workerBefore = balance(Role.WORKER);
    final long setupMs = setupAll(e);
    System.out.printf("[xmr-timing] slashed: setup %d ms%n", setupMs);

    // A round-3 message stating another multisig address (correctly signed by the worker) is refused.
    final EscrowParty client = e.party(Role.CLIENT);
    final SignedMessage wrongAddress = SignedMessage.sign(new SetupRound(e.terms.escrowId(), e.terms.hash(), 3,
        e.party(Role.WORKER).record().ownRound(3).orElseThrow(), MoneroRegtest.BURN_ADDRESS), e.signers.get(Role.WORKER));
    assertThat(client.handle(wrongAddress).open(Ed25519Signer.VERIFIER)).isInstanceOfSatisfying(Refusal.class,
        r -> assertThat(r.reason()).contains("states multisig address " + MoneroRegtest.BURN_ADDRESS)
            .contains("do not fund"));
    // So is anything signed by a key that is not one of the three.
    final SignedMessage outsider = SignedMessage.sign(new SetupRound(e.terms.escrowId(), e.terms.hash(), 1,
        "MultisigxV2R1fake", null), Ed25519Signer.generate());
    assertThat(client.handle(outsider).open(Ed25519Signer.VERIFIER)).isInstanceOfSatisfying(Refusal.class,
        r -> assertThat(r.reason()).contains("is not a party of escrow job-3/worker-c"));
    assertThat(client.record().multisigAddress()).contains(e.party(Role.ARBITER).record().multisigAddress().orElseThrow());

    // A client that commits another address than the escrow's (here: a wallet it alone would control)
    // is caught by the worker's check before any work, and by its own node before funding.
    e.commit(MoneroRegtest.BURN_ADDRESS);
    assertThatThrownBy(() -> e.party(Role.WORKER).verifyCommitment(e.commitments)).isInstanceOf(EscrowException.class)
        .hasMessageContaining("committed to " + MoneroRegtest.BURN_ADDRESS).hasMessageContaining("do not fund or work");
    assertThatThrownBy(() -> client.fund(personal.get(Role.CLIENT).rpc(), e.commitments)).hasMessageContaining("do not fund");
    e.commit(client.record().multisigAddress().orElseThrow());
    final EscrowRecord.Funding funding = client.fund(personal.get(Role.CLIENT).rpc(), e.commitments);
    net.mine(10);
    // The slashed worker still claims its 300 steps; the arbiter's evidence says slashed.
    assertThatThrownBy(() -> e.party(Role.WORKER).release(Role.ARBITER))
        .hasMessageContaining("pays the worker " + 300 * PRICE + " piconero but its verified amount is 0");
    final Settlement feeOnly = client.release(Role.ARBITER);
    assertThat(feeOnly.proofs()).singleElement().extracting(PaymentProof::address).isEqualTo(e.terms.arbiterAddress());
    net.mine(10);
    final Settlement refund = client.refund(Role.ARBITER);
    net.mine(1);
    final long back = DEPOSIT - FEE - feeOnly.fee() - refund.fee();
    assertThat(refund.proofs()).singleElement().extracting(PaymentProof::amount).isEqualTo(back);
    assertThat(balance(Role.WORKER)).isEqualTo(workerBefore);
    assertThat(clientBefore - balance(Role.CLIENT)).isEqualTo(FEE + funding.fee() + feeOnly.fee() + refund.fee());
    System.out.printf("[xmr-run] slashed: fee tx %s (arbiter %d, fee %d); refund tx %s (client %d, fee %d)%n",
        feeOnly.txHashes(), FEE, feeOnly.fee(), refund.txHashes(), back, refund.fee());
  }

  /**
   * Issue 13's restart race, forced: the arbiter's wallet call hangs (a loopback socket that accepts and
   * never answers, as a wallet-rpc stuck creating a wallet) while the client's and worker's round-1
   * messages arrive. They must be answered at once and stored; the arbiter's node then restarts with its
   * real wallet-rpc and finishes the setup from its store.
   */
  @Test
  @Order(4)
  void roundMessagesThatArriveWhileTheArbitersWalletHangsAreStoredAndSurviveItsRestart() throws Exception {
    final Escrow e = newEscrow("job-4/worker-d", FixedWork.steps(1), FixedWork.steps(1), FixedWork.steps(1));
    java.util.stream.Stream.of(Role.CLIENT, Role.WORKER).map(r -> CompletableFuture.runAsync(() -> e.party(r).prepareWallet(), pool))
        .toList().forEach(CompletableFuture::join);
    try (java.net.ServerSocket hang = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      final List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
      final Thread acceptor = Thread.ofVirtual().start(() -> {
        try {
          while (true) {
            held.add(hang.accept()); // read nothing, answer nothing
          }
        } catch (final java.io.IOException closed) {
          // the socket closed at the end of the test
        }
      });
      final WalletRpc stuck = new WalletRpc(io.tensorlink.monero.rpc.RpcEndpoint.loopback(hang.getLocalPort())
          .withTimeout(Duration.ofMinutes(5)));
      final EscrowParty hung = e.open(Role.ARBITER, e.transport, stuck);
      e.transport.register(hung);
      final java.util.concurrent.atomic.AtomicReference<Throwable> hungFailure = new java.util.concurrent.atomic.AtomicReference<>();
      final Thread arbiterNode = Thread.ofPlatform().start(() -> {
        try {
          hung.setup(SETUP_TIMEOUT);
        } catch (final RuntimeException x) {
          hungFailure.set(x);
        }
      });
      final CompletableFuture<String> client = CompletableFuture.supplyAsync(() -> e.party(Role.CLIENT).setup(SETUP_TIMEOUT), pool);
      final CompletableFuture<String> worker = CompletableFuture.supplyAsync(() -> e.party(Role.WORKER).setup(SETUP_TIMEOUT), pool);

      // The arbiter's setup thread sits inside create_wallet, holding its wallet lock …
      awaitTrue("the arbiter's create_wallet reached the hanging socket", () -> !held.isEmpty());
      // … and both peers' round-1 messages are stored anyway (they were sent while its wallet "opened").
      final EscrowStore arbiterStore = store(Role.ARBITER);
      awaitTrue("the arbiter stored both round-1 messages", () -> arbiterStore.load(e.terms.escrowId())
          .map(r -> r.peerRound(1).keySet().containsAll(List.of(Role.CLIENT, Role.WORKER))).orElse(false));
      assertThat(arbiterStore.load(e.terms.escrowId()).orElseThrow().setupRound()).as("its own round 1 is not computed").isZero();
      // A setup request is answered at once (stored, "not ready"), not after the wallet call.
      final long t = System.nanoTime();
      final SignedMessage answer = hung.handle(SignedMessage.sign(new SetupRound(e.terms.escrowId(), e.terms.hash(), 1,
          e.party(Role.CLIENT).record().ownRound(1).orElseThrow(), null), e.signers.get(Role.CLIENT)));
      // Before the fix it waited for the wallet call (here: its 5-minute timeout); 10 s leaves room for a loaded machine.
      assertThat(ms(t)).as("answer time while the wallet call hangs").isLessThan(10_000);
      assertThat(answer.open(Ed25519Signer.VERIFIER)).isInstanceOf(EscrowMessage.NotReady.class);

      // The arbiter's node dies (its wallet call is cut short) and comes back with its real wallet-rpc.
      arbiterNode.interrupt();
      arbiterNode.join(Duration.ofSeconds(30).toMillis());
      assertThat(arbiterNode.isAlive()).isFalse();
      assertThat(hungFailure.get()).isInstanceOf(EscrowException.class).hasMessageContaining("create_wallet");
      final EscrowParty arbiter = e.reopen(Role.ARBITER);
      final long t0 = System.nanoTime();
      final String address = withDeadParties(() -> arbiter.setup(SETUP_TIMEOUT), client, worker);
      System.out.printf("[xmr-timing] job-4: arbiter restarted after a hung wallet call; its wallet + setup %d ms%n", ms(t0));
      assertThat(client.join()).isEqualTo(address);
      assertThat(worker.join()).isEqualTo(address);
      hang.close();
      acceptor.join();
      for (final java.net.Socket s : held) {
        s.close();
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  private EscrowStore store(final Role r) {
    final StoreKey key = storeKeys.get(r);
    return new EscrowStore(dir.resolve("stores").resolve(r.name()), key);
  }

  /** Runs {@code step}; if it fails, the failures of the parties running in the background are attached (a dead party is why). */
  private static <T> T withDeadParties(final java.util.function.Supplier<T> step, final CompletableFuture<?>... parties) {
    try {
      return step.get();
    } catch (final RuntimeException | AssertionError x) {
      for (final CompletableFuture<?> f : parties) {
        if (f.isCompletedExceptionally()) {
          x.addSuppressed(f.exceptionNow());
        }
      }
      throw x;
    }
  }

  private static void awaitTrue(final String what, final java.util.function.BooleanSupplier condition) {
    final long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      sleepMs(100);
    }
  }

  /** The stand-in for anchored proof-of-learning evidence: a fixed verified step count and slash flag. */
  record FixedWork(long steps, boolean slashed) implements PayoutPolicy {
    static FixedWork steps(final long steps) {
      return new FixedWork(steps, false);
    }

    @Override
    public Optional<ReleasePlan> releasePlan(final EscrowTerms terms) {
      return Optional.of(ReleasePlan.forVerifiedSteps(terms, steps, slashed));
    }
  }

  private final class Escrow {
    final EscrowTerms terms;
    final Map<Role, Ed25519Signer> signers;
    final Map<Role, PayoutPolicy> views;
    final InMemoryEscrowTransport transport = new InMemoryEscrowTransport();
    /**
     * The stand-in for the job's XmrEscrowRegistry entry (chain.xmr.XmrEscrowCommitment checks the real
     * one on anvil): the address the client committed, if any. Rewritable here, unlike on chain, so a
     * test can play a client that committed the wrong address.
     */
    final java.util.concurrent.atomic.AtomicReference<String> committed = new java.util.concurrent.atomic.AtomicReference<>();
    final AddressCommitment commitments = (id, address) -> {
      final String c = committed.get();
      if (c == null) {
        throw new EscrowException(EscrowException.Reason.STATE, "no on-chain commitment for " + id + " yet");
      }
      if (!c.equals(address)) {
        throw new EscrowException(EscrowException.Reason.REFUSED, id + " is committed to " + c + ", not to this escrow's "
            + address + ": do not fund or work");
      }
    };
    final Map<Role, EscrowParty> parties = new EnumMap<>(Role.class);

    Escrow(final EscrowTerms terms, final Map<Role, Ed25519Signer> signers, final Map<Role, PayoutPolicy> views) {
      this.terms = terms;
      this.signers = signers;
      this.views = views;
      for (final Role r : Role.values()) {
        parties.put(r, open(r, transport));
        transport.register(parties.get(r));
      }
    }

    EscrowParty party(final Role r) {
      return parties.get(r);
    }

    void commit(final String address) {
      committed.set(address);
    }

    EscrowParty open(final Role r, final EscrowTransport via) {
      return open(r, via, escrowWallets.get(r).rpc());
    }

    EscrowParty open(final Role r, final EscrowTransport via, final WalletRpc wallet) {
      return EscrowParty.open(new EscrowParty.Config(r, terms, wallet, "", signers.get(r),
          Ed25519Signer.VERIFIER, via, store(r), views.get(r)));
    }

    /** A fresh party object from the same store and wallet, as after a process restart. */
    EscrowParty reopen(final Role r) {
      final EscrowParty p = open(r, transport);
      parties.put(r, p);
      transport.register(p);
      return p;
    }
  }

  private Escrow newEscrow(final String id, final PayoutPolicy clientView, final PayoutPolicy workerView,
      final PayoutPolicy arbiterView) {
    final Map<Role, Ed25519Signer> signers = new EnumMap<>(Role.class);
    final Map<Role, String> ids = new EnumMap<>(Role.class);
    for (final Role r : Role.values()) {
      signers.put(r, Ed25519Signer.generate());
      ids.put(r, signers.get(r).signerId());
    }
    final EscrowTerms terms = new EscrowTerms(id, ids, DEPOSIT, PRICE, FEE, MAX_TX_FEE,
        personal.get(Role.WORKER).rpc().address(), personal.get(Role.CLIENT).rpc().address(),
        personal.get(Role.ARBITER).rpc().address());
    return new Escrow(terms, signers, Map.of(Role.CLIENT, clientView, Role.WORKER, workerView, Role.ARBITER, arbiterView));
  }

  /** Wallets first (timed apart: creation dominates on a loaded machine), then the setup rounds. */
  private long setupAll(final Escrow e) {
    final long w0 = System.nanoTime();
    java.util.Arrays.stream(Role.values()).map(r -> CompletableFuture.runAsync(() -> e.party(r).prepareWallet(), pool))
        .toList().forEach(CompletableFuture::join);
    System.out.printf("[xmr-timing] %s: 3 escrow wallets created in parallel in %d ms%n", e.terms.escrowId(), ms(w0));
    final long t0 = System.nanoTime();
    final List<CompletableFuture<String>> f = java.util.Arrays.stream(Role.values())
        .map(r -> CompletableFuture.supplyAsync(() -> e.party(r).setup(SETUP_TIMEOUT), pool)).toList();
    final List<String> addresses = f.stream().map(CompletableFuture::join).toList();
    assertThat(addresses).containsOnly(addresses.getFirst());
    assertThat(addresses.getFirst()).startsWith("4").hasSize(95);
    return ms(t0);
  }

  private static SignedMessage tamperProposal(final SignedMessage m, final MessageSigner worker, final AtomicBoolean done) {
    if (m.open(Ed25519Signer.VERIFIER) instanceof EscrowMessage.PayoutProposal p) {
      final String set = p.multisigTxset();
      final int at = 200;
      final String changed = set.substring(0, at) + (set.charAt(at) == '0' ? '1' : '0') + set.substring(at + 1);
      done.set(true);
      return SignedMessage.sign(new EscrowMessage.PayoutProposal(p.escrowId(), p.termsHash(), p.kind(), changed,
          p.txKey(), p.release()), worker);
    }
    return m;
  }

  private void checkProof(final Role who, final PaymentProof p) {
    final WalletRpc.TxCheck c = personal.get(who).rpc().checkTxProof(p.txid(), p.address(), p.message(), p.signature());
    assertThat(c.good()).isTrue();
    assertThat(c.received()).isEqualTo(p.amount());
    assertThat(personal.get(who).rpc().checkTxProof(p.txid(), p.address(), "another job", p.signature()).good()).isFalse();
  }

  private long balance(final Role r) {
    final WalletRpc w = personal.get(r).rpc();
    for (int attempt = 1; ; attempt++) {
      try {
        w.refresh();
        return w.balance().balance();
      } catch (final io.tensorlink.monero.rpc.MoneroRpcException e) {
        // After the daemon restart a wallet-rpc fails its first call(s) until it reconnects.
        if (e.kind() != io.tensorlink.monero.rpc.MoneroErrorKind.NO_DAEMON_CONNECTION || attempt > 5) {
          throw e;
        }
        sleepMs(1000);
      }
    }
  }

  private static void sleepMs(final long ms) {
    try {
      Thread.sleep(ms);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static long ms(final long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

}
