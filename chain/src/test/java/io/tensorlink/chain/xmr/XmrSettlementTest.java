package io.tensorlink.chain.xmr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.chain.validator.AnvilSuiteAccess;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.deploy.ChainInfo;
import io.tensorlink.contracts.pol.PayoutTree;
import io.tensorlink.monero.escrow.EscrowException;
import io.tensorlink.monero.escrow.EscrowMessage;
import io.tensorlink.monero.escrow.EscrowMessage.Settlement;
import io.tensorlink.monero.escrow.EscrowTerms;
import io.tensorlink.monero.escrow.PaymentProof;
import io.tensorlink.monero.escrow.Role;
import io.tensorlink.monero.escrow.SignedMessage;
import io.tensorlink.monero.regtest.MoneroBinaries;
import io.tensorlink.monero.regtest.MoneroRegtest;
import io.tensorlink.monero.rpc.WalletRpc;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.transport.Hosts;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * Issue 13's node flow on real parts: three nodes' {@link XmrSettlement}s (client, worker, the
 * deterministic arbiter), each served on its own libp2p host over {@code /tl/xmr/1.0.0}, agree an escrow's
 * terms by offers, set it up, the client commits it on the
 * suite's XmrEscrowRegistry (anvil) and funds it (regtest monerod); after two anchored PoL blocks are
 * final, the worker's node, restarted from its store, releases its pay at the job's XMR price per step
 * and the client refunds the rest, all checked to the piconero.
 */
class XmrSettlementTest {
  private static final long XMR = 1_000_000_000_000L;
  private static final long XMR_PER_STEP = XMR / 100;
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  @TempDir Path dir;

