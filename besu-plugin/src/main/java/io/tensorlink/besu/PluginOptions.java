package io.tensorlink.besu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The plugin's command-line options, added to Besu's own through {@code PicoCLIOptions} (so they
 * carry Besu's picocli annotations: picocli is never bundled). Every name starts with
 * {@code --plugin-tensorlink-}, as Besu requires of the namespace {@code tensorlink}. Values are
 * checked by {@link PluginConfig#from}, whose errors name the option.
 */
public final class PluginOptions {
  static final String PREFIX = "--plugin-tensorlink-";

  @Option(names = PREFIX + "enabled", arity = "1", paramLabel = "<boolean>",
      description = "Run the TensorLink validator inside this Besu (default: ${DEFAULT-VALUE}).")
  boolean enabled = true;

  @Option(names = PREFIX + "data-dir", paramLabel = "<dir>",
      description = "TensorLink's own data directory (store, keys, peer identity); not Besu's --data-path.")
  Path dataDir;

  @Option(names = PREFIX + "keystore", paramLabel = "<file>",
      description = "Encrypted keystore (web3 secret storage) of the node's Ethereum account; required for the validator role.")
  Path keystore;

  @Option(names = PREFIX + "password-file", paramLabel = "<file>",
      description = "File whose first line is the keystore's password.")
  Path passwordFile;

  @Option(names = PREFIX + "p2p-port", paramLabel = "<port>",
      description = "TCP port of the TensorLink libp2p host, apart from Besu's devp2p port (default: ${DEFAULT-VALUE}).")
  int p2pPort = 30400;

  @Option(names = PREFIX + "p2p-host", paramLabel = "<ip4>",
      description = "Interface the TensorLink libp2p host listens on (default: ${DEFAULT-VALUE}).")
  String p2pHost = "0.0.0.0";

  @Option(names = PREFIX + "rpc-url", paramLabel = "<url>",
      description = "This Besu's own HTTP JSON-RPC, through which the validator reads the suite and sends its transactions "
          + "(default: ${DEFAULT-VALUE}).")
  String rpcUrl = "http://127.0.0.1:8545";

  @Option(names = PREFIX + "models-dir", paramLabel = "<dir>",
      description = "Model specs the validator re-executes, by spec hash (default: <data-dir>/models).")
  Path modelsDir;

  @Option(names = PREFIX + "bootnodes", paramLabel = "<multiaddr>", split = ",",
      description = "TensorLink peers to dial at start, as /ip4/…/tcp/…/p2p/<peer-id> multiaddrs.")
  List<String> bootnodes = new ArrayList<>();

  @Option(names = PREFIX + "roles", paramLabel = "<role>", split = ",",
      description = "Roles of this node: observer, validator (default: ${DEFAULT-VALUE}).")
  List<String> roles = new ArrayList<>(List.of("observer"));

  @Option(names = PREFIX + "deployment-file", paramLabel = "<file>",
      description = "deployments/<chainId>.json written by `tl-cli contracts deploy`: the suite's addresses and chain id.")
  Path deploymentFile;

  @Option(names = PREFIX + "pol-anchor", paramLabel = "<address>",
      description = "PoLAnchor address (instead of --plugin-tensorlink-deployment-file; needs --plugin-tensorlink-stake-manager and --plugin-tensorlink-chain-id).")
  String polAnchor;

  @Option(names = PREFIX + "stake-manager", paramLabel = "<address>", description = "StakeManager address (with --plugin-tensorlink-pol-anchor).")
  String stakeManager;

  @Option(names = PREFIX + "chain-id", paramLabel = "<id>", description = "Chain id (with --plugin-tensorlink-pol-anchor).")
  Long chainId;
}
