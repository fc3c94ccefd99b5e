package io.tensorlink.chain.job.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.chain.job.data.ChunkIndex;
import io.tensorlink.chain.node.ClientRole;
import io.tensorlink.chain.node.NodeConfig;
import io.tensorlink.chain.node.NodeIdentity;
import io.tensorlink.chain.node.Role;
import io.tensorlink.chain.node.StandaloneNode;
import io.tensorlink.chain.pol.Abi;
import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.Bid;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.JobSpec;
import io.tensorlink.chain.pol.NodeBinding;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.Signature;
import io.tensorlink.chain.pol.VerifyMode;
import io.tensorlink.chain.pol.work.DatasetCommitment;
import io.tensorlink.chain.validator.AnvilSuiteAccess;
import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.data.Dataset;
import io.tensorlink.compute.data.GeneratedData;
import io.tensorlink.compute.optim.AdamW;
import io.tensorlink.compute.optim.LrSchedule;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.SuiteContract;
import io.tensorlink.contracts.deploy.ChainInfo;
import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * The job market on a real anvil with the deployed suite and real libp2p hosts on loopback:
 * announcements checked against what JobEscrow stores, four workers bidding, every node computing
 * the same assignment that the escrow records, and bad bids and announcements dropped with reasons.
 */
class MarketAnvilTest {
  static final BigInteger TL = BigInteger.TEN.pow(18);
  static final Dataset DATA = GeneratedData.blobs(120, 4, 3, 2f, 5);
  static final Capacity CAPACITY = measured();

  static AnvilSuiteAccess anvil;
  static PolDomain domain;
  final List<MarketNode> nodes = new ArrayList<>();

  static Capacity measured() {
    try (CpuBackend backend = CpuBackend.withThreads(1)) {
      return CapacityProbe.measure(backend, Duration.ofMillis(600), 1000);
    }
  }

  @BeforeAll
  static void chain() throws Exception {
    anvil = AnvilSuiteAccess.start();
    domain = PolDomain.of(ChainInfo.chainId(anvil.web3j()),
        EthAddress.of(anvil.deployment().address(SuiteContract.POL_ANCHOR)));
    for (int i = 2; i <= 5; i++) {
      anvil.stakeWorker(anvil.account(i));
    }
  }

  @AfterAll
  static void stopChain() {
    if (anvil != null) {
      anvil.close();
    }
  }

  @AfterEach
  void stopNodes() {
    nodes.forEach(MarketNode::close);
  }

  static JobSpec spec(final BigInteger price, final float lr) {
    return new JobSpec(Abi.keccak("mlp"), DatasetCommitment.of(DATA).root(), DATA.size(), AdamW.defaults(),
        new LrSchedule.Constant(lr), 0f, 8, 42, 50, true, 2, 1, 100_000, VerifyMode.EXACT, 0, 10, price);
  }

  /** Funds a job in the escrow as {@code client} with the given on-chain terms; returns its id. */
  static BigInteger createJob(final Credentials client, final Bytes32 specHash, final Bytes32 paramsHash,
      final BigInteger price) throws Exception {
    final ContractSuite s = ContractSuite.connect(anvil.web3j(), client, anvil.deployment());
    final BigInteger budget = TL.multiply(BigInteger.valueOf(500));
    s.token().approve(anvil.deployment().address(SuiteContract.JOB_ESCROW), budget).send();
    final long deadline = ChainInfo.latestBlock(anvil.web3j()).getTimestamp().longValueExact() + 86_400;
    s.escrow().createJob(specHash.toArrayUnsafe(), budget, price, BigInteger.valueOf(deadline),
        paramsHash.toArrayUnsafe(), BigInteger.valueOf(100_000), BigInteger.ZERO, BigInteger.ZERO).send();
    return s.escrow().jobCount().send();
  }

  static BigInteger createJob(final Credentials client, final JobSpec spec) throws Exception {
    return createJob(client, spec.specHash(), spec.paramsHash(), spec.pricePerStep());
  }

  MarketNode node(final int account, final Optional<WorkerOffer> offer) {
    final MarketNode n = new MarketNode(anvil.web3j(), anvil.deployment(), domain, anvil.account(account), offer);
    nodes.add(n);
    return n;
  }

  static Optional<WorkerOffer> offer(final int account, final String priceTl) {
    final BigInteger price = new java.math.BigDecimal(priceTl).multiply(new java.math.BigDecimal(TL)).toBigIntegerExact();
    return Optional.of(new WorkerOffer(anvil.account(account), price, Bid.Backend.CPU, CAPACITY));
  }

  static long now() {
    return ChainInfo.latestBlock(anvil.web3j()).getTimestamp().longValueExact();
  }

