package io.tensorlink.chain.validator;

import static io.tensorlink.chain.validator.Worker.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.Attestation;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.JobSpec;
import io.tensorlink.chain.pol.PoLHeader;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.VerifyMode;
import io.tensorlink.chain.pol.verify.ReexecutionPool;
import io.tensorlink.chain.pol.verify.VerdictCache;
import io.tensorlink.chain.pol.verify.VerifyServer;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.pol.work.DatasetCommitment;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.LocalPipeline;
import io.tensorlink.chain.store.BlockKey;
import io.tensorlink.chain.store.DutyKey;
import io.tensorlink.chain.store.StoredEntry;
import io.tensorlink.chain.validator.pol.BlockRecords;
import io.tensorlink.chain.validator.pol.JobContexts;
import io.tensorlink.chain.validator.pol.PolBlockFormat;
import io.tensorlink.chain.validator.pol.PolBlockVerifier;
import io.tensorlink.chain.validator.pol.PolProtocol;
import io.tensorlink.chain.validator.pol.PolHeaders;
import io.tensorlink.chain.validator.pol.SignedRecordInspector;
import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.data.Dataset;
import io.tensorlink.compute.data.GeneratedData;
import io.tensorlink.compute.optim.AdamW;
import io.tensorlink.compute.optim.LrSchedule;
import io.tensorlink.compute.spec.ModelFactory;
import io.tensorlink.compute.spec.ModelSpecs;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * The production protocol end to end on a real anvil: three validators (own RocksDB, own libp2p
 * host, gossipsub on loopback) run {@link SignedRecordInspector}, {@link PolBlockFormat} and
 * {@link PolBlockVerifier} over records the real engine produces ({@link LocalPipeline}, the shipped
 * MLP, 2 stages × 1 replica, 2 steps per block, AdamW, exact mode, verify rate 100% so every
 * validator is obliged to re-execute every record). The workers' inputs are served over {@code /tl/verify/1.0.0} from one
 * worker host (the pipeline runs both workers in one process; each record names its own worker,
 * and the directory maps both to that host).
 */
class PolValidatorAnvilTest {
  // Longer than a block's verification here (re-executing every record, three validators and the
  // workers sharing a loaded machine: 5-20 s): a shorter round lets the next leaders sign their own
  // headers before the first proposal is verified, and the block stalls (docs/validator.md, limits).
  private static final ValidatorConfig CONFIG = ValidatorConfig.defaults()
      .withConfirmations(0)
      .withLeaderTimeout(Duration.ofSeconds(40))
      .withSubmitGrace(Duration.ofSeconds(1))
      .withActiveSetRefresh(Duration.ofSeconds(5));
  private static final Duration ANCHOR_WAIT = Duration.ofSeconds(90);
  private static final Path MLP = Path.of("../models/mlp.json");
  private static final int SAMPLES = 256;

  @AutoClose private static AnvilSuite chain;
  private static Credentials client;
  private static List<Credentials> validatorAccounts;
  private static List<Credentials> workers;
  private static CpuBackend cpu;
  private static final List<ReexecutionPool> pools = new ArrayList<>();
  private static final ExecutorService decoder = Executors.newFixedThreadPool(2);

  @TempDir Path dir;
  private final List<ValidatorNode> nodes = new ArrayList<>();
  private Worker worker;

  @BeforeAll
  static void stakeEveryone() throws Exception {
    chain = AnvilSuite.start();
    client = chain.account(0);
    validatorAccounts = List.of(chain.account(1), chain.account(2), chain.account(3));
    workers = List.of(chain.account(6), chain.account(7));
    for (final Credentials v : validatorAccounts) {
      chain.stakeValidator(v);
    }
    for (final Credentials w : workers) {
      chain.stake(w, AnvilSuite.tl(1_000));
    }
    chain.advanceTime(3_600);
    cpu = CpuBackend.withThreads(1);
  }

  @AfterAll
  static void release() {
    pools.forEach(ReexecutionPool::close);
    if (cpu != null) {
      cpu.close();
    }
    decoder.shutdownNow();
  }

