package io.tensorlink.chain.validator;

import io.tensorlink.chain.follow.SuiteChainEvents;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.validator.p2p.GossipPolTransport;
import io.tensorlink.chain.validator.p2p.RecordServer;
import io.tensorlink.chain.validator.suite.Eip712Signer;
import io.tensorlink.chain.validator.suite.SuiteAnchorClient;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.transport.Hosts;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.pubsub.Gossipsub;
import io.tensorlink.p2p.pubsub.GossipsubConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.web3j.crypto.Credentials;

/**
 * One validator as a node would run it: its own RocksDB directory, a real libp2p host on loopback
 * with gossipsub, the web3j chain follower and anchor client on the shared anvil, driven by a
 * {@link ValidatorService}. {@link #restart()} stops the validator and its store and brings them
 * back on the same directory (the p2p host stays up, as the node's network layer would).
 */
final class ValidatorNode implements AutoCloseable {
  static final GossipsubConfig GOSSIP = GossipsubConfig.builder().heartbeatInterval(Duration.ofMillis(100)).build();
  static final Duration TICK = Duration.ofMillis(100);

  final Credentials account;
  final Path dataDir;
  final Host host;
  final Gossipsub gossip;
  final RecordingDisputes disputes;
  private final AnvilSuite chain;
  private final ValidatorConfig config;
  private final ProtocolFactory protocols;
  private final DisputeClient court;
  private NodeStore store;
  private GossipPolTransport transport;
  private RecordServer records;
  private Validator validator;
  private ValidatorService service;

  /** The protocol side a node runs: block building, verification and record inspection. */
  record Protocol(BlockFormat format, BlockVerifier verifier, RecordInspector inspector) {
    static Protocol test() {
      final TestProtocol p = new TestProtocol();
      return new Protocol(p, p, p);
    }
  }

  /** Builds a node's protocol over its own p2p host (to fetch inputs) and store (anchored checkpoints). */
  @FunctionalInterface
  interface ProtocolFactory {
    Protocol create(Host host, NodeStore store);
  }

  /** A node on {@link TestProtocol} whose court only records ({@link #disputes}). */
  ValidatorNode(final AnvilSuite chain, final Credentials account, final Path dataDir, final ValidatorConfig config) {
    this(chain, account, dataDir, config, (host, store) -> Protocol.test());
  }

  /** A node on the protocol {@code protocols} builds, whose court only records ({@link #disputes}). */
  ValidatorNode(final AnvilSuite chain, final Credentials account, final Path dataDir, final ValidatorConfig config,
      final ProtocolFactory protocols) {
    this(chain, account, dataDir, config, protocols, new RecordingDisputes(account.getAddress()));
  }

  ValidatorNode(final AnvilSuite chain, final Credentials account, final Path dataDir, final ValidatorConfig config,
      final Protocol protocol, final DisputeClient court) {
    this(chain, account, dataDir, config, (host, store) -> protocol, court);
  }

  ValidatorNode(final AnvilSuite chain, final Credentials account, final Path dataDir, final ValidatorConfig config,
      final ProtocolFactory protocols, final DisputeClient court) {
    this.chain = chain;
    this.account = account;
    this.dataDir = dataDir;
    this.config = config;
    this.protocols = protocols;
    this.court = court;
    this.disputes = court instanceof RecordingDisputes r ? r : null;
    this.host = Hosts.create(HostConfig.loopback());
    host.start().orTimeout(10, TimeUnit.SECONDS).join();
    this.gossip = new Gossipsub(host, GOSSIP).start();
  }

  String address() {
    return EthAddress.lower(account.getAddress());
  }

  /** Opens the store and starts the validator service. */
  ValidatorNode startValidator() {
    store = NodeStore.open(dataDir);
    records = RecordServer.serve(host, RecordServer.HeldRecords.in(store));
    transport = new GossipPolTransport(host, gossip);
    validator = build(store, transport);
    service = new ValidatorService(validator, TICK);
    return this;
  }

  Validator build(final NodeStore onStore, final PolTransport over) {
    return build(onStore, over, Clock.system());
  }

  Validator build(final NodeStore onStore, final PolTransport over, final Clock clock) {
    final ContractSuite suite = chain.suite(account);
    final Protocol protocol = protocols.create(host, onStore);
    return Validator.builder()
        .store(onStore)
        .chainEvents(new SuiteChainEvents(chain.web3j(), chain.deployment()))
        .anchor(new SuiteAnchorClient(suite, chain.web3j()))
        .disputes(court)
        .transport(over)
        .clock(clock)
        .signer(new Eip712Signer(account, suite.polDomain()))
        .format(protocol.format())
        .verifier(protocol.verifier())
        .inspector(protocol.inspector())
        .config(config)
        .build();
  }

  NodeStore store() {
    return store;
  }

  boolean running() {
    return service != null;
  }

  void stopValidator() {
    if (service != null) {
      service.close();
      transport.close();
      records.close();
      store.close();
      service = null;
    }
  }

  void restart() {
    stopValidator();
    startValidator();
  }

  void dial(final ValidatorNode other) {
    host.dial(other.host.listenAddresses().get(0).withPeerId(other.host.peerId())).orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Override
  public void close() {
    stopValidator();
    gossip.close();
    host.close();
  }
}
