package io.tensorlink.chain.node;

import io.tensorlink.p2p.crypto.PrivKey;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a standalone node needs to start.
 *
 * @param dataDir the node's directory: its store ({@code store/}) and run file ({@code node.json})
 * @param roles what the node does
 * @param p2pKey the libp2p identity (transport only)
 * @param p2pListen TCP listen address (port 0: any free port)
 * @param bootstrap peers dialed at start, each with its {@code /p2p/<id>} (a circuit address goes through its relay)
 * @param rpcAddress where the {@code tl_*} JSON-RPC endpoint listens (loopback by default)
 * @param metricsAddress where Prometheus {@code /metrics} listens, empty for none
 * @param identity the node's account and chain, empty when it runs without a key (it then
 *     publishes no binding and cannot hold the validator or worker role)
 * @param contracts contract name to address of the suite the node follows (for {@code tl_nodeInfo})
 * @param announceEvery how often the node republishes its binding for peers that joined since
 * @param validator what the validator role runs on (chain, protocol); without it a node holding
 *     the validator role only announces it (and {@code tl_polBlock}/{@code tl_verifyRecord} answer
 *     -32002)
 * @param jobs the job flow's chain and role settings ({@link JobFlow}): with it the node's client,
 *     worker and validator roles run on the market; without it they are only announced
 * @param network discovery and reachability ({@link NodeNetwork}): DHT, AutoNAT, relays
 */
public record NodeConfig(
    Path dataDir,
    Set<Role> roles,
    PrivKey p2pKey,
    Multiaddr p2pListen,
    List<Multiaddr> bootstrap,
    InetSocketAddress rpcAddress,
    Optional<InetSocketAddress> metricsAddress,
    Optional<NodeIdentity> identity,
    Map<String, String> contracts,
    Duration announceEvery,
    Optional<ValidatorRole.Inputs> validator,
    Optional<JobFlow.Setup> jobs,
    NetworkSettings network) {

  public NodeConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(p2pKey, "p2pKey");
    Objects.requireNonNull(p2pListen, "p2pListen");
    Objects.requireNonNull(rpcAddress, "rpcAddress");
    roles = Set.copyOf(roles);
    bootstrap = List.copyOf(bootstrap);
    contracts = Map.copyOf(contracts);
    for (final Multiaddr peer : bootstrap) {
      if (peer.peerId().isEmpty()) {
        throw new IllegalArgumentException("bootstrap address " + peer + " has no /p2p/<peer id>");
      }
    }
    if (identity.isEmpty() && (roles.contains(Role.VALIDATOR) || roles.contains(Role.WORKER))) {
      throw new IllegalArgumentException("the validator and worker roles sign with an account: give the node a keystore");
    }
    if (announceEvery.isNegative() || announceEvery.isZero()) {
      throw new IllegalArgumentException("announceEvery must be positive, got " + announceEvery);
    }
    Objects.requireNonNull(validator, "validator");
    if (validator.isPresent() && !roles.contains(Role.VALIDATOR)) {
      throw new IllegalArgumentException("validator inputs given to a node without the validator role");
    }
    Objects.requireNonNull(jobs, "jobs");
    Objects.requireNonNull(network, "network");
    if (jobs.isPresent() && validator.isPresent()) {
      throw new IllegalArgumentException("the job flow builds the validator's inputs itself: give one or the other");
    }
    if (jobs.isPresent() && identity.isEmpty()) {
      throw new IllegalArgumentException("the job flow signs with an account: give the node a keystore");
    }
    if (jobs.isPresent() && roles.contains(Role.WORKER) && jobs.get().worker().isEmpty()) {
      throw new IllegalArgumentException("the worker role needs its settings (min price, backend, threads)");
    }
  }

  /** A node that finds peers only through its bootstrap list ({@link NetworkSettings#bootstrapOnly()}). */
  public NodeConfig(final Path dataDir, final Set<Role> roles, final PrivKey p2pKey, final Multiaddr p2pListen,
      final List<Multiaddr> bootstrap, final InetSocketAddress rpcAddress, final Optional<InetSocketAddress> metricsAddress,
      final Optional<NodeIdentity> identity, final Map<String, String> contracts, final Duration announceEvery,
      final Optional<ValidatorRole.Inputs> validator, final Optional<JobFlow.Setup> jobs) {
    this(dataDir, roles, p2pKey, p2pListen, bootstrap, rpcAddress, metricsAddress, identity, contracts, announceEvery,
        validator, jobs, NetworkSettings.bootstrapOnly());
  }

  /** A node without validator inputs. */
  public NodeConfig(final Path dataDir, final Set<Role> roles, final PrivKey p2pKey, final Multiaddr p2pListen,
      final List<Multiaddr> bootstrap, final InetSocketAddress rpcAddress, final Optional<InetSocketAddress> metricsAddress,
      final Optional<NodeIdentity> identity, final Map<String, String> contracts, final Duration announceEvery) {
    this(dataDir, roles, p2pKey, p2pListen, bootstrap, rpcAddress, metricsAddress, identity, contracts, announceEvery,
        Optional.empty(), Optional.empty());
  }

  /** This configuration with the validator role running on {@code inputs}. */
  public NodeConfig withValidator(final ValidatorRole.Inputs inputs) {
    return new NodeConfig(dataDir, roles, p2pKey, p2pListen, bootstrap, rpcAddress, metricsAddress, identity, contracts,
        announceEvery, Optional.of(inputs), Optional.empty(), network);
  }

  /** This configuration with the job flow running the node's roles on {@code setup}'s chain. */
  public NodeConfig withJobs(final JobFlow.Setup setup) {
    return new NodeConfig(dataDir, roles, p2pKey, p2pListen, bootstrap, rpcAddress, metricsAddress, identity, contracts,
        announceEvery, Optional.empty(), Optional.of(setup), network);
  }

  /** This configuration finding peers and reachability as {@code settings} say. */
  public NodeConfig withNetwork(final NetworkSettings settings) {
    return new NodeConfig(dataDir, roles, p2pKey, p2pListen, bootstrap, rpcAddress, metricsAddress, identity, contracts,
        announceEvery, validator, jobs, settings);
  }

  public Path storeDir() {
    return dataDir.resolve("store");
  }

  public Path runFile() {
    return dataDir.resolve("node.json");
  }
}