  @AfterEach
  void stopNetwork() {
    nodes.forEach(ValidatorNode::close);
    if (worker != null) {
      worker.close();
    }
  }

  /** Nudges one weight of stage 1 by one ulp after step 3 (in block 1): structurally consistent, caught only by re-execution. */
  private static final LocalPipeline.Fault ONE_ULP_AT_STEP_3 = new LocalPipeline.Fault() {
    @Override
    public void afterUpdate(final long step, final int stage, final int replica, final NamedTensors params) {
      if (step == 3 && stage == 1) {
        final float[] w = params.get(0).data();
        w[17] = Math.nextUp(w[17]);
      }
    }
  };

  @Test
  void productionVerifiersAnchorEngineRecordsAndRefuseAOneUlpCheat() throws Exception {
    final PolDomain domain = polDomain();
    final Dataset dataset = GeneratedData.images(SAMPLES, 1, 28, 28, 10, 0.5f, 7);
    final DatasetCommitment commitment = DatasetCommitment.of(dataset);
    final JobSpec spec = new JobSpec(Bytes32.wrap(ModelSpecs.specHash(ModelSpecs.read(MLP))), commitment.root(), SAMPLES,
        AdamW.defaults(), new LrSchedule.Constant(1e-3f), 0f, 4, 11, 1000, true, 2, 1, 1_000_000, VerifyMode.EXACT, 0, 2,
        AnvilSuite.tl(1));
    final BigInteger jobId = chain.createJob(client, spec.specHash().toArray(), spec.paramsHash().toArray(),
        spec.verifyRatePpm(), spec.pricePerStep());
    chain.suite(client).escrow().assign(jobId, workers.stream().map(Credentials::getAddress).toList(), AnvilSuite.word(3))
        .send();
    final JobContext job = JobContext.of(jobId, spec, ModelFactory.load(MLP), dataset, commitment,
        new Assignment(jobId, Bytes32.ZERO, 2, 1, workers.stream().map(c -> EthAddress.of(c.getAddress())).toList(), List.of()),
        domain);
    final LocalPipeline pipeline = new LocalPipeline(job, cpu, Map.of(EthAddress.of(workers.get(0).getAddress()), workers.get(0),
        EthAddress.of(workers.get(1).getAddress()), workers.get(1)), ONE_ULP_AT_STEP_3);

    worker = new Worker();
    VerifyServer.register(worker.host, (key, kind) -> pipeline.archive(job.assignment().worker(key.stage(), key.replica()))
        .get(key, kind), decoder);
    final Multiaddr workerAddress = worker.host.listenAddresses().get(0).withPeerId(worker.host.peerId());
    for (int i = 0; i < 3; i++) {
      nodes.add(new ValidatorNode(chain, validatorAccounts.get(i), dir.resolve("validator-" + i), CONFIG,
          production(spec, dataset, domain, a -> workers.stream().anyMatch(w -> EthAddress.of(w.getAddress()).equals(a))
              ? Optional.of(workerAddress) : Optional.empty())));
    }
    nodes.get(0).dial(nodes.get(1));
    nodes.get(1).dial(nodes.get(2));
    nodes.get(2).dial(nodes.get(0));
    nodes.forEach(worker::dial);
    nodes.forEach(ValidatorNode::startValidator);
    worker.awaitSubscribers(jobId, 3);

    // Block 0: steps 0 and 1, honest.
    final List<SignedStepRecord> block0 = pipeline.runThrough(1);
    block0.forEach(r -> worker.publish(jobId, PolCodec.encode(r).toArray()));
    awaitAnchored(jobId, 1);
    final BlockKey first = new BlockKey(jobId, 0);
    final byte[] anchored = chain.suite(client).anchor().head(jobId).send().component1();
    // a node whose view of the records lagged a chain block behind the leader's may have refused it
    // (the randomness rule); the other two anchored it
    final ValidatorNode signer = nodes.stream()
        .filter(n -> n.store().signedHash(first).map(h -> java.util.Arrays.equals(h, anchored)).orElse(false))
        .findFirst().orElseThrow();
    final PoLHeader header = PolHeaders.decode(BlockEntry.decode(signer.store().block(first).orElseThrow()).header());
    assertThat(header.blockHash().toArray()).isEqualTo(anchored);
    assertThat(header.stepFrom()).isZero();
    assertThat(header.stepTo()).isEqualTo(2);
    assertThat(header.stepsRoot()).isEqualTo(BlockRecords.decode(signer.store().records(jobId, 0, 2)).stepsRoot());
    int signers = 0;
    for (final ValidatorNode n : nodes) {
      final Optional<Attestation> own = n.store().attestations(first, anchored).stream()
          .map(e -> PolMessage.attestation(org.apache.tuweni.bytes.Bytes.wrap(e.value())))
          .filter(a -> a.validator().toString().equalsIgnoreCase(n.address())).findFirst();
      if (own.isPresent()) {
        signers++;
        // rate 100%: it re-executed all 4 records, found each valid and signed that list
        assertThat(own.get().sampled()).hasSize(4).allMatch(v -> v.verdict() == Attestation.Verdict.VALID);
        assertThat(own.get().valid(header, domain)).isTrue();
      }
    }
    assertThat(signers).as("validators whose signed verdicts are stored for the anchored header").isGreaterThanOrEqualTo(2);

    // Block 1: steps 2 and 3, stage 1 nudged by one ulp after step 3.
    final List<SignedStepRecord> block1 = pipeline.runThrough(3);
    block1.forEach(r -> worker.publish(jobId, PolCodec.encode(r).toArray()));
    for (final ValidatorNode n : nodes) {
      await(() -> fraudNoted(n, new BlockKey(jobId, 1)).isPresent(), ANCHOR_WAIT, n.address() + " finds the fraud in block 1");
      final Duty.FraudFound f = fraudNoted(n, new BlockKey(jobId, 1)).orElseThrow();
      assertThat(f.record().step()).isEqualTo(3);
      assertThat(f.record().stage()).isEqualTo(1);
      assertThat(f.reason()).startsWith("PARAMS_AFTER_MISMATCH");
    }
    // each node's verdict on block 1 is final (the fraud note is written when it is reached)
    Thread.sleep(2_000);
    assertThat(nodes).as("no validator signs a block with a record it was obliged to re-execute and found false")
        .allMatch(n -> n.store().signedHash(new BlockKey(jobId, 1)).isEmpty());
    assertThat(chain.suite(client).anchor().head(jobId).send().component2()).isEqualTo(BigInteger.ONE);
  }

