package io.tensorlink.chain.job.market;

import io.tensorlink.chain.job.data.DataServer;
import io.tensorlink.chain.node.ClientRole;
import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.deploy.Deployment;
import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.crypto.PrivKey;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.pubsub.Gossipsub;
import io.tensorlink.p2p.pubsub.GossipsubConfig;
import io.tensorlink.p2p.transport.Hosts;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;

/**
 * One market participant as a node runs it: a real libp2p host on loopback with gossipsub, a
 * {@link JobMarket} reading the shared anvil through the contracts' API, and optionally the client
 * role (serving data on the same host).
 */
final class MarketNode implements AutoCloseable {
  static final GossipsubConfig GOSSIP = GossipsubConfig.builder().heartbeatInterval(Duration.ofMillis(100)).build();

  final Credentials account;
  final PrivKey identity;
  final Host host;
  final Gossipsub gossip;
  final JobMarket market;
  final List<Assignment> told = new CopyOnWriteArrayList<>();
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private ClientRole client;

  MarketNode(final Web3j web3j, final Deployment deployment, final PolDomain domain, final Credentials account,
      final Optional<WorkerOffer> offer) {
    this(web3j, deployment, domain, account, offer, Keys.generate(KeyType.ED25519));
  }

  /** A node with the given libp2p identity: the same key is the same peer, as a restarted node is. */
  MarketNode(final Web3j web3j, final Deployment deployment, final PolDomain domain, final Credentials account,
      final Optional<WorkerOffer> offer, final PrivKey identity) {
    this.account = account;
    this.identity = identity;
    this.host = Hosts.create(HostConfig.builder(identity).listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).build());
    host.start().orTimeout(10, TimeUnit.SECONDS).join();
    this.gossip = new Gossipsub(host, GOSSIP).start();
    final JobChain chain = new JobChain(web3j, ContractSuite.connect(web3j, account, deployment));
    this.market = new JobMarket(gossip, chain, domain, offer, Duration.ofMillis(200)).start();
    market.assignments().onAssigned((job, a) -> told.add(a));
  }

  ClientRole client() {
    if (client == null) {
      client = new ClientRole(market, DataServer.register(host, executor), host.peerId(), account,
          Duration.ofSeconds(1), Duration.ofMillis(200));
    }
    return client;
  }

  Multiaddr address() {
    return host.listenAddresses().get(0).withPeerId(host.peerId());
  }

  void dial(final MarketNode other) {
    host.dial(other.address()).orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
    market.close();
    gossip.close();
    host.close();
    executor.shutdownNow();
  }
}