  byte[] announcement(final MarketNode client, final Credentials signer, final BigInteger jobId, final JobSpec spec) {
    final NodeBinding binding = NodeBinding.sign(client.host.peerId(), 1, domain, signer);
    return JobAnnouncement.sign(jobId, spec, ChunkIndex.of(DATA, 32), now() + 60, 1, binding, domain, signer).encode();
  }

  @Test
  void announcementsAreCheckedAgainstWhatTheEscrowStores() throws Exception {
    final MarketNode client = node(1, Optional.empty());
    final MarketNode worker = node(2, Optional.empty());
    final JobCatalog catalog = worker.market.catalog();
    final JobSpec spec = spec(TL, 1e-3f);

    final BigInteger good = createJob(client.account, spec);
    assertThat(catalog.accept(client.host.peerId(), announcement(client, client.account, good, spec)).accepted())
        .isTrue();
    assertThat(catalog.get(good).orElseThrow().spec()).isEqualTo(spec);

    final BigInteger other = createJob(client.account, spec);
    final JobSpec otherLr = spec(TL, 2e-3f);
    assertThat(catalog.accept(client.host.peerId(), announcement(client, client.account, other, otherLr)).reason())
        .contains("paramsHash").contains("is not the escrow's");

    final BigInteger cheap = createJob(client.account, spec.specHash(), spec.paramsHash(), TL.divide(BigInteger.TWO));
    assertThat(catalog.accept(client.host.peerId(), announcement(client, client.account, cheap, spec)).reason())
        .contains("pricePerStep " + TL + " is not the escrow's " + TL.divide(BigInteger.TWO));

    final Credentials stranger = anvil.account(7);
    assertThat(catalog.accept(client.host.peerId(), announcement(client, stranger, other, spec)).reason())
        .contains("the escrow's client is");
    assertThat(catalog.accept(worker.host.peerId(), announcement(client, client.account, other, spec)).reason())
        .contains("not the author");
    assertThat(catalog.accept(client.host.peerId(), announcement(client, client.account, BigInteger.valueOf(999), spec))
        .reason()).contains("the escrow has no job 999");
    assertThat(catalog.accept(client.host.peerId(), new byte[] {1, 2, 3}).accepted()).isFalse();
    assertThat(catalog.jobs()).extracting(MarketJob::jobId).containsExactly(good);
  }