  private static Optional<Duty.FraudFound> fraudNoted(final ValidatorNode n, final BlockKey block) {
    for (final StoredEntry<DutyKey> e : n.store().duties()) {
      if (Duty.decode(e.key(), e.value()) instanceof Duty.FraudFound f && f.block().equals(block)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** The production protocol for one validator node: its own contexts, input source, budget and cache. */
  private static ValidatorNode.ProtocolFactory production(final JobSpec spec, final Dataset dataset, final PolDomain domain,
      final java.util.function.Function<EthAddress, Optional<Multiaddr>> directory) {
    return (host, store) -> {
      final JobContexts contexts = new JobContexts(id -> Optional.of(spec), JobContexts.modelsIn(MLP.getParent()),
          root -> root.equals(spec.datasetRoot()) ? Optional.of(dataset) : Optional.empty(), domain);
      final ReexecutionPool pool = new ReexecutionPool(1, 1);
      pools.add(pool);
      final PolProtocol protocol = PolProtocol.over(contexts, domain, chain.parameters().validatorFeeBps(),
          chain.parameters().protocolFeeBps(), store, host, directory, pool, new VerdictCache(4096), Duration.ofSeconds(30),
          decoder);
      return new ValidatorNode.Protocol(protocol.format(), protocol.verifier(), protocol.inspector());
    };
  }

  private static PolDomain polDomain() {
    final io.tensorlink.contracts.pol.Eip712Domain d = chain.suite(client).polDomain();
    return PolDomain.of(d.chainId(), EthAddress.of(d.verifyingContract()));
  }

  private static void awaitAnchored(final BigInteger jobId, final long blocks) {
    chain.awaitAnchored(client, jobId, blocks, ANCHOR_WAIT);
  }
}
