package io.tensorlink.chain.validator;

import static io.tensorlink.chain.validator.Worker.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tensorlink.besu.AnvilMirror;
import io.tensorlink.besu.ApiOnlyClassLoader;
import io.tensorlink.besu.Fixtures;
import io.tensorlink.besu.StandInBesu;
import io.tensorlink.chain.job.data.ChunkIndex;
import io.tensorlink.chain.job.data.DataServer;
import io.tensorlink.chain.job.market.JobAnnouncement;
import io.tensorlink.chain.node.NodeAnnouncement;
import io.tensorlink.chain.node.NodeIdentity;
import io.tensorlink.chain.node.Role;
import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.Attestation;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.JobSpec;
import io.tensorlink.chain.pol.NodeBinding;
import io.tensorlink.chain.pol.PoLHeader;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.VerifyMode;
import io.tensorlink.chain.pol.verify.ReexecutionPool;
import io.tensorlink.chain.pol.verify.VerdictCache;
import io.tensorlink.chain.pol.verify.VerifyServer;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.pol.work.DatasetCommitment;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.LocalPipeline;
import io.tensorlink.chain.store.BlockKey;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.validator.pol.JobContexts;
import io.tensorlink.chain.validator.pol.PolHeaders;
import io.tensorlink.chain.validator.pol.PolProtocol;
import io.tensorlink.chain.validator.suite.Eip712Signer;
import io.tensorlink.chain.validator.suite.SuiteAnchorClient;
import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.data.Dataset;
import io.tensorlink.compute.data.GeneratedData;
import io.tensorlink.compute.optim.AdamW;
import io.tensorlink.compute.optim.LrSchedule;
import io.tensorlink.compute.spec.ModelFactory;
import io.tensorlink.compute.spec.ModelSpecs;
import io.tensorlink.contracts.SuiteContract;
import io.tensorlink.contracts.deploy.DeploymentStore;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import java.math.BigInteger;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.hyperledger.besu.plugin.BesuPlugin;
import org.hyperledger.besu.plugin.data.TransactionSelectionResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * The Besu plugin's validator, loaded from the BUILT JAR in an API-only class loader, is one of
 * three validators that re-execute records of the real engine and anchor a PoL block on a real
 * anvil, over loopback libp2p; restarted on its data dir it does not sign a second header for a
 * (job, index) it signed, and its proposer-side selector leaves out a submission of the header it
 * refused, with the reason.
 *
 * <p>What stands in for what: {@link StandInBesu} stands in for Besu's plugin services (CLI
 * options, RPC table, transaction selection), and {@link AnvilMirror} for Besu's block import —
 * it copies anvil's blocks with their suite logs into the stand-in chain, from which the plugin's
 * validator reads its events, as it would from Besu's own blocks; its transactions and views go to
 * anvil's JSON-RPC, as they would to Besu's. No Besu runs here.
 *
 * <p>Built as chain's {@code PolValidatorAnvilTest} builds it, with chain's fixtures from its
 * test-jar (this class sits in their package because they are package-private): the other two
 * validators are {@link ValidatorNode}s on the production protocol; the job (the shipped MLP, 2
 * stages × 1 replica, 2 steps per block, exact mode, verify rate 100%, so every validator
 * re-executes every record) is trained by {@link LocalPipeline}. Around the plugin, the parts a
 * real network gives it: the client announces the job on {@code /tl/jobs/1} and serves its dataset
 * over the data protocol, each worker announces its node binding on {@code /tl/nodes/1} and serves
 * its inputs over {@code /tl/verify/1.0.0}.
 *
 * <p>The job is chosen so that the plugin's validator leads round 0 of block 0 (the schedule is a
 * pure function of the active set, the job id and the index): the first proposal is its own, and
 * once anchored the block carries its signature. The other two accept randomness up to 256 blocks
 * old (the most the anchor allows): anvil mines every 500 ms, so the default window of 16 blocks is
 * 8 s, less than a proposer's own re-execution of the block takes on a loaded machine, and a stale
 * refusal would hand the block to the other two (the protocol working, but not this test's point).
 */
class PluginValidatorAnvilIT {
  // As PolValidatorAnvilTest: longer than a block's verification on a loaded machine.
  private static final ValidatorConfig CONFIG = ValidatorConfig.defaults()
      .withConfirmations(0)
      .withLeaderTimeout(Duration.ofSeconds(40))
      .withSubmitGrace(Duration.ofSeconds(1))
      .withActiveSetRefresh(Duration.ofSeconds(5))
      .withRandomnessWindow(256);
  // Up to a few leader rounds (the plugin's are 20 s) plus verification, on a machine shared with other builds.
  private static final Duration WAIT = Duration.ofSeconds(240);
  private static final Path MODELS = Path.of("../models");
  private static final int SAMPLES = 256;

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() {
    for (int i = open.size() - 1; i >= 0; i--) {
      try {
        open.get(i).close();
      } catch (Exception e) {
        // closing the rest matters more
      }
    }
  }

  private <T extends AutoCloseable> T track(final T c) {
    open.add(c);
    return c;
  }

  @Test
  void thePluginsValidatorReexecutesAndAnchorsWithTwoOthersAndNeverSignsTwiceAcrossARestart() throws Exception {
    final Path jar = ApiOnlyClassLoader.builtJar();
    assumeTrue(jar != null, "SKIPPED: the plugin jar is not built (run through `./mvnw -pl besu-plugin -am verify`)");
    final AnvilSuite chain = track(AnvilSuite.start());
    final Credentials client = chain.account(0);
    final Credentials a = chain.account(1);
    final Credentials b = chain.account(2);
    final Credentials plugin = chain.account(3);
    final List<Credentials> workers = List.of(chain.account(6), chain.account(7));
    for (final Credentials v : List.of(a, b, plugin)) {
      chain.stakeValidator(v);
    }
    for (final Credentials w : workers) {
      chain.stake(w, AnvilSuite.tl(1_000));
    }
    chain.advanceTime(3_600);
    final String anchor = chain.deployment().address(SuiteContract.POL_ANCHOR);
    final String stakeManager = chain.deployment().address(SuiteContract.STAKE_MANAGER);
    final PolDomain domain = PolDomain.of(chain.deployment().chainId(), EthAddress.of(anchor));

    // The job, the engine's records and the hosts around the validators.
    final Dataset dataset = GeneratedData.images(SAMPLES, 1, 28, 28, 10, 0.5f, 7);
    final DatasetCommitment commitment = DatasetCommitment.of(dataset);
    final JobSpec spec = new JobSpec(Bytes32.wrap(ModelSpecs.specHash(ModelSpecs.read(MODELS.resolve("mlp.json")))),
        commitment.root(), SAMPLES, AdamW.defaults(), new LrSchedule.Constant(1e-3f), 0f, 4, 11, 1000, true, 2, 1, 1_000_000,
        VerifyMode.EXACT, 0, 2, AnvilSuite.tl(1));
    final ValidatorSet active = new SuiteAnchorClient(chain.suite(client), chain.web3j()).activeSet();
    while (!LeaderSchedule.leader(active, chain.suite(client).escrow().jobCount().send().add(BigInteger.ONE), 0, 0)
        .equalsIgnoreCase(plugin.getAddress())) {
      chain.createJob(client); // a job nobody works on, so that the next id's block 0 is the plugin's to lead
    }
    final BigInteger jobId = chain.createJob(client, spec.specHash().toArray(), spec.paramsHash().toArray(),
        spec.verifyRatePpm(), spec.pricePerStep());
    assertThat(LeaderSchedule.leader(active, jobId, 0, 0)).isEqualToIgnoringCase(plugin.getAddress());
    chain.suite(client).escrow().assign(jobId, workers.stream().map(Credentials::getAddress).toList(), AnvilSuite.word(3)).send();
    final CpuBackend cpu = track(CpuBackend.withThreads(1));
    final ExecutorService io = Executors.newFixedThreadPool(4);
    track(io::shutdownNow);
    final JobContext job = JobContext.of(jobId, spec, ModelFactory.load(MODELS.resolve("mlp.json")), dataset, commitment,
        new Assignment(jobId, Bytes32.ZERO, 2, 1, workers.stream().map(c -> EthAddress.of(c.getAddress())).toList(), List.of()),
        domain);
    final LocalPipeline pipeline = new LocalPipeline(job, cpu, Map.of(EthAddress.of(workers.get(0).getAddress()), workers.get(0),
        EthAddress.of(workers.get(1).getAddress()), workers.get(1)), new LocalPipeline.Fault() {});

    final Worker clientHost = track(new Worker());
    final DataServer data = DataServer.register(clientHost.host, io);
    final ChunkIndex chunks = ChunkIndex.of(dataset, 64);
    data.serve(jobId, dataset, chunks);
    final byte[] announcement = JobAnnouncement.sign(jobId, spec, chunks, 0, 0,
        NodeBinding.sign(clientHost.host.peerId(), System.currentTimeMillis() / 1000, domain, client), domain, client).encode();
    final List<Worker> workerHosts = List.of(track(new Worker()), track(new Worker()));
    // One host per worker account (a binding names one peer); the pipeline trains both cells in this
    // process, so each host serves from its archives, and a validator asks the host bound to the record's worker.
    for (final Worker w : workerHosts) {
      VerifyServer.register(w.host, (key, kind) -> pipeline.archive(job.assignment().worker(key.stage(), key.replica()))
          .get(key, kind), io);
    }
    final Function<EthAddress, Optional<Multiaddr>> directory = account -> {
      for (int i = 0; i < workers.size(); i++) {
        if (EthAddress.of(workers.get(i).getAddress()).equals(account)) {
          return Optional.of(address(workerHosts.get(i)));
        }
      }
      return Optional.empty();
    };
    // What a client and workers keep doing on a live network: re-announce the job and their bindings.
    final ScheduledExecutorService announcer = Executors.newSingleThreadScheduledExecutor();
    track(announcer::shutdownNow);
    announcer.scheduleWithFixedDelay(() -> {
      clientHost.gossip.publish(JobAnnouncement.TOPIC, announcement);
      for (int i = 0; i < workers.size(); i++) {
        workerHosts.get(i).gossip.publish(NodeAnnouncement.TOPIC, NodeAnnouncement.current(workerHosts.get(i).host,
            new NodeIdentity(workers.get(i), chain.deployment().chainId(), domain), Set.of(Role.WORKER)).encode());
      }
    }, 0, 1, TimeUnit.SECONDS);

    final List<ValidatorNode> others = new ArrayList<>();
    for (final Credentials v : List.of(a, b)) {
      others.add(track(new ValidatorNode(chain, v, dir.resolve("validator-" + others.size()), CONFIG,
          production(chain, spec, dataset, domain, directory, io))));
    }
    others.get(0).dial(others.get(1));
    for (final Worker w : List.of(clientHost, workerHosts.get(0), workerHosts.get(1))) {
      others.forEach(w::dial);
    }
    others.forEach(ValidatorNode::startValidator);

    // The plugin, as Besu would start it, with the validator role; it dials everyone as bootnodes.
    final List<String> suite = Arrays.stream(SuiteContract.values()).map(c -> chain.deployment().address(c)).toList();
    final Path dataDir = dir.resolve("plugin");
    final String bootnodes = String.join(",", List.of(address(others.get(0)), address(others.get(1)), address(clientHost),
        address(workerHosts.get(0)), address(workerHosts.get(1))).stream().map(Multiaddr::toString).toList());
    final String[] options = {"--plugin-tensorlink-data-dir=" + dataDir, "--plugin-tensorlink-roles=validator",
        "--plugin-tensorlink-keystore=" + Fixtures.keystore(dir, plugin), "--plugin-tensorlink-password-file=" + Fixtures.passwordFile(dir),
        "--plugin-tensorlink-deployment-file=" + new DeploymentStore(dir.resolve("deployments")).write(chain.deployment()),
        "--plugin-tensorlink-rpc-url=" + chain.rpcUrl(), "--plugin-tensorlink-models-dir=" + MODELS.toAbsolutePath(),
        "--plugin-tensorlink-p2p-host=127.0.0.1", "--plugin-tensorlink-p2p-port=0", "--plugin-tensorlink-bootnodes=" + bootnodes};
    final String pluginAddress = plugin.getAddress().toLowerCase();
    final ConcurrentLinkedQueue<PolMessage> heard = new ConcurrentLinkedQueue<>();
    clientHost.gossip.subscribe(PolTransport.POL_TOPIC, m -> heard.add(PolMessage.decode(m.data().toByteArray()))).join();

    // Block 0: steps 0 and 1, proposed by the plugin's validator; the other two re-execute and attest.
    final BlockKey first = new BlockKey(jobId, 0);
    final byte[] anchored;
    try (URLClassLoader loader = ApiOnlyClassLoader.forPlugin(jar); Running p = Running.start(loader, chain, suite, options)) {
      workerHosts.get(0).awaitSubscribers(jobId, 3);
      awaitSubscribed(workerHosts.get(0), jobId, p);
      pipeline.runThrough(1).forEach(r -> workerHosts.get(0).publish(jobId, PolCodec.encode(r).toArray()));
      await(() -> anchoredBlocks(chain, client, jobId) >= 1, WAIT, "block 0 of job " + jobId + " anchored");
      anchored = chain.suite(client).anchor().head(jobId).send().component1();
      await(() -> p.besu.rpc.call("tl_polBlock", jobId.toString(), "0x0") != null, Duration.ofSeconds(30),
          "the plugin's validator records block 0");
      final Map<?, ?> block = (Map<?, ?>) p.besu.rpc.call("tl_polBlock", jobId.toString(), "0x0");
      assertThat(block.get("blockHash")).isEqualTo(Numeric.toHexString(anchored));
      assertThat(((List<?>) block.get("signers")).stream().map(String::valueOf).toList()).as("the anchored signers")
          .contains(pluginAddress);
    }
    try (NodeStore store = NodeStore.open(dataDir.resolve("store"))) {
      final Attestation own = store.attestations(first, anchored).stream()
          .map(e -> PolMessage.attestation(Bytes.wrap(e.value())))
          .filter(x -> x.validator().toString().equalsIgnoreCase(pluginAddress)).findFirst().orElseThrow();
      // verify rate 100%: the plugin's validator re-executed all 4 records of the block and found each valid
      assertThat(own.sampled()).hasSize(4).allMatch(v -> v.verdict() == Attestation.Verdict.VALID);
    }

    // Block 1: the other validators stop, so the plugin's validator (1/3 of the stake) signs a
    // header that cannot be anchored: its own proposal, when the leader schedule reaches it.
    others.forEach(ValidatorNode::stopValidator);
    final BlockKey second = new BlockKey(jobId, 1);
    final PoLHeader signed;
    try (URLClassLoader loader = ApiOnlyClassLoader.forPlugin(jar); Running p = Running.start(loader, chain, suite, options)) {
      awaitSubscribed(workerHosts.get(0), jobId, p);
      pipeline.runThrough(3).forEach(r -> workerHosts.get(0).publish(jobId, PolCodec.encode(r).toArray()));
      await(() -> proposalBy(heard, pluginAddress, second).isPresent(), WAIT, "the plugin's validator proposes block 1");
      signed = PolHeaders.decode(proposalBy(heard, pluginAddress, second).orElseThrow().header());
    }
    try (NodeStore store = NodeStore.open(dataDir.resolve("store"))) {
      assertThat(store.signedHash(second)).hasValueSatisfying(h -> assertThat(h).isEqualTo(signed.blockHash().toArray()));
    }
    assertThat(anchoredBlocks(chain, client, jobId)).isEqualTo(1);

    // Restarted on the same data dir (a fresh plugin in a fresh class loader, as after a Besu
    // restart), it is offered a different header for the same (job, index), proposed by A.
    final PoLHeader other = new PoLHeader(jobId, 1, signed.parent(), signed.stepFrom(), signed.stepTo(), signed.stepsRoot(),
        signed.payoutsRoot(), signed.checkpointRoot(), Bytes32.random(), signed.randomnessBlock());
    final byte[] otherProposal = new PolMessage.Proposal(PolHeaders.candidate(other).encoded(),
        new Eip712Signer(a, chain.suite(a).polDomain()).attest(other.blockHash().toArray(), List.of())).encode();
    final List<Credentials> everyone = List.of(a, b, plugin);
    try (URLClassLoader loader = ApiOnlyClassLoader.forPlugin(jar); Running p = Running.start(loader, chain, suite, options)) {
      heard.clear();
      final String refusal = "TensorLink: this node's verifier rejected the PoL block: already signed "
          + Numeric.toHexString(signed.blockHash().toArray());
      final long[] lastSent = {0};
      await(() -> {
        // gossip drops what it publishes before the restarted node joined the topic's mesh: resend now and then
        if (System.nanoTime() - lastSent[0] > TimeUnit.SECONDS.toNanos(2)) {
          clientHost.gossip.publish(PolTransport.POL_TOPIC, otherProposal);
          lastSent[0] = System.nanoTime();
        }
        return p.besu.selection.preProcess(StandInBesu.tx(anchor, Fixtures.submit(domain, other, everyone))).toString()
            .contains(refusal);
      }, Duration.ofSeconds(60), "the restarted validator refuses the other header");
      // The selector keeps the header the validator signed, and everything that is not a submission.
      assertThat(p.besu.selection.preProcess(StandInBesu.tx(anchor, Fixtures.submit(domain, signed, everyone))))
          .isEqualTo(TransactionSelectionResult.SELECTED);
      assertThat(p.besu.selection.preProcess(StandInBesu.tx(stakeManager, Fixtures.submit(domain, other, everyone))))
          .isEqualTo(TransactionSelectionResult.SELECTED);
      // Instead of signing the other header it sends its vote for the one it signed.
      await(() -> votesBy(heard, pluginAddress, second).contains(Numeric.toHexString(signed.blockHash().toArray())),
          Duration.ofSeconds(30), "the restarted validator's vote for the header it signed");
      Thread.sleep(2_000);
      assertThat(votesBy(heard, pluginAddress, second)).doesNotContain(Numeric.toHexString(other.blockHash().toArray()));
    }
    try (NodeStore store = NodeStore.open(dataDir.resolve("store"))) {
      assertThat(store.signedHash(second)).hasValueSatisfying(h -> assertThat(h).isEqualTo(signed.blockHash().toArray()));
      assertThat(store.attestations(second, other.blockHash().toArray())).noneMatch(e -> PolMessage.attestation(
          Bytes.wrap(e.value())).validator().toString().equalsIgnoreCase(pluginAddress));
    }
  }

  /** A plugin loaded from the jar and started on stand-ins for Besu whose chain follows anvil; stops it on close. */
  private record Running(BesuPlugin plugin, StandInBesu besu, AnvilMirror mirror) implements AutoCloseable {
    static Running start(final URLClassLoader loader, final AnvilSuite chain, final List<String> suite, final String... options) {
      final StandInBesu besu = new StandInBesu();
      final AnvilMirror mirror = new AnvilMirror(chain.web3j(), besu, suite);
      mirror.catchUp();
      final BesuPlugin plugin = ApiOnlyClassLoader.loadPlugin(loader);
      plugin.register(besu);
      besu.cli.parse(options);
      plugin.beforeExternalServices();
      plugin.start();
      return new Running(plugin, besu, mirror.follow(100));
    }

    @Override
    public void close() {
      mirror.close();
      plugin.stop();
    }
  }

  /** The production protocol for one of the other validators, as PolValidatorAnvilTest builds it. */
  private ValidatorNode.ProtocolFactory production(final AnvilSuite chain, final JobSpec spec, final Dataset dataset,
      final PolDomain domain, final Function<EthAddress, Optional<Multiaddr>> directory, final ExecutorService decoder) {
    return (host, store) -> {
      final JobContexts contexts = new JobContexts(id -> Optional.of(spec), JobContexts.modelsIn(MODELS),
          root -> root.equals(spec.datasetRoot()) ? Optional.of(dataset) : Optional.empty(), domain);
      final PolProtocol protocol = PolProtocol.over(contexts, domain, chain.parameters().validatorFeeBps(),
          chain.parameters().protocolFeeBps(), store, host, directory, track(new ReexecutionPool(1, 1)), new VerdictCache(4096),
          Duration.ofSeconds(30), decoder);
      return new ValidatorNode.Protocol(protocol.format(), protocol.verifier(), protocol.inspector());
    };
  }

  private static Optional<PolMessage.Proposal> proposalBy(final ConcurrentLinkedQueue<PolMessage> heard, final String validator,
      final BlockKey block) {
    return heard.stream().filter(m -> m instanceof PolMessage.Proposal).map(m -> (PolMessage.Proposal) m)
        .filter(p -> p.proposer().validator().toString().equalsIgnoreCase(validator))
        .filter(p -> PolHeaders.decode(p.header()).index() == block.index()).findFirst();
  }

  /** The header hashes {@code validator} attested for {@code block}, in votes and in its own proposals. */
  private static List<String> votesBy(final ConcurrentLinkedQueue<PolMessage> heard, final String validator, final BlockKey block) {
    return heard.stream().<Attestation>mapMulti((m, out) -> {
      switch (m) {
        case PolMessage.Vote v when v.block().equals(block) -> out.accept(v.attestation());
        case PolMessage.Proposal p when PolHeaders.decode(p.header()).index() == block.index() -> out.accept(p.proposer());
        default -> { }
      }
    }).filter(x -> x.validator().toString().equalsIgnoreCase(validator)).map(x -> x.blockHash().toHexString()).toList();
  }

  /** Waits until the running plugin's node (not just any peer) subscribes to the job's steps topic on {@code worker}. */
  private static void awaitSubscribed(final Worker worker, final BigInteger jobId, final Running p) {
    final String peer = (String) ((Map<?, ?>) p.besu.rpc.call("tl_nodeInfo")).get("peerId");
    await(() -> worker.gossip.topicPeers(PolTransport.stepsTopic(jobId)).join().stream().anyMatch(x -> x.toBase58().equals(peer)),
        Duration.ofSeconds(60), "the plugin's node subscribing to job " + jobId + "'s steps");
  }

  private static long anchoredBlocks(final AnvilSuite chain, final Credentials reader, final BigInteger jobId) {
    try {
      return chain.suite(reader).anchor().head(jobId).send().component2().longValueExact();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read job " + jobId + "'s head from PoLAnchor", e);
    }
  }

  private static Multiaddr address(final Worker w) {
    return w.host.listenAddresses().get(0).withPeerId(w.host.peerId());
  }

  private static Multiaddr address(final ValidatorNode n) {
    return n.host.listenAddresses().get(0).withPeerId(n.host.peerId());
  }
}
