package io.tensorlink.chain.xmr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.chain.validator.AnvilSuiteAccess;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.deploy.ChainInfo;
import io.tensorlink.contracts.pol.PayoutTree;
import io.tensorlink.monero.escrow.EscrowException;
import io.tensorlink.monero.escrow.EscrowMessage.Settlement;
import io.tensorlink.monero.escrow.EscrowParty;
import io.tensorlink.monero.escrow.EscrowStore;
import io.tensorlink.monero.escrow.EscrowTerms;
import io.tensorlink.monero.escrow.EscrowTransport;
import io.tensorlink.monero.escrow.PaymentProof;
import io.tensorlink.monero.escrow.ReleasePlan;
import io.tensorlink.monero.escrow.Role;
import io.tensorlink.monero.regtest.MoneroBinaries;
import io.tensorlink.monero.regtest.MoneroRegtest;
import io.tensorlink.monero.rpc.WalletRpc;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.tx.RawTransactionManager;

/**
 * Issue 13 end to end on real parts: a job on anvil whose PoL blocks are anchored by three validators'
 * signatures, an XMR escrow on a regtest monerod committed in the XmrEscrowRegistry, and a release whose
 * amount every party reads from the anchored blocks ({@link AnchoredPayoutPolicy}). The worker receives
 * exactly the sum of its anchored leaves, to the piconero.
 */
class AnchoredXmrPayoutTest {
  private static final long XMR = 1_000_000_000_000L;
  /** These leaves are written in piconero: the TL and XMR prices per step are the same number. */
  private static final AnchoredPayoutPolicy.Rate SAME = new AnchoredPayoutPolicy.Rate(BigInteger.valueOf(XMR / 100), XMR / 100);
  private static final BigInteger LEAF_0 = BigInteger.valueOf(3 * XMR / 2);
  private static final BigInteger LEAF_1 = BigInteger.valueOf(3 * XMR / 4);

  @TempDir Path dir;

