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
 * @param bootstrap peers dialed at start, each with its {@code /p2p/<id>}
 * @param rpcAddress where the {@code tl_*} JSON-RPC endpoint listens (loopback by default)
 * @param metricsAddress where Prometheus {@code /metrics} listens, empty for none
 * @param identity the node's account and chain, empty when it runs without a key (it then
 *     publishes no binding and cannot hold the validator or worker role)
 * @param contracts contract name to address of the suite the node follows (for {@code tl_nodeInfo})
 * @param announceEvery how often the node republishes its binding for peers that joined since
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
    Duration announceEvery) {

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
  }

  public Path storeDir() {
    return dataDir.resolve("store");
  }

  public Path runFile() {
    return dataDir.resolve("node.json");
  }
}
