package io.tensorlink.cli.job;

import io.tensorlink.chain.job.result.AnchoredCheckpoint;
import io.tensorlink.chain.job.result.CheckpointClient;
import io.tensorlink.chain.job.result.FetchedModel;
import io.tensorlink.chain.job.result.LossCurve;
import io.tensorlink.chain.job.result.ResultFetcher;
import io.tensorlink.chain.job.result.ResultRefusedException;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.contracts.ChainSession;
import io.tensorlink.cli.contracts.Uint256;
import io.tensorlink.cli.contracts.ViewCommand;
import io.tensorlink.cli.model.ModelSpecFiles;
import io.tensorlink.cli.node.NodeRpcClient;
import io.tensorlink.cli.support.Examples;
import io.tensorlink.cli.support.Facts;
import io.tensorlink.cli.support.JsonOption;
import io.tensorlink.compute.backend.Backend;
import io.tensorlink.compute.checkpoint.Safetensors;
import io.tensorlink.compute.cuda.BackendKind;
import io.tensorlink.compute.cuda.Backends;
import io.tensorlink.compute.data.Dataset;
import io.tensorlink.compute.data.DatasetException;
import io.tensorlink.compute.data.DatasetSource;
import io.tensorlink.compute.nn.Model;
import io.tensorlink.compute.run.Evaluation;
import io.tensorlink.compute.spec.ModelFactory;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.generated.JobEscrow;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.transport.Hosts;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.web3j.utils.Numeric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tl-cli job result}: the model at the job's latest anchored block, fetched straight from the
 * workers over {@code /tl/checkpoint/1.0.0} by this process and checked here against the
 * checkpointRoot read from the PoLAnchor (docs/jobs-result.md). The running node only supplies
 * hints (the last step's records, the workers' addresses), which the checks make harmless.
 */
@Command(name = "result", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
    footer = {"  tl-cli job result 1 --out model.safetensors", "  tl-cli job result 1 --out model.safetensors --json",
        "  tl-cli job result 1 --out model.safetensors --model mlp --test-set fashion-mnist"},
    description = {"Fetch a job's model at its latest anchored block, check it against the anchored checkpointRoot, "
        + "export it as safetensors and write its loss curve as <out>.loss.png.",
        "Needs a running node (tl-cli node start) for the workers' addresses and step records."})