  @Test
  void anXmrJobsEscrowIsOfferedSetUpCommittedFundedAndSettledAtTheXmrPricePerStep() throws Exception {
    final Optional<MoneroBinaries> bin = MoneroBinaries.find();
    if (bin.isEmpty()) {
      System.out.println("SKIPPED XmrSettlementTest: " + MoneroBinaries.INSTALL_HINT);
    }
    Assumptions.assumeTrue(bin.isPresent(), "monerod not installed");
    final ExecutorService pool = Executors.newCachedThreadPool();
    final Map<Role, Host> hosts = new EnumMap<>(Role.class);
    try (AnvilSuiteAccess chain = AnvilSuiteAccess.start(); MoneroRegtest net = MoneroRegtest.start(bin.get(), dir.resolve("regtest"))) {
      // --- the chain: three validators, a worker assigned to the client's job
      final Credentials client = chain.account(1);
      final Credentials worker = chain.account(2);
      final List<Credentials> validators = List.of(chain.account(3), chain.account(4), chain.account(5));
      for (final Credentials v : validators) {
        chain.stakeValidator(v);
      }
      chain.stakeWorker(worker);
      chain.advanceTime(3_600); // validators registered in epoch e sign from epoch e+1
      final BigInteger jobId = chain.createAssignedJob(client, List.of(worker));
      final String arbiterAccount = ArbiterSelection.select(jobId, client.getAddress(), worker.getAddress(),
          validators.stream().map(Credentials::getAddress).toList());
      final Map<Role, Credentials> accounts = Map.of(Role.CLIENT, client, Role.WORKER, worker, Role.ARBITER,
          validators.stream().filter(v -> v.getAddress().equalsIgnoreCase(arbiterAccount)).findFirst().orElseThrow());

      // --- Monero: a personal and an escrow wallet-rpc per node; the client's personal wallet is funded
      final PartyWallets wallets = PartyWallets.start(net, pool);
      final Map<Role, WalletRpc> personal = wallets.personal();

      // --- the job's XMR terms, as `tl-cli job create --pay xmr` leaves them in the client's data dir
      final XmrJobTerms jobTerms = new XmrJobTerms(XMR_PER_STEP, 10 * XMR, XMR / 20, XMR / 100);
      jobTerms.write(dir.resolve("node-CLIENT"), jobId);

      // --- three nodes: libp2p hosts on loopback serving /tl/xmr/1.0.0 from each settlement's router
      final Map<String, Multiaddr> directory = new ConcurrentHashMap<>();
      for (final Role r : Role.values()) {
        final Host h = Hosts.create(HostConfig.loopback());
        h.start().join();
        hosts.put(r, h);
        directory.put(id(accounts.get(r)), h.listenAddresses().getFirst().withPeerId(h.peerId()));
      }
      final KnownLeaves known = new KnownLeaves();
      final Map<Role, XmrSettlement> settlements = new EnumMap<>(Role.class);
      for (final Role r : Role.values()) {
        settlements.put(r, open(r, accounts.get(r), personal.get(r), wallets.escrow(r), chain, known,
            hosts.get(r), directory, pool));
      }
      final String escrowId = XmrEscrows.escrowId(jobId, worker.getAddress());

      // --- bad offers are refused with the reason, and nothing is opened
      final EscrowTerms forgedTerms = new EscrowTerms(escrowId, Map.of(Role.CLIENT, id(client), Role.WORKER, id(worker),
          Role.ARBITER, arbiterAccount.toLowerCase()), 10 * XMR, XMR_PER_STEP, XMR / 20, XMR / 100, "", address(personal, Role.CLIENT), "");
      assertThat(refusal(settlements.get(Role.WORKER), forgedTerms, chain.account(7)))
          .contains("is signed by " + id(chain.account(7)) + ", not by the escrow's client");
      final String otherValidator = validators.stream().map(XmrSettlementTest::id).filter(v -> !v.equals(arbiterAccount.toLowerCase()))
          .findFirst().orElseThrow();
      final EscrowTerms wrongArbiter = new EscrowTerms(escrowId, Map.of(Role.CLIENT, id(client), Role.WORKER, id(worker),
          Role.ARBITER, otherValidator), 10 * XMR, XMR_PER_STEP, XMR / 20, XMR / 100, "", address(personal, Role.CLIENT), "");
      assertThat(refusal(settlements.get(Role.WORKER), wrongArbiter, client)).contains("the arbiter of " + escrowId + " is");
      assertThat(settlements.get(Role.WORKER).record(escrowId)).isEmpty();

      // --- the client starts the escrow; worker and arbiter check the commitment
      final long t0 = System.nanoTime();
      final String address = settlements.get(Role.CLIENT).startAsClient(jobId, worker.getAddress())
          .get(TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
      for (final Role r : List.of(Role.WORKER, Role.ARBITER)) {
        assertThat(settlements.get(r).ready(escrowId).orElseThrow().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(address);
      }
      System.out.printf("[xmr-timing] node flow: offers + setup + commit + fund + checks %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      assertThat(XmrEscrowCommitment.of(chain.web3j(), chain.deployment()).committed(jobId, worker.getAddress()))
          .hasValueSatisfying(h -> assertThat(h).isEqualTo(XmrEscrowCommitment.addressHash(address)));
      final EscrowTerms terms = settlements.get(Role.WORKER).record(escrowId).orElseThrow().terms();
      assertThat(terms.workerAddress()).isEqualTo(address(personal, Role.WORKER));
      assertThat(terms.arbiterAddress()).isEqualTo(address(personal, Role.ARBITER));
      assertThat(terms.pricePerStep()).isEqualTo(XMR_PER_STEP);
      net.mine(10);

      // --- two anchored blocks whose leaves are TL wei at the job's TL price per step
      final BigInteger tlPerStep = ContractSuite.connect(chain.web3j(), client, chain.deployment()).escrow().getJob(jobId).send()
          .pricePerStep;
      final String w = worker.getAddress();
      known.put(jobId, 0, Map.of(w, tlPerStep.multiply(BigInteger.valueOf(150)), chain.account(7).getAddress(), tlPerStep));
      known.put(jobId, 1, Map.of(w, tlPerStep.multiply(BigInteger.valueOf(75))));
      byte[] parent = new byte[32];
      for (long i = 0; i < 2; i++) {
        parent = TestChain.anchor(chain, validators, jobId, i, parent, PayoutTree.of(known.leaves(jobId, i).orElseThrow()).root());
      }
      assertThatThrownBy(() -> settlements.get(Role.WORKER).release(escrowId)).isInstanceOf(EscrowException.class)
          .hasMessageContaining("no final evidence");
      final long claimableAt = ContractSuite.connect(chain.web3j(), client, chain.deployment())
          .escrow().claimableAt(jobId, BigInteger.ONE).send().longValueExact();
      chain.advanceTime(claimableAt - ChainInfo.latestBlock(chain.web3j()).getTimestamp().longValueExact() + 1);

      // --- the worker's node restarts and resumes from its store, then releases: 225 steps at 0.01 XMR
      settlements.get(Role.WORKER).close();
      final long tr = System.nanoTime();
      final XmrSettlement restarted = open(Role.WORKER, worker, personal.get(Role.WORKER),
          wallets.escrow(Role.WORKER), chain, known, hosts.get(Role.WORKER), directory, pool);
      settlements.put(Role.WORKER, restarted);
      assertThat(restarted.ready(escrowId).orElseThrow().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(address);
      System.out.printf("[xmr-timing] node flow: worker's node resumed from its store (escrow wallet open) %d ms%n",
          (System.nanoTime() - tr) / 1_000_000);
      final long workerBefore = TestChain.balance(personal.get(Role.WORKER));
      final long t1 = System.nanoTime();
      final Settlement release = restarted.release(escrowId);
      System.out.printf("[xmr-timing] node flow: payout round %d ms%n", (System.nanoTime() - t1) / 1_000_000);
      final long pay = 225 * XMR_PER_STEP;
      net.mine(10);
      assertThat(TestChain.balance(personal.get(Role.WORKER)) - workerBefore).as("225 anchored steps at the XMR price, to the piconero")
          .isEqualTo(pay);
      final PaymentProof proof = release.proofs().stream().filter(p -> p.address().equals(terms.workerAddress()))
          .findFirst().orElseThrow();
      assertThat(personal.get(Role.WORKER).checkTxProof(proof.txid(), proof.address(), proof.message(), proof.signature())
          .received()).isEqualTo(pay);

      // --- the client gets the rest back: deposit less pay, arbiter fee and both network fees
      final Settlement refund = settlements.get(Role.CLIENT).refund(escrowId);
      final PaymentProof back = refund.proofs().stream().filter(p -> p.address().equals(terms.clientRefundAddress()))
          .findFirst().orElseThrow();
      assertThat(back.amount()).isEqualTo(10 * XMR - pay - XMR / 20 - release.fee() - refund.fee());
      System.out.printf("[xmr-run] node flow: job %s escrow %s; release %s paid the worker %d and the arbiter %d (fee %d);"
          + " refund %s paid the client %d (fee %d)%n", jobId, address, release.txHashes(), pay, XMR / 20, release.fee(),
          refund.txHashes(), back.amount(), refund.fee());
      settlements.values().forEach(XmrSettlement::close);
    } finally {
      hosts.values().forEach(Host::close);
      pool.shutdownNow();
    }
  }

  /** A node's settlement (again, after a restart), served on its host. */
  private XmrSettlement open(final Role role, final Credentials account, final WalletRpc personal, final WalletRpc escrowWallet,
      final AnvilSuiteAccess chain, final AnchoredPayoutPolicy.BlockPayouts payouts, final Host host,
      final Map<String, Multiaddr> directory, final ExecutorService threads) {
    final XmrSettlement s = XmrSettlement.open(new XmrSettlement.Config(dir.resolve("node-" + role), account, id -> escrowWallet,
        role == Role.CLIENT ? Optional.of(personal) : Optional.empty(), new XmrSettlement.PayoutSettings(personal.address(), 0),
        TIMEOUT), chain.web3j(), chain.deployment(), payouts,
        new Libp2pEscrowTransport(host, a -> Optional.ofNullable(directory.get(a)), XmrProtocol.DEFAULT_ANSWER_TIMEOUT));
    host.setStreamHandler(XmrProtocol.ID, new XmrStreamHandler(s.router(), threads));
    return s;
  }

  /** The reason a node gives when refusing {@code terms} offered by {@code from}. */
  private static String refusal(final XmrSettlement node, final EscrowTerms terms, final Credentials from) {
    final SignedMessage answer = node.router().handle(SignedMessage.sign(new EscrowMessage.Offer(terms.escrowId(), terms.hash(),
        terms), new AccountSigner(from))).orElseThrow();
    return ((EscrowMessage.Refusal) answer.open(AccountSigner.VERIFIER)).reason();
  }

  private static String id(final Credentials c) {
    return c.getAddress().toLowerCase();
  }

  private static String address(final Map<Role, WalletRpc> personal, final Role r) {
    return personal.get(r).address();
  }

  /** The payout leaves every node received with the blocks (the same copy for all three here). */
  private static final class KnownLeaves implements AnchoredPayoutPolicy.BlockPayouts {
    private final Map<String, Map<String, BigInteger>> leaves = new ConcurrentHashMap<>();

    void put(final BigInteger jobId, final long index, final Map<String, BigInteger> block) {
      leaves.put(jobId + "/" + index, block);
    }

    @Override
    public Optional<Map<String, BigInteger>> leaves(final BigInteger jobId, final long index) {
      return Optional.ofNullable(leaves.get(jobId + "/" + index));
    }
  }
}
