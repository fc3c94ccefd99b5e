package io.tensorlink.cli.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensorlink.chain.job.result.CheckpointDirectory;
import io.tensorlink.chain.job.result.CheckpointServer;
import io.tensorlink.chain.job.result.LossCurve;
import io.tensorlink.chain.job.tensor.PeerBindings;
import io.tensorlink.chain.job.tensor.TensorEndpoint;
import io.tensorlink.chain.job.worker.WorkerOptions;
import io.tensorlink.chain.job.worker.WorkerRuntime;
import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.JobSpec;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.pol.VerifyMode;
import io.tensorlink.chain.pol.work.DatasetCommitment;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.rpc.JobRecords;
import io.tensorlink.chain.rpc.JobStatus;
import io.tensorlink.chain.rpc.NodeInfo;
import io.tensorlink.chain.rpc.PeerInfo;
import io.tensorlink.chain.rpc.PolBlockView;
import io.tensorlink.chain.rpc.RecordRef;
import io.tensorlink.chain.rpc.RecordVerdict;
import io.tensorlink.chain.rpc.TlJsonRpcServer;
import io.tensorlink.chain.rpc.TlNode;
import io.tensorlink.chain.rpc.TlRpcMethods;
import io.tensorlink.chain.validator.pol.BlockRecords;
import io.tensorlink.cli.CliRun;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.checkpoint.Checkpoint;
import io.tensorlink.compute.checkpoint.CheckpointFile;
import io.tensorlink.compute.checkpoint.Safetensors;
import io.tensorlink.compute.data.Dataset;
import io.tensorlink.compute.data.GeneratedData;
import io.tensorlink.compute.optim.AdamW;
import io.tensorlink.compute.optim.LrSchedule;
import io.tensorlink.compute.spec.ModelFactory;
import io.tensorlink.compute.spec.ModelSpecs;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.SuiteContract;
import io.tensorlink.contracts.deploy.Deployment;
import io.tensorlink.contracts.deploy.DeploymentStore;
import io.tensorlink.contracts.deploy.MnemonicAccounts;
import io.tensorlink.contracts.devnet.DevnetGenesis;
import io.tensorlink.contracts.generated.PoLAnchor.PoLBlock;
import io.tensorlink.contracts.merkle.MerkleTree;
import io.tensorlink.contracts.pol.PoLBlocks;
import io.tensorlink.contracts.pol.Randomness;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.transport.Hosts;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;

/**
 * {@code tl-cli job result} end to end on a real anvil: two {@link WorkerRuntime}s (the shipped
 * MLP, 2 stages, each on its own loopback libp2p host serving {@code /tl/checkpoint/1.0.0}) train
 * one PoL block; block 0 is anchored with their records' checkpointRoot by a staked validator; a
 * {@code tl_*} JSON-RPC endpoint answers {@code tl_jobRecords} and {@code tl_peers} from those
 * records and hosts (the node's part). The CLI fetches, checks, exports safetensors equal to the
 * workers' parameters and a loss PNG; a tampered checkpoint makes it refuse with the reason.
 */
class JobResultEndToEndTest {
  private static final long STEPS = 4;
  private static final BigInteger TL = BigInteger.TEN.pow(18);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static AnvilChain chain;
  private static Web3j web3j;
  private static Path deployments;
  private static Path dataDir;
  private static BigInteger jobId;
  private static final List<Host> hosts = new ArrayList<>();
  private static final List<WorkerRuntime> workers = new ArrayList<>();
  private static final List<CpuBackend> backends = new ArrayList<>();
  private static final ExecutorService threads = Executors.newCachedThreadPool();
  private static final ConcurrentLinkedQueue<SignedStepRecord> records = new ConcurrentLinkedQueue<>();
  private static TlJsonRpcServer rpc;
  private static Path checkpoints;
  private static String anchoredRoot;

  @TempDir Path out;

