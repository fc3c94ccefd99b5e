package io.tensorlink.besu;

import io.tensorlink.besu.anchor.AnchorState;
import io.tensorlink.besu.host.BesuChainEvents;
import io.tensorlink.besu.host.ChainFollower;
import io.tensorlink.besu.host.NodeHost;
import io.tensorlink.besu.host.PluginValidator;
import io.tensorlink.besu.host.ValidatorHost;
import io.tensorlink.besu.rpc.RpcBridge;
import io.tensorlink.besu.rules.SubmissionChecks;
import io.tensorlink.besu.rules.SubmissionRule;
import io.tensorlink.besu.rules.SubmissionSelectorFactory;
import io.tensorlink.chain.rpc.TlRpcMethods;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.validator.ValidatorConfig;
import java.time.Duration;
import java.util.Optional;
import org.hyperledger.besu.plugin.BesuPlugin;
import org.hyperledger.besu.plugin.ServiceManager;
import org.hyperledger.besu.plugin.data.AddedBlockContext;
import org.hyperledger.besu.plugin.services.BesuEvents;
import org.hyperledger.besu.plugin.services.BesuService;
import org.hyperledger.besu.plugin.services.BlockchainService;
import org.hyperledger.besu.plugin.services.PicoCLIOptions;
import org.hyperledger.besu.plugin.services.RpcEndpointService;
import org.hyperledger.besu.plugin.services.TransactionSelectionService;
import org.hyperledger.besu.plugin.services.TransactionValidatorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TensorLink inside Hyperledger Besu (design.md §9). Besu finds it through
 * {@code META-INF/services/org.hyperledger.besu.plugin.BesuPlugin} and drives it:
 * <ol>
 *   <li>{@code register}: adds the {@code --plugin-tensorlink-…} options and the {@code tl_*}
 *       JSON-RPC methods (they answer "not started" until {@code start});
 *   <li>{@code beforeExternalServices}: checks the options (errors name the option), registers the
 *       validation rule on {@code PoLAnchor.submit} and the proposer-side selector;
 *   <li>{@code start}: starts the hosted node ({@link NodeHost}: store, libp2p, gossip and, for the
 *       validator role, the validator library), catches up on the blocks imported so far and follows each
 *       new block (with its receipts' logs) through Besu's block-added event;
 *   <li>{@code stop}: unsubscribes and stops the node.
 * </ol>
 */
public final class TensorLinkPlugin implements BesuPlugin {
  private static final Logger LOG = LoggerFactory.getLogger(TensorLinkPlugin.class);
  static final String NAMESPACE = "tensorlink";
  private static final Duration VALIDATOR_TICK = Duration.ofSeconds(1);
  // QBFT blocks are final once imported (no reorganisation), so the validator acts on a block's
  // events at once instead of waiting for confirmations as on a public proof-of-stake chain.
  private static final ValidatorConfig VALIDATOR_CONFIG = ValidatorConfig.defaults().withConfirmations(0);

  private final PluginOptions options = new PluginOptions();
  private ServiceManager services;
  private PluginConfig config;
  private AnchorState state;
  private volatile ValidatorHost host;
  private BesuEvents events;
  private ChainFollower follower;
  private long blockListener = -1;
  private volatile TlRpcMethods methods;

  @Override
  public String getName() {
    return "TensorLink";
  }

  @Override
  public String getVersion() {
    final String v = TensorLinkPlugin.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public void register(final ServiceManager serviceManager) {
    this.services = serviceManager;
    require(PicoCLIOptions.class).addPicoCLIOptions(NAMESPACE, options);
    RpcBridge.register(require(RpcEndpointService.class), () -> methods);
    LOG.debug("TensorLink plugin registered");
  }

  @Override
  public void beforeExternalServices() {
    if (!options.enabled) {
      LOG.info("TensorLink plugin disabled by --plugin-tensorlink-enabled=false");
      return;
    }
    config = PluginConfig.from(options);
    state = new AnchorState(config.polAnchor(), config.stakeManager());
    final PolDomain domain = PolDomain.of(config.chainId(), EthAddress.of(config.polAnchor()));
    final SubmissionChecks checks = new SubmissionChecks(domain);
    require(TransactionValidatorService.class).registerTransactionValidatorRule(new SubmissionRule(state, checks));
    require(TransactionSelectionService.class).registerPluginTransactionSelectorFactory(
        new SubmissionSelectorFactory(state, checks, header -> {
          final ValidatorHost h = host;
          return h == null ? Optional.empty() : h.verdicts().rejection(header);
        }));
    LOG.info("TensorLink: chain {}, PoLAnchor {}, StakeManager {}", config.chainId(), config.polAnchor(), config.stakeManager());
  }

  @Override
  public void start() {
    if (config == null) {
      return;
    }
    final BlockchainService chain = require(BlockchainService.class);
    final Optional<PluginValidator> validator = config.validator()
        ? Optional.of(new PluginValidator(config.rpcUrl(), config.deployment().orElseThrow(), config.modelsDir(), VALIDATOR_CONFIG,
            VALIDATOR_TICK, new BesuChainEvents(chain, config.deployment().orElseThrow())))
        : Optional.empty();
    host = new NodeHost(new NodeHost.Settings(config.dataDir(), config.keystore(), config::readPassword, config.roles(),
        config.chainId(), config.polAnchor(), config.p2pListen(), config.bootnodes(), validator, getVersion()), state);
    host.start();
    follower = new ChainFollower(state, chain, config.startBlock());
    events = require(BesuEvents.class);
    // Listen first, then catch up: a block added meanwhile waits for the catch-up and is not applied twice.
    blockListener = events.addBlockAddedListener(this::onBlockAdded);
    follower.catchUp();
    methods = new TlRpcMethods(host.node());
  }

  @Override
  public void stop() {
    methods = null;
    if (events != null) {
      events.removeBlockAddedListener(blockListener);
      events = null;
    }
    if (host != null) {
      host.stop();
    }
  }

  private void onBlockAdded(final AddedBlockContext block) {
    try {
      follower.onBlockAdded(block);
    } catch (RuntimeException e) {
      // The state now lags the chain; the rule would judge from a stale view, so say it loudly.
      LOG.error("TensorLink could not apply block {}: {}", block.getBlockHeader().getNumber(), e.getMessage(), e);
    }
  }

  private <T extends BesuService> T require(final Class<T> type) {
    final Optional<T> service = services.getService(type);
    return service.orElseThrow(() -> new IllegalStateException("TensorLink plugin needs Besu's " + type.getSimpleName() + ", which this Besu does not offer"));
  }
}