  @Test
  void fourWorkersBidAndEveryNodeComputesTheAssignmentTheEscrowRecords() throws Exception {
    final MarketNode client = node(1, Optional.empty());
    final List<MarketNode> workers = List.of(node(2, offer(2, "0.5")), node(3, offer(3, "0.6")),
        node(4, offer(4, "0.6")), node(5, offer(5, "0.9")));
    for (final MarketNode w : workers) {
      client.dial(w);
    }
    workers.get(0).dial(workers.get(1));
    workers.get(2).dial(workers.get(3));
    workers.get(1).dial(workers.get(3));
    final JobSpec spec = spec(TL, 1e-3f);
    final BigInteger jobId = createJob(client.account, spec);
    final long windowEnd = now() + 60;

    final CompletableFuture<Assignment> assigned =
        client.client().publish(new ClientRole.Offer(jobId, spec, DATA, 32, windowEnd, 1));
    waitUntil(() -> nodes.stream().allMatch(n -> n.market.bids().bids(jobId).size() == 4));
    assertThat(client.market.bids().bids(jobId)).allSatisfy(b -> {
      assertThat(b.capacity()).isEqualTo(CAPACITY);
      assertThat(b.capacity().mflops()).as("measured GEMM throughput").isPositive();
      assertThat(b.capacity().memoryBytes()).isEqualTo(Runtime.getRuntime().maxMemory());
    });

    // Bad bids arrive over gossip and are dropped everywhere; each reason is checked directly too.
    final BidBook book = workers.get(0).market.bids();
    final SignedBid honest = book.bids(jobId).get(0);
    final SignedBid forged = new SignedBid(new Bid(jobId, honest.bid().worker(), BigInteger.ONE, Bid.Backend.CPU,
        honest.bid().expiresAt(), honest.bid().signature()), honest.capacity(), honest.capacitySignature());
    final SignedBid unstaked = SignedBid.sign(jobId, TL.divide(BigInteger.TEN), Bid.Backend.CPU, windowEnd + 100,
        CAPACITY, domain, anvil.account(6));
    final SignedBid expired = SignedBid.sign(jobId, TL.divide(BigInteger.TEN), Bid.Backend.CPU, windowEnd - 1,
        CAPACITY, domain, anvil.account(2));
    final SignedBid cuda = SignedBid.sign(jobId, TL.divide(BigInteger.TEN), Bid.Backend.CUDA, windowEnd + 100,
        CAPACITY, domain, anvil.account(3));
    final SignedBid greedy = SignedBid.sign(jobId, TL.add(BigInteger.ONE), Bid.Backend.CPU, windowEnd + 100,
        CAPACITY, domain, anvil.account(4));
    for (final SignedBid bad : List.of(forged, unstaked, expired, cuda, greedy)) {
      client.gossip.publish(SignedBid.topic(jobId), bad.encode().toArray()).join();
    }
    assertThat(book.offer(jobId, forged.encode().toArray()).reason())
        .isEqualTo("bad signature: the bid is not signed by " + honest.bid().worker());
    assertThat(book.offer(jobId, unstaked.encode().toArray()).reason()).startsWith("below stake");
    assertThat(book.offer(jobId, expired.encode().toArray()).reason()).startsWith("expired");
    assertThat(book.offer(jobId, cuda.encode().toArray()).reason()).isEqualTo("a CUDA bid for an exact-mode job");
    assertThat(book.offer(jobId, greedy.encode().toArray()).reason()).contains("over the job's");
    assertThat(book.offer(jobId.add(BigInteger.ONE), honest.encode().toArray()).reason()).contains("came on job");
    final SignedBid badCapacity = new SignedBid(honest.bid(), new Capacity(1, 1, 1), honest.capacitySignature());
    assertThat(book.offer(jobId, badCapacity.encode().toArray()).reason())
        .startsWith("bad signature: the capacity");
    Thread.sleep(500);
    assertThat(nodes).allSatisfy(n -> assertThat(n.market.bids().bids(jobId)).hasSize(4));

    anvil.mine(61);
    final Assignment assignment = assigned.get(60, TimeUnit.SECONDS);

    // The rule: cheapest first, the two 0.6 TL bids ordered by keccak(randomness ‖ worker); one standby.
    final Bytes32 randomness = workers.get(0).market.chain().windowRandomness(windowEnd).orElseThrow();
    final EthAddress w2 = EthAddress.of(anvil.account(2).getAddress());
    final List<EthAddress> tied = List.of(anvil.account(3), anvil.account(4)).stream()
        .map(c -> EthAddress.of(c.getAddress()))
        .sorted(Comparator.comparing(a -> tieBreak(randomness, a))).toList();
    assertThat(assignment.randomness()).isEqualTo(randomness);
    assertThat(assignment.workers()).containsExactly(w2, tied.get(0));
    assertThat(assignment.standbys()).containsExactly(tied.get(1));

    final OnChainJob onChain = workers.get(0).market.chain().job(jobId).orElseThrow();
    assertThat(onChain.assignmentHash()).isEqualTo(assignment.hash());
    assertThat(onChain.status()).isEqualTo(OnChainJob.ACTIVE);
    waitUntil(() -> nodes.stream().allMatch(n -> n.market.assignments().assignment(jobId).isPresent()));
    for (final MarketNode n : nodes) {
      final MarketJob job = n.market.catalog().get(jobId).orElseThrow();
      final Assignment own = AssignmentRule.compute(job, n.market.bids().bids(jobId),
          n.market.chain().windowRandomness(windowEnd).orElseThrow(), domain);
      assertThat(own).isEqualTo(assignment);
      assertThat(n.market.assignments().assignment(jobId)).contains(assignment);
      assertThat(n.told).containsExactly(assignment);
    }
    // A node that joins after the assignment still learns the job and accepts the same assignment.
    final MarketNode late = node(7, Optional.empty());
    late.dial(client);
    waitUntil(() -> late.market.assignments().assignment(jobId).isPresent());
    assertThat(late.told).containsExactly(assignment);

    final ContractSuite view = ContractSuite.connect(anvil.web3j(), anvil.account(0), anvil.deployment());
    assertThat(view.escrow().isAssigned(jobId, tied.get(1).toString()).send()).as("standby assigned").isTrue();
    assertThat(view.escrow().isAssigned(jobId, anvil.account(5).getAddress()).send()).isFalse();

    // The client's node restarts (same key, nothing in memory): it takes the job up again from what it
    // gossiped, saved to a file, and a node that joins afterwards learns the job from it alone.
    final java.nio.file.Path saved = java.nio.file.Files.createTempFile("job-" + jobId, ".gossiped.bin");
    client.client().gossiped(jobId).orElseThrow().write(saved);
    client.close();
    nodes.remove(client);
    final MarketNode restarted = new MarketNode(anvil.web3j(), anvil.deployment(), domain, client.account,
        Optional.empty(), client.identity);
    nodes.add(restarted);
    assertThat(restarted.host.peerId()).isEqualTo(client.host.peerId());
    final ClientRole.Gossiped read = ClientRole.Gossiped.read(saved);
    assertThatThrownBy(() -> restarted.client().resume(jobId.add(BigInteger.ONE), spec, DATA, read))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not " + jobId.add(BigInteger.ONE));
    assertThat(restarted.client().resume(jobId, spec, DATA, read).get(30, TimeUnit.SECONDS)).isEqualTo(assignment);
    assertThat(restarted.told).containsExactly(assignment);
    final MarketNode later = node(8, Optional.empty());
    later.dial(restarted);
    waitUntil(() -> later.market.assignments().assignment(jobId).isPresent());
    assertThat(later.told).containsExactly(assignment);
    java.nio.file.Files.delete(saved);
  }

