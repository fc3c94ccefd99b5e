package io.tensorlink.besu.host;

import io.tensorlink.chain.follow.ChainEvents;
import io.tensorlink.chain.job.market.JobAnnouncement;
import io.tensorlink.chain.job.market.JobCatalog;
import io.tensorlink.chain.job.market.JobChain;
import io.tensorlink.chain.job.market.MarketJob;
import io.tensorlink.chain.node.NodeIdentity;
import io.tensorlink.chain.node.NodeMetrics;
import io.tensorlink.chain.node.ValidatorRole;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.verify.P2pInputSource;
import io.tensorlink.chain.pol.verify.ReexecutionPool;
import io.tensorlink.chain.pol.verify.VerdictCache;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.validator.ValidatorConfig;
import io.tensorlink.chain.validator.pol.JobContexts;
import io.tensorlink.chain.validator.pol.PolBlockFormat;
import io.tensorlink.chain.validator.pol.PolBlockVerifier;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.deploy.Deployment;
import io.tensorlink.contracts.generated.JobEscrow;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.pubsub.Gossipsub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * Builds the validator library's {@link ValidatorRole} on the plugin's store, libp2p host and
 * gossip, with the production protocol: {@link PolBlockFormat} and {@link PolBlockVerifier}
 * (sampled re-execution on a {@link ReexecutionPool}, inputs fetched from workers over
 * {@code /tl/verify/1.0.0}), job contexts from the job catalog this node builds out of
 * {@code /tl/jobs/1} announcements (each checked against the escrow), the models in
 * {@code modelsDir} and the datasets fetched from each job's client ({@link JobDatasets}).
 *
 * <p>It reads the suite's events from Besu's blocks ({@code events}); its other chain access
 * (anchoring, disputes, views such as the escrow's fee terms) goes through this Besu's own
 * JSON-RPC at {@code rpcUrl}: the plugin API offers no way to sign and send a transaction and
 * wait for its receipt, nor {@code eth_call} views, so the suite clients the standalone node uses
 * ({@code SuiteAnchorClient}, {@code SuiteDisputeClient}) are reused unchanged over loopback
 * (docs/operators/besu.md, "Why the validator talks to Besu over JSON-RPC").
 *
 * @param rpcUrl this Besu's HTTP JSON-RPC (loopback)
 * @param deployment the suite's addresses
 * @param modelsDir model specs by spec hash ({@link JobContexts#modelsIn})
 * @param config validator timing
 * @param tick how often the validator works
 * @param events the suite's events as the validator reads them: Besu's own blocks ({@link BesuChainEvents})
 */
public record PluginValidator(URI rpcUrl, Deployment deployment, Path modelsDir, ValidatorConfig config, Duration tick,
    ChainEvents events) {
  private static final Logger LOG = LoggerFactory.getLogger(PluginValidator.class);
  private static final String VECTOR_API = "jdk.incubator.vector";
  private static final int MAX_INPUT_BYTES = 64 << 20;
  private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Starts the validator; every part it opens besides the role itself is handed to {@code track}
   * (closed by the host in reverse order, after the role).
   *
   * @param workers where a worker's inputs are fetched from: the connected peer bound to its account
   */
  ValidatorRole start(final NodeStore store, final Host host, final Gossipsub gossip, final NodeIdentity identity,
      final NodeMetrics metrics, final Function<EthAddress, Optional<Multiaddr>> workers, final Consumer<AutoCloseable> track) {
    if (ModuleLayer.boot().findModule(VECTOR_API).isEmpty()) {
      // Otherwise the first re-execution fails deep in the verifier, long after Besu started.
      throw new IllegalStateException("--plugin-tensorlink-roles=validator re-executes training steps with the JDK's Vector API: "
          + "start Besu with BESU_OPTS=\"--add-modules " + VECTOR_API + "\"");
    }
    final Web3j web3j = Web3j.build(new HttpService(rpcUrl.toString()));
    track.accept(web3j::shutdown);
    final ContractSuite suite;
    final JobEscrow.Params fees;
    try {
      suite = ContractSuite.connect(web3j, identity.account(), deployment);
      fees = suite.escrow().params().send();
    } catch (Exception e) {
      // Names the option: the usual cause is a Besu whose HTTP RPC is off or elsewhere.
      throw new IllegalStateException("--plugin-tensorlink-rpc-url: cannot read the suite over " + rpcUrl + ": " + e.getMessage(), e);
    }
    final JobCatalog catalog = new JobCatalog(identity.domain(), new JobChain(web3j, suite));
    gossip.subscribe(JobAnnouncement.TOPIC, m -> {
      final var admission = catalog.accept(m.author(), m.data().toByteArray());
      if (!admission.accepted()) {
        LOG.debug("job announcement from {} dropped: {}", m.author(), admission.reason());
      }
    }).join();
    try {
      Files.createDirectories(modelsDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the models directory " + modelsDir, e);
    }
    final JobContexts contexts = new JobContexts(id -> catalog.get(id).map(MarketJob::spec), JobContexts.modelsIn(modelsDir),
        new JobDatasets(host, root -> catalog.jobs().stream().filter(j -> j.spec().datasetRoot().equals(root))
            .map(MarketJob::announcement).findFirst(), FETCH_TIMEOUT), identity.domain());
    final PolBlockFormat format = new PolBlockFormat(contexts, fees.validatorFeeBps.intValueExact(), fees.protocolFeeBps.intValueExact());
    final ReexecutionPool pool = new ReexecutionPool(1, 1);
    track.accept(pool);
    final ExecutorService decoder = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("tl-verify-decode-", 0).daemon().factory());
    track.accept(decoder::shutdownNow);
    final PolBlockVerifier verifier = new PolBlockVerifier(format, store,
        new P2pInputSource(host, workers, MAX_INPUT_BYTES, FETCH_TIMEOUT, decoder), pool, new VerdictCache(4096),
        FETCH_TIMEOUT);
    return ValidatorRole.start(new ValidatorRole.Inputs(web3j, deployment, format, verifier, Optional.empty(), config, tick),
        events, store, host, gossip, identity, metrics);
  }
}
