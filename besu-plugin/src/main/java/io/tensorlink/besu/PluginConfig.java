package io.tensorlink.besu;

import io.tensorlink.besu.anchor.Hex;
import io.tensorlink.contracts.SuiteContract;
import io.tensorlink.contracts.deploy.Deployment;
import io.tensorlink.contracts.deploy.DeploymentStore;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checked plugin configuration.
 *
 * @param dataDir TensorLink's data directory
 * @param keystore the account's keystore, if any
 * @param passwordFile its password file (present exactly when keystore is)
 * @param p2pListen the libp2p listen address
 * @param bootnodes multiaddrs to dial
 * @param rpcUrl this Besu's own JSON-RPC (the validator's chain access)
 * @param modelsDir model specs by spec hash
 * @param roles the node's roles
 * @param chainId the chain's id (EIP-712 domain of PoLAnchor)
 * @param polAnchor PoLAnchor's address (0x-hex lower case)
 * @param stakeManager StakeManager's address
 * @param startBlock the first block that can hold suite logs (the deployment's; 0 when only addresses are given)
 * @param deployment the suite's deployment, when given as a file (the validator role needs it)
 */
public record PluginConfig(
    Path dataDir,
    Optional<Path> keystore,
    Optional<Path> passwordFile,
    Multiaddr p2pListen,
    List<Multiaddr> bootnodes,
    URI rpcUrl,
    Path modelsDir,
    Set<String> roles,
    long chainId,
    String polAnchor,
    String stakeManager,
    long startBlock,
    Optional<Deployment> deployment) {

  static final Set<String> ROLES = Set.of("observer", "validator");
  private static final Pattern IP4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)");
  private static final Pattern MULTIADDR = Pattern.compile("/(ip4|ip6|dns|dns4|dns6)/[^/]+/tcp/\\d{1,5}/p2p/[1-9A-HJ-NP-Za-km-z]+");

  public PluginConfig {
    bootnodes = List.copyOf(bootnodes);
    roles = Set.copyOf(roles);
  }

  public boolean validator() {
    return roles.contains("validator");
  }

  /** Checks every option; the first problem throws, naming its option. */
  static PluginConfig from(final PluginOptions o) {
    if (o.dataDir == null) {
      throw new PluginOptionException("data-dir", "required");
    }
    if (Files.exists(o.dataDir) && !Files.isDirectory(o.dataDir)) {
      throw new PluginOptionException("data-dir", o.dataDir + " exists and is not a directory");
    }
    final Set<String> roles = roles(o.roles);
    if ((o.keystore == null) != (o.passwordFile == null)) {
      throw new PluginOptionException(o.keystore == null ? "keystore" : "password-file",
          "--plugin-tensorlink-keystore and --plugin-tensorlink-password-file go together");
    }
    if (roles.contains("validator") && o.keystore == null) {
      throw new PluginOptionException("keystore", "required for the validator role (it signs PoL blocks)");
    }
    if (o.keystore != null) {
      readable(o.keystore, "keystore");
      readable(o.passwordFile, "password-file");
    }
    final List<Multiaddr> bootnodes = o.bootnodes.stream().map(PluginConfig::bootnode).toList();
    final Multiaddr listen = listen(o.p2pHost, o.p2pPort);
    final URI rpcUrl = rpcUrl(o.rpcUrl);
    if (o.modelsDir != null && Files.exists(o.modelsDir) && !Files.isDirectory(o.modelsDir)) {
      throw new PluginOptionException("models-dir", o.modelsDir + " exists and is not a directory");
    }
    final long chainId;
    final String anchor;
    final String stakeManager;
    long startBlock = 0;
    Optional<Deployment> deployment = Optional.empty();
    if (o.deploymentFile != null) {
      if (o.polAnchor != null || o.stakeManager != null || o.chainId != null) {
        throw new PluginOptionException("deployment-file", "give either the deployment file or the addresses and chain id, not both");
      }
      final Deployment d = deployment(o.deploymentFile);
      chainId = d.chainId();
      anchor = address(d.address(SuiteContract.POL_ANCHOR), "deployment-file");
      stakeManager = address(d.address(SuiteContract.STAKE_MANAGER), "deployment-file");
      startBlock = d.startBlock();
      deployment = Optional.of(d);
    } else {
      if (o.polAnchor == null) {
        throw new PluginOptionException("deployment-file", "required (or --plugin-tensorlink-pol-anchor with its companions)");
      }
      if (o.stakeManager == null) {
        throw new PluginOptionException("stake-manager", "required with --plugin-tensorlink-pol-anchor");
      }
      if (roles.contains("validator")) {
        throw new PluginOptionException("deployment-file", "required for the validator role (it needs the whole suite: escrow, anchor, court)");
      }
      if (o.chainId == null || o.chainId <= 0) {
        throw new PluginOptionException("chain-id", "a positive chain id is required with --plugin-tensorlink-pol-anchor");
      }
      chainId = o.chainId;
      anchor = address(o.polAnchor, "pol-anchor");
      stakeManager = address(o.stakeManager, "stake-manager");
    }
    return new PluginConfig(o.dataDir, Optional.ofNullable(o.keystore), Optional.ofNullable(o.passwordFile), listen,
        bootnodes, rpcUrl, o.modelsDir == null ? o.dataDir.resolve("models") : o.modelsDir, roles, chainId, anchor, stakeManager,
        startBlock, deployment);
  }

  private static Multiaddr bootnode(final String text) {
    if (!MULTIADDR.matcher(text).matches()) {
      throw new PluginOptionException("bootnodes", "'" + text + "' is not a /ip4|ip6|dns/<host>/tcp/<port>/p2p/<peer-id> multiaddr");
    }
    try {
      return Multiaddr.parse(text);
    } catch (RuntimeException e) {
      throw new PluginOptionException("bootnodes", "'" + text + "': " + e.getMessage(), e);
    }
  }

  private static Multiaddr listen(final String host, final int port) {
    if (port < 0 || port > 65535) {
      throw new PluginOptionException("p2p-port", "must be 0..65535, got " + port);
    }
    if (host == null || !IP4.matcher(host).matches()) {
      throw new PluginOptionException("p2p-host", "expected an IPv4 address such as 0.0.0.0, got '" + host + "'");
    }
    return Multiaddr.parse("/ip4/" + host + "/tcp/" + port);
  }

  private static URI rpcUrl(final String text) {
    try {
      final URI uri = new URI(text);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new PluginOptionException("rpc-url", "expected http(s)://<host>:<port>, got '" + text + "'");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new PluginOptionException("rpc-url", "'" + text + "' is not a URL: " + e.getMessage(), e);
    }
  }

  private static Set<String> roles(final List<String> given) {
    if (given.isEmpty()) {
      throw new PluginOptionException("roles", "at least one of " + ROLES);
    }
    for (String r : given) {
      if (!ROLES.contains(r.toLowerCase(Locale.ROOT))) {
        throw new PluginOptionException("roles", "unknown role '" + r + "', expected one of " + ROLES.stream().sorted().toList());
      }
    }
    return Set.copyOf(given.stream().map(r -> r.toLowerCase(Locale.ROOT)).toList());
  }

  private static Deployment deployment(final Path file) {
    readable(file, "deployment-file");
    final String name = file.getFileName().toString();
    if (!name.matches("\\d+\\.json")) {
      throw new PluginOptionException("deployment-file", "expected deployments/<chainId>.json, got " + name);
    }
    final long chainId = Long.parseLong(name.substring(0, name.length() - 5));
    try {
      return new DeploymentStore(file.toAbsolutePath().getParent()).require(chainId);
    } catch (RuntimeException e) {
      throw new PluginOptionException("deployment-file", e.getMessage(), e);
    }
  }

  private static String address(final String text, final String option) {
    try {
      return Hex.normalize(text, 20, "address");
    } catch (IllegalArgumentException e) {
      throw new PluginOptionException(option, e.getMessage(), e);
    }
  }

  private static void readable(final Path file, final String option) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new PluginOptionException(option, file + " is not a readable file");
    }
  }

  /** The first line of the password file, as chars; the caller wipes it. */
  char[] readPassword() {
    final Path file = passwordFile.orElseThrow();
    try {
      final List<String> lines = Files.readAllLines(file);
      return (lines.isEmpty() ? "" : lines.get(0)).toCharArray();
    } catch (IOException e) {
      throw new PluginOptionException("password-file", "cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