  @BeforeAll
  static void trainAnchorAndServe() throws Exception {
    chain = AnvilChain.start();
    web3j = Web3j.build(new HttpService(chain.rpcUrl()));
    deployments = Files.createTempDirectory("deployments");
    dataDir = Files.createTempDirectory("tl-data");
    checkpoints = Files.createTempDirectory("checkpoints");
    final MnemonicAccounts accounts = new MnemonicAccounts(DevnetGenesis.load(DevnetGenesis.locate(Path.of(""))).mnemonic());
    final CliRun deployed = CliRun.run(dataDir, "contracts", "deploy", "--rpc-url", chain.rpcUrl(), "--deployments",
        deployments.toString());
    assertThat(deployed.exitCode()).as(deployed.err()).isZero();
    final Deployment deployment = new DeploymentStore(deployments).require(7701);

    final Credentials validator = accounts.account(1);
    stake(deployment, validator, tl(40_000));
    ContractSuite.connect(web3j, validator, deployment).stakeManager().registerValidator().send();
    final List<Credentials> keys = List.of(accounts.account(4), accounts.account(5));
    for (final Credentials w : keys) {
      stake(deployment, w, tl(1_000));
    }
    final ContractSuite client = ContractSuite.connect(web3j, accounts.account(0), deployment);
    client.token().approve(deployment.address(SuiteContract.JOB_ESCROW), tl(1_000)).send();
    final long now = web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock().getTimestamp()
        .longValueExact();
    client.escrow().createJob(new byte[32], tl(1_000), tl(1), BigInteger.valueOf(now + 86_400), new byte[32],
        BigInteger.valueOf(250_000), BigInteger.ZERO, BigInteger.ZERO).send();
    jobId = client.escrow().jobCount().send();
    client.escrow().assign(jobId, keys.stream().map(Credentials::getAddress).toList(), new byte[32]).send();
    chain.advanceTime(3_600); // the validator signs from the next epoch

    final JobContext job = job(jobId, keys, PolDomain.of(7701, EthAddress.of(deployment.address(SuiteContract.POL_ANCHOR))));
    final Map<EthAddress, Multiaddr> addresses = new HashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      final Host host = Hosts.create(HostConfig.loopback());
      host.start().orTimeout(30, TimeUnit.SECONDS).join();
      hosts.add(host);
      addresses.put(EthAddress.of(keys.get(i).getAddress()), host.listenAddresses().get(0).withPeerId(host.peerId()));
    }
    for (int i = 0; i < keys.size(); i++) {
      final CpuBackend cpu = CpuBackend.withThreads(1);
      backends.add(cpu);
      workers.add(new WorkerRuntime(job, keys.get(i), cpu, new TensorEndpoint(hosts.get(i)), PeerBindings.of(addresses),
          records::add, WorkerOptions.defaults().withCheckpoints(checkpoints, (int) STEPS)
              .withFrameTimeout(Duration.ofSeconds(30))));
      CheckpointServer.register(hosts.get(i), new CheckpointDirectory(checkpoints), threads);
    }
    final List<Future<Long>> done = new ArrayList<>();
    for (final WorkerRuntime w : workers) {
      done.add(threads.submit(() -> w.runThrough(STEPS - 1)));
    }
    for (final Future<Long> f : done) {
      f.get(180, TimeUnit.SECONDS);
    }

    final List<SignedStepRecord> all = List.copyOf(records);
    final List<Bytes32[]> roots = new ArrayList<>();
    for (int s = 0; s < 2; s++) {
      final int stage = s;
      final StepRecord r = all.stream().map(SignedStepRecord::record)
          .filter(x -> x.step() == STEPS - 1 && x.stage() == stage).findFirst().orElseThrow();
      roots.add(new Bytes32[] {r.paramsAfter(), r.optStateAfter()});
    }
    final Bytes32 checkpointRoot = BlockRecords.checkpointRoot(roots);
    anchoredRoot = checkpointRoot.toHexString();
    final Randomness randomness = Randomness.recent(web3j);
    final PoLBlock h = new PoLBlock(jobId, BigInteger.ZERO, new byte[32], BigInteger.ZERO, BigInteger.valueOf(STEPS),
        MerkleTree.of(all.stream().map(r -> r.leaf().toArray()).toList()).root(), new byte[32],
        checkpointRoot.toArray(), randomness.hash(), BigInteger.valueOf(randomness.block()));
    client.anchor().submit(h, PoLBlocks.signAll(List.of(validator), client.polDomain(), h)).send();