  @Test
  void theWorkerIsPaidExactlyItsAnchoredLeavesOnceTheirChallengeWindowsHavePassed() throws Exception {
    final Optional<MoneroBinaries> bin = MoneroBinaries.find();
    if (bin.isEmpty()) {
      System.out.println("SKIPPED AnchoredXmrPayoutTest: " + MoneroBinaries.INSTALL_HINT);
    }
    Assumptions.assumeTrue(bin.isPresent(), "monerod not installed");
    final ExecutorService pool = Executors.newCachedThreadPool();
    try (AnvilSuiteAccess chain = AnvilSuiteAccess.start(); MoneroRegtest net = MoneroRegtest.start(bin.get(), dir.resolve("regtest"))) {
      // --- the chain: three validators, a worker, a job, two anchored blocks
      final Credentials client = chain.account(1);
      final Credentials worker = chain.account(2);
      final List<Credentials> validators = List.of(chain.account(3), chain.account(4), chain.account(5));
      for (final Credentials v : validators) {
        chain.stakeValidator(v);
      }
      chain.stakeWorker(worker);
      chain.advanceTime(3_600); // validators registered in epoch e sign from epoch e+1
      final BigInteger jobId = chain.createAssignedJob(client, List.of(worker));
      final String other = chain.account(7).getAddress();
      final Map<Long, Map<String, BigInteger>> leaves = Map.of(
          0L, Map.of(worker.getAddress(), LEAF_0, other, BigInteger.valueOf(123_456)),
          1L, Map.of(worker.getAddress(), LEAF_1));
      byte[] parent = new byte[32];
      for (long i = 0; i < 2; i++) {
        parent = TestChain.anchor(chain, validators, jobId, i, parent, PayoutTree.of(leaves.get(i)).root());
      }

      // --- Monero: a personal and an escrow wallet-rpc per party
      final PartyWallets wallets = PartyWallets.start(net, pool);
      final Map<Role, WalletRpc> personal = wallets.personal();

      // --- the escrow, each party deciding from the chain
      final String arbiterAccount = ArbiterSelection.select(jobId, client.getAddress(), worker.getAddress(),
          validators.stream().map(Credentials::getAddress).toList());
      final Map<Role, Credentials> creds = Map.of(Role.CLIENT, client, Role.WORKER, worker, Role.ARBITER,
          validators.stream().filter(v -> v.getAddress().equalsIgnoreCase(arbiterAccount)).findFirst().orElseThrow());
      final Map<Role, String> ids = new EnumMap<>(Role.class);
      creds.forEach((r, c) -> ids.put(r, new AccountSigner(c).signerId()));
      final EscrowTerms terms = new EscrowTerms(XmrEscrows.escrowId(jobId, worker.getAddress()), ids, 10 * XMR, XMR / 100,
          XMR / 20, XMR / 100, personal.get(Role.WORKER).address(), personal.get(Role.CLIENT).address(),
          personal.get(Role.ARBITER).address());
      final Map<String, EscrowParty> nodes = new ConcurrentHashMap<>();
      final EscrowTransport direct = (account, m) -> Optional.ofNullable(nodes.get(account)).orElseThrow(() ->
          new EscrowException(EscrowException.Reason.UNAVAILABLE, account + " is not connected")).handle(m);
      final AnchoredPayoutPolicy.BlockPayouts known = (j, i) -> j.equals(jobId) ? Optional.ofNullable(leaves.get(i)) : Optional.empty();
      final Map<Role, EscrowParty> parties = new EnumMap<>(Role.class);
      for (final Role r : Role.values()) {
        final AccountSigner signer = new AccountSigner(creds.get(r));
        final AnchoredPayoutPolicy policy = new AnchoredPayoutPolicy(chain.web3j(),
            ContractSuite.connect(chain.web3j(), creds.get(r), chain.deployment()), known, jobId, worker.getAddress(), SAME);
        final EscrowParty p = EscrowParty.open(new EscrowParty.Config(r, terms, wallets.escrow(r), "", signer,
            AccountSigner.VERIFIER, direct, new EscrowStore(dir.resolve("node-" + r), signer.storeKey()), policy));
        parties.put(r, p);
        nodes.put(ids.get(r), p);
      }
      parties.values().stream().map(p -> CompletableFuture.runAsync(p::prepareWallet, pool)).toList()
          .forEach(CompletableFuture::join);
      final long t0 = System.nanoTime();
      final List<String> addresses = parties.values().stream()
          .map(p -> CompletableFuture.supplyAsync(() -> p.setup(Duration.ofMinutes(4)), pool)).toList()
          .stream().map(CompletableFuture::join).toList();
      System.out.printf("[xmr-timing] anchored: setup rounds %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      assertThat(addresses).containsOnly(addresses.getFirst());

      // --- commitment on chain, checked by the worker; funding checks it too
      final long chainId = chain.web3j().ethChainId().send().getChainId().longValueExact();
      final XmrEscrowCommitment registry = XmrEscrowCommitment.of(chain.web3j(), chain.deployment());
      registry.commit(new RawTransactionManager(chain.web3j(), client, chainId), jobId, worker.getAddress(), addresses.getFirst());
      parties.get(Role.WORKER).verifyCommitment(registry);
      parties.get(Role.CLIENT).fund(personal.get(Role.CLIENT), registry);
      net.mine(10);

      // --- the windows are still open: no party decides, so nothing can be released
      assertThatThrownBy(() -> parties.get(Role.WORKER).release(Role.CLIENT)).isInstanceOf(EscrowException.class)
          .hasMessageContaining("no final evidence");
      final long claimableAt = ContractSuite.connect(chain.web3j(), client, chain.deployment())
          .escrow().claimableAt(jobId, BigInteger.ONE).send().longValueExact();
      final long now = ChainInfo.latestBlock(chain.web3j()).getTimestamp().longValueExact();
      chain.advanceTime(claimableAt - now + 1);

      // --- final: the worker builds the release, the client's node checks it against the chain and signs
      final BigInteger anchored = LEAF_0.add(LEAF_1);
      final ReleasePlan plan = new AnchoredPayoutPolicy(chain.web3j(), ContractSuite.connect(chain.web3j(), client,
          chain.deployment()), known, jobId, worker.getAddress(), SAME).releasePlan(terms).orElseThrow();
      assertThat(plan.workerAmount()).isEqualTo(anchored.longValueExact());
      // A node whose copy of the leaves differs from the anchored root, or lacks a block, decides nothing.
      assertThat(new AnchoredPayoutPolicy(chain.web3j(), ContractSuite.connect(chain.web3j(), client, chain.deployment()),
          (j, i) -> Optional.of(Map.of(worker.getAddress(), LEAF_0.add(BigInteger.ONE))), jobId, worker.getAddress(), SAME)
          .releasePlan(terms)).isEmpty();
      assertThat(new AnchoredPayoutPolicy(chain.web3j(), ContractSuite.connect(chain.web3j(), client, chain.deployment()),
          (j, i) -> i == 0 ? Optional.of(leaves.get(0L)) : Optional.empty(), jobId, worker.getAddress(), SAME)
          .releasePlan(terms)).isEmpty();
      final long before = TestChain.balance(personal.get(Role.WORKER));
      final long t1 = System.nanoTime();
      final Settlement release = parties.get(Role.WORKER).release(Role.CLIENT);
      System.out.printf("[xmr-timing] anchored: payout round %d ms%n", (System.nanoTime() - t1) / 1_000_000);
      net.mine(10);
      assertThat(TestChain.balance(personal.get(Role.WORKER)) - before).as("worker paid its anchored leaves to the piconero")
          .isEqualTo(anchored.longValueExact());
      final PaymentProof proof = release.proofs().stream().filter(p -> p.address().equals(terms.workerAddress()))
          .findFirst().orElseThrow();
      assertThat(proof.amount()).isEqualTo(anchored.longValueExact());
      assertThat(personal.get(Role.WORKER).checkTxProof(proof.txid(), proof.address(), proof.message(), proof.signature())
          .received()).isEqualTo(anchored.longValueExact());
      System.out.printf("[xmr-run] anchored: job %s, blocks 0+1 leaves %s + %s piconero; release tx %s pays the worker %s"
          + " (proof %s)%n", jobId, LEAF_0, LEAF_1, release.txHashes(), anchored, proof.signature());
    } finally {
      pool.shutdownNow();
    }
  }

}