public final class JobResultCommand extends ViewCommand {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JobResultCommand.class);
  private static final int MAX_STAGE_BYTES = 1 << 30;
  private static final int EVAL_BATCH = 256;

  @Parameters(index = "0", paramLabel = "<job-id>", converter = Uint256.class, description = "The job id (printed by job create).")
  BigInteger jobId;

  @Option(names = "--out", required = true, paramLabel = "<file>", description = "Where the model goes (safetensors).")
  Path out;

  @Option(names = "--node-rpc", paramLabel = "<url>",
      description = "The node's tl_* JSON-RPC URL (default: the node running from the data dir).")
  String nodeRpc;

  @Option(names = "--fetch-timeout", paramLabel = "<seconds>", defaultValue = "120",
      description = "Give up on a worker after this many seconds (default ${DEFAULT-VALUE}).")
  long fetchTimeout;

  @Option(names = "--test-set", paramLabel = "<source>",
      description = "Also measure the model's accuracy on this dataset's test split, e.g. fashion-mnist[:<dir>] (needs --model).")
  String testSet;

  @Option(names = "--model", paramLabel = "<name|file>",
      description = "With --test-set: the job's model spec (shipped name or file); its specHash must be the job's.")
  String modelSpec;

  @Mixin JsonOption json;

  @Override
  protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
    if (fetchTimeout < 1 || fetchTimeout > 3_600) {
      throw new CliException("--fetch-timeout must be 1..3600 seconds, got " + fetchTimeout, ExitCodes.USAGE);
    }
    final JobEscrow.Job job = JobCommand.existing(s, jobId);
    if ((testSet == null) != (modelSpec == null)) {
      throw new CliException("--test-set and --model go together: the accuracy needs both", ExitCodes.USAGE);
    }
    if (modelSpec != null && !Arrays.equals(ModelSpecFiles.specHash(ctx, modelSpec), job.specHash)) {
      throw new CliException("--model " + modelSpec + " is not job " + jobId + "'s model (spec hash "
          + Numeric.toHexString(job.specHash) + ")", ExitCodes.USAGE);
    }
    final AnchoredCheckpoint anchored;
    try {
      anchored = AnchoredCheckpoint.latest(session.web3j(), s, jobId).orElseThrow(() -> new CliException("job " + jobId
          + " has no anchored block yet: there is no checked model to fetch ('tl-cli job watch " + jobId + "')"));
    } catch (IllegalStateException e) {
      throw new CliException(e.getMessage(), ExitCodes.FAILURE, e);
    }
    final NodeRpcClient rpc = nodeRpc == null ? NodeRpcClient.of(ctx) : new NodeRpcClient(nodeRpc);
    final NodeRecords last = NodeRecords.fetch(rpc, jobId, anchored.step() - 1, anchored.step());
    final Map<EthAddress, Multiaddr> addresses = addresses(rpc);

    final FetchedModel model = fetch(anchored, last, addresses);
    Safetensors.write(out, model.params(), Map.of("jobId", jobId.toString(), "step", Long.toString(anchored.step()),
        "polBlock", Long.toString(anchored.blockIndex()), "checkpointRoot", anchored.checkpointRoot().toHexString()));
    final Path png = out.resolveSibling(out.getFileName() + ".loss.png");
    final List<LossCurve.Point> losses = NodeRecords.fetch(rpc, jobId, 0, anchored.step()).losses();
    LossCurve.write(png, "job " + jobId + ": loss per step (anchored through step " + anchored.step() + ")", losses);

    final OptionalDouble accuracy = testSet == null ? OptionalDouble.empty()
        : OptionalDouble.of(testAccuracy(ModelFactory.load(ModelSpecFiles.resolve(ctx, modelSpec)), model.params()));
    Facts.print(ctx.out(), json, f -> {
      f.put("jobId", jobId).fact("model", out.toAbsolutePath().toString(), "model", out.toAbsolutePath().toString())
          .fact("lossCurve", png.toAbsolutePath().toString(), "loss curve", png.toAbsolutePath() + " (" + losses.size()
              + " steps)")
          .put("step", anchored.step()).put("polBlock", anchored.blockIndex())
          .put("checkpointRoot", anchored.checkpointRoot().toHexString())
          .line("matches the checkpointRoot " + anchored.checkpointRoot() + " anchored in block " + anchored.blockIndex()
              + " (after step " + anchored.step() + ", tx " + anchored.transactionHash() + ")")
          .put("anchorTransaction", anchored.transactionHash())
          .put("parameters", model.params().count()).put("elements", model.params().elementCount())
          .line("parameters: " + model.params().count() + " tensors, " + model.params().elementCount() + " values")
          .put("servedByReplica", model.servedBy()).put("fallbacks", model.fallbacks());
      model.fallbacks().forEach(reason -> f.line("refused and replaced: " + reason));
      f.put("testAccuracy", accuracy.isPresent() ? accuracy.getAsDouble() : null);
      accuracy.ifPresent(a -> f.line(String.format(Locale.ROOT, "test accuracy: %.4f (%s)", a, testSet)));
    });
    return ExitCodes.OK;
  }

  /** The fetched parameters' accuracy on {@code --test-set}'s test split, on the CPU. */
  private double testAccuracy(final Model net, final NamedTensors params) {
    try (Backend backend = Backends.select(BackendKind.CPU, Runtime.getRuntime().availableProcessors())) {
      final Dataset test = DatasetSource.open(testSet, net.inputShape(), 0).test().orElseThrow(() -> new CliException(
          "--test-set " + testSet + " has no test split", ExitCodes.USAGE));
      return Evaluation.accuracy(net, backend, params, test, EVAL_BATCH);
    } catch (DatasetException e) {
      throw new CliException("--test-set " + testSet + ": " + e.getMessage(), ExitCodes.USAGE, e);
    }
  }

  private FetchedModel fetch(final AnchoredCheckpoint anchored, final NodeRecords last,
      final Map<EthAddress, Multiaddr> addresses) {
    final ExecutorService decoder = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().factory());
    final Host host = Hosts.create(HostConfig.loopback());
    try {
      host.start().orTimeout(30, TimeUnit.SECONDS).join();
      final ResultFetcher fetcher = new ResultFetcher(new CheckpointClient(host, MAX_STAGE_BYTES,
          Duration.ofSeconds(fetchTimeout), decoder), w -> Optional.ofNullable(addresses.get(w)),
          Duration.ofSeconds(fetchTimeout + 5));
      return fetcher.fetch(anchored, last.cells(anchored.step() - 1), last.stages());
    } catch (ResultRefusedException e) {
      throw new CliException("refused the result of job " + jobId + ": " + e.getMessage(), ExitCodes.FAILURE, e);
    } finally {
      host.close();
      decoder.shutdownNow();
    }
  }

  /** The bound accounts' dialable addresses, from the node's peers (tl_peers). */
  private static Map<EthAddress, Multiaddr> addresses(final NodeRpcClient rpc) {
    final Map<EthAddress, Multiaddr> out = new HashMap<>();
    for (final com.fasterxml.jackson.databind.JsonNode peer : rpc.call("tl_peers")) {
      final String account = peer.path("account").asText(null);
      if (account == null || peer.path("addresses").isEmpty()) {
        continue;
      }
      try {
        final Multiaddr a = Multiaddr.parse(peer.path("addresses").get(0).asText());
        out.put(EthAddress.of(account), a.peerId().isPresent() ? a
            : a.withPeerId(io.tensorlink.p2p.peer.PeerId.fromString(peer.path("peerId").asText())));
      } catch (RuntimeException e) {
        // not a candidate then; if its cell is needed the fetch says "no known address" for it
        LOG.debug("peer {} has no usable address: {}", peer.path("peerId").asText(), e.getMessage());
      }
    }
    return out;
  }
}