    rpc = TlJsonRpcServer.start(new TlRpcMethods(node(addresses)), new InetSocketAddress("127.0.0.1", 0));
  }

  @AfterAll
  static void stop() {
    if (rpc != null) {
      rpc.close();
    }
    threads.shutdownNow();
    workers.forEach(WorkerRuntime::close);
    hosts.forEach(Host::close);
    backends.forEach(CpuBackend::close);
    if (web3j != null) {
      web3j.shutdown();
    }
    if (chain != null) {
      chain.close();
    }
  }

  @Test
  void exportsTheCheckedModelAndItsLossCurve() throws Exception {
    final Path model = out.resolve("model.safetensors");
    final CliRun result = cli("job", "result", jobId.toString(), "--out", model.toString(), "--json");
    assertThat(result.exitCode()).as(result.err()).isZero();
    final JsonNode json = JSON.readTree(result.out());
    assertThat(json.path("checkpointRoot").asText()).isEqualTo(anchoredRoot);
    assertThat(json.path("step").asLong()).isEqualTo(STEPS);
    assertThat(json.path("polBlock").asLong()).isZero();
    assertThat(json.path("model").asText()).isEqualTo(model.toAbsolutePath().toString());

    final NamedTensors.Builder expected = NamedTensors.builder();
    workers.stream().sorted(java.util.Comparator.comparingInt(WorkerRuntime::stage)).forEach(w -> expected.addAll(w.params()));
    final Safetensors.Contents written = Safetensors.read(model);
    assertThat(written.tensors()).isEqualTo(expected.build());
    assertThat(written.metadata()).containsEntry("checkpointRoot", anchoredRoot).containsEntry("step", "4");

    final Path png = out.resolve("model.safetensors.loss.png");
    assertThat(json.path("lossCurve").asText()).isEqualTo(png.toAbsolutePath().toString());
    final java.awt.image.BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(LossCurve.WIDTH);
    assertThat(image.getHeight()).isEqualTo(LossCurve.HEIGHT);

    final CliRun text = cli("job", "result", jobId.toString(), "--out", out.resolve("again.safetensors").toString());
    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out()).contains("matches the checkpointRoot " + anchoredRoot + " anchored in block 0 (after step 4")
        .contains("loss curve: " + out.resolve("again.safetensors.loss.png").toAbsolutePath() + " (4 steps)");
  }

  @Test
  void watchShowsTheNodesStepLossAndWorkersWithTheChainsFacts() throws Exception {
    final CliRun watch = cli("job", "watch", jobId.toString(), "--once", "--json");
    assertThat(watch.exitCode()).as(watch.err()).isZero();
    final JsonNode u = JSON.readTree(watch.out());
    assertThat(u.path("status").asText()).isEqualTo("Active");
    assertThat(u.path("blocksAnchored").asLong()).isEqualTo(1);
    assertThat(u.path("step").asLong()).isEqualTo(STEPS);
    assertThat(u.path("totalSteps").asLong()).isEqualTo(1000);
    assertThat(u.path("recordsVerified").asLong()).isEqualTo(STEPS * 2);
    assertThat(u.path("workers").asInt()).isEqualTo(2);
    // the last step's loss: its last-stage record's lossBits (one replica)
    final long bits = records.stream().map(SignedStepRecord::record).filter(r -> r.step() == STEPS - 1 && r.stage() == 1)
        .findFirst().orElseThrow().lossBits();
    assertThat(u.path("loss").asDouble()).isEqualTo(Double.longBitsToDouble(bits));
    assertThat(u.path("node").asText()).startsWith("http://127.0.0.1:");
  }

  @Test
  void aTamperedCheckpointIsRefusedWithTheReason() throws Exception {
    final Path file = checkpoints.resolve(CheckpointDirectory.fileName(jobId, 1, 0, STEPS));
    final Checkpoint honest = CheckpointFile.load(file);
    try {
      final NamedTensors params = honest.params().copy();
      params.get(0).data()[3] += 1e-3f;
      CheckpointFile.save(new Checkpoint(honest.step(), params, honest.optimizerState(), honest.metadata()), file);
      final Path model = out.resolve("bad.safetensors");
      final CliRun result = cli("job", "result", jobId.toString(), "--out", model.toString());
      assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILURE);
      assertThat(result.err()).contains("refused the result of job " + jobId)
          .contains("no worker served a matching checkpoint of stage 1 at step 4")
          .contains("served parameters with root");
      assertThat(model).doesNotExist();
    } finally {
      CheckpointFile.save(honest, file);
    }
  }

  private static CliRun cli(final String... args) {
    final List<String> argv = new ArrayList<>(List.of(args));
    argv.addAll(List.of("--rpc-url", chain.rpcUrl(), "--deployments", deployments.toString(), "--node-rpc",
        "http://127.0.0.1:" + rpc.address().getPort() + "/"));
    return CliRun.run(dataDir, argv.toArray(String[]::new));
  }

  private static JobContext job(final BigInteger id, final List<Credentials> keys, final PolDomain domain) {
    final Path mlp = Path.of("../models/mlp.json");
    final Dataset data = GeneratedData.images(256, 1, 28, 28, 10, 0.5f, 7);
    final DatasetCommitment commitment = DatasetCommitment.of(data);
    final JobSpec spec = new JobSpec(Bytes32.wrap(ModelSpecs.specHash(ModelSpecs.read(mlp))), commitment.root(), 256,
        AdamW.defaults(), new LrSchedule.Constant(1e-3f), 0f, 4, 11, 1000, true, 2, 1, 250_000, VerifyMode.EXACT, 0, 4,
        BigInteger.TEN);
    return JobContext.of(id, spec, ModelFactory.load(mlp), data, commitment, new Assignment(id, Bytes32.ZERO, 2, 1,
        keys.stream().map(c -> EthAddress.of(c.getAddress())).toList(), List.of()), domain);
  }

  /** The node's part: the records it holds and its peers' bindings, as tl_jobRecords and tl_peers. */
  private static TlNode node(final Map<EthAddress, Multiaddr> addresses) {
    return new TlNode() {
      @Override
      public NodeInfo nodeInfo() {
        return new NodeInfo("test", "standalone", null, "none", List.of("client"), 7701, 0, new TreeMap<>());
      }

      @Override
      public Optional<JobStatus> jobStatus(final BigInteger id) {
        return Optional.empty();
      }

      @Override
      public Optional<PolBlockView> polBlock(final BigInteger id, final long index) {
        return Optional.empty();
      }

      @Override
      public List<PeerInfo> peers() {
        return addresses.entrySet().stream().map(e -> new PeerInfo(e.getValue().peerId().orElseThrow().toBase58(),
            e.getKey().toString(), List.of(e.getValue().toString()), List.of(), List.of("worker"))).toList();
      }

      @Override
      public RecordVerdict verifyRecord(final RecordRef record) {
        return new RecordVerdict(RecordVerdict.Status.UNKNOWN, null, "not kept");
      }

      @Override
      public Optional<JobRecords> jobRecords(final BigInteger id, final long fromStep, final long toStep) {
        return id.equals(jobId) ? Optional.of(new JobRecords(id, 1000, 2, 1, records.stream()
            .map(SignedStepRecord::record).filter(r -> r.step() >= fromStep && r.step() < toStep)
            .map(JobRecords.Entry::of).toList())) : Optional.empty();
      }
    };
  }

  private static BigInteger tl(final long whole) {
    return BigInteger.valueOf(whole).multiply(TL);
  }

  private static void stake(final Deployment deployment, final Credentials who, final BigInteger amount) throws Exception {
    final ContractSuite s = ContractSuite.connect(web3j, who, deployment);
    s.token().approve(deployment.address(SuiteContract.STAKE_MANAGER), amount).send();
    s.stakeManager().stake(amount).send();
  }
}