  @Test
  void anAssignmentThatIsNotTheRulesOutcomeIsRefused() throws Exception {
    final MarketNode client = node(1, Optional.empty());
    final List<MarketNode> workers = List.of(node(2, offer(2, "0.5")), node(3, offer(3, "0.7")));
    workers.forEach(client::dial);
    final JobSpec spec = spec(TL, 1e-3f);
    final BigInteger jobId = createJob(client.account, spec);
    final long windowEnd = now() + 30;
    final CompletableFuture<Assignment> assigned =
        client.client().publish(new ClientRole.Offer(jobId, spec, DATA, 32, windowEnd, 0));
    waitUntil(() -> nodes.stream().allMatch(n -> n.market.bids().bids(jobId).size() == 2));
    final MarketNode w = workers.get(0);
    final AssignmentBook fresh = new AssignmentBook(domain, w.market.chain(), w.market.catalog(), w.market.bids());
    final List<SignedBid> bids = w.market.bids().bids(jobId);
    anvil.mine(31);
    final Assignment real = assigned.get(60, TimeUnit.SECONDS);
    final Assignment swapped = new Assignment(jobId, real.randomness(), 2, 1,
        List.of(real.workers().get(1), real.workers().get(0)), List.of());
    assertThat(fresh.offer(new AssignmentMessage(swapped, bids).encode()).reason())
        .startsWith("it differs from this node's computation");
    final Assignment otherLuck = new Assignment(jobId, Bytes32.ZERO, 2, 1, real.workers(), List.of());
    assertThat(fresh.offer(new AssignmentMessage(otherLuck, bids).encode()).reason())
        .contains("is not the window's block hash");
    assertThat(fresh.offer(new AssignmentMessage(real, bids.subList(0, 1)).encode()).reason())
        .contains("do not fill the job");
    assertThat(fresh.offer(new AssignmentMessage(real, bids).encode()).accepted()).isTrue();
  }

  @Test
  void aStandaloneClientNodeRefusesDataThatIsNotTheSpecsAndFailsClearlyWithoutEnoughBids(@TempDir final Path dir)
      throws Exception {
    final Credentials account = anvil.account(1);
    final NodeConfig config = new NodeConfig(dir, EnumSet.of(Role.CLIENT), Keys.generate(KeyType.ED25519),
        Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), List.of(), new InetSocketAddress("127.0.0.1", 0), Optional.empty(),
        Optional.of(new NodeIdentity(account, domain.chainId(), domain)), Map.of(), Duration.ofSeconds(1));
    try (StandaloneNode node = StandaloneNode.start(config);
        JobMarket market = new JobMarket(node.gossip(),
            new JobChain(anvil.web3j(), ContractSuite.connect(anvil.web3j(), account, anvil.deployment())), domain,
            Optional.empty(), Duration.ofMillis(200)).start();
        ClientRole client = ClientRole.attach(node, market)) {
      final MarketNode worker = node(2, offer(2, "0.5"));
      worker.host.dial(node.listenAddresses().get(0)).orTimeout(10, TimeUnit.SECONDS).join();
      final JobSpec spec = spec(TL, 1e-3f);
      final BigInteger jobId = createJob(account, spec);
      final long windowEnd = now() + 20;
      final Dataset other = GeneratedData.blobs(120, 4, 3, 2f, 6);
      assertThatThrownBy(() -> client.publish(new ClientRole.Offer(jobId, spec, other, 32, windowEnd, 0)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the spec commits to " + spec.datasetRoot());

      final CompletableFuture<Assignment> assigned =
          client.publish(new ClientRole.Offer(jobId, spec, DATA, 32, windowEnd, 0));
      waitUntil(() -> market.bids().bids(jobId).size() == 1 && worker.market.bids().bids(jobId).size() == 1);
      anvil.mine(21);
      assertThatThrownBy(() -> assigned.get(60, TimeUnit.SECONDS))
          .hasRootCauseInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("job " + jobId + " needs 2 workers but has 1 valid bids");
      assertThat(market.chain().job(jobId).orElseThrow().assignmentHash()).isEqualTo(Bytes32.ZERO);
    }
  }

  private static Bytes32 tieBreak(final Bytes32 randomness, final EthAddress worker) {
    return Abi.keccak(Bytes.concatenate(randomness, worker.value()));
  }

  private static void waitUntil(final BooleanSupplier condition) throws InterruptedException {
    final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 30 s");
      }
      Thread.sleep(100);
    }
  }
}
