package io.tensorlink.besu.host;

import io.tensorlink.chain.node.NodeAnnouncement;
import io.tensorlink.chain.node.NodeIdentity;
import io.tensorlink.chain.node.PeerDirectory;
import io.tensorlink.chain.node.Role;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.p2p.host.Connection;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.pubsub.Gossipsub;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node-binding exchange on {@code /tl/nodes/1}, wire-compatible with the standalone node's:
 * this node announces its signed binding (peer id ↔ account, roles) every {@code every}, and keeps
 * the bindings of its peers that verify ({@link PeerDirectory}). It gives {@code tl_peers} its
 * accounts and roles and the verifier its worker directory (account → address of a connected peer).
 */
final class NodeBindings implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeBindings.class);

  private final Host host;
  private final PeerDirectory directory;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("tl-bindings").daemon().factory());

  private NodeBindings(final Host host, final PeerDirectory directory) {
    this.host = host;
    this.directory = directory;
  }

  /** Subscribes to the topic and starts announcing; returns once subscribed. */
  static NodeBindings start(final Host host, final Gossipsub gossip, final NodeIdentity identity, final Set<Role> roles,
      final Duration every) {
    final NodeBindings bindings = new NodeBindings(host, new PeerDirectory(identity.domain()));
    gossip.subscribe(NodeAnnouncement.TOPIC, m -> bindings.directory.accept(m.author(), m.data().toByteArray())).join();
    bindings.timer.scheduleWithFixedDelay(() -> {
      try {
        gossip.publish(NodeAnnouncement.TOPIC, NodeAnnouncement.current(host, identity, roles).encode());
      } catch (RuntimeException e) {
        LOG.warn("publishing the node binding failed: {}", e.toString());
      }
    }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    return bindings;
  }

  /** The verified announcement of a connected peer, if it sent one. */
  Optional<NodeAnnouncement> of(final Connection peer) {
    return directory.lookup(peer.remotePeer());
  }

  /** Where to reach the connected peer bound to {@code account}, if any. */
  Optional<Multiaddr> address(final EthAddress account) {
    return host.connections().stream()
        .filter(c -> directory.lookup(c.remotePeer()).filter(a -> a.binding().account().equals(account)).isPresent())
        .map(c -> c.remoteAddress().withPeerId(c.remotePeer())).findFirst();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
