package io.tensorlink.chain.node;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.wire.WireException;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bindings this node has accepted: which account (and advertised roles) stands behind a peer
 * ID. An announcement is accepted only if the account's signature over the binding verifies in
 * this chain's PoL domain, the peer ID it binds is the gossip message's signer (so nobody can bind
 * another peer's transport identity to their account), and it is newer than what is known.
 */
public final class PeerDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(PeerDirectory.class);

  private final PolDomain domain;
  private final Map<PeerId, NodeAnnouncement> byPeer = new ConcurrentHashMap<>();

  public PeerDirectory(final PolDomain domain) {
    this.domain = domain;
  }

  /** Why an announcement was refused. */
  public enum Outcome { ACCEPTED, STALE, MALFORMED, BAD_SIGNATURE, WRONG_PEER }

  /** Checks and, if valid, records the announcement {@code from} sent. */
  public Outcome accept(final PeerId from, final byte[] wire) {
    final NodeAnnouncement a;
    try {
      a = NodeAnnouncement.decode(wire);
    } catch (WireException e) {
      LOG.info("dropped node announcement from {}: {}", from, e.getMessage());
      return Outcome.MALFORMED;
    }
    if (!a.binding().peer().equals(from)) {
      LOG.info("dropped node announcement from {}: it binds another peer, {}", from, a.binding().peer());
      return Outcome.WRONG_PEER;
    }
    if (!a.binding().signatureValid(domain)) {
      LOG.info("dropped node announcement from {}: the signature is not by {}", from, a.binding().account());
      return Outcome.BAD_SIGNATURE;
    }
    final NodeAnnouncement before = byPeer.merge(from, a,
        (old, neu) -> neu.binding().issuedAt() >= old.binding().issuedAt() ? neu : old);
    return before == a ? Outcome.ACCEPTED : Outcome.STALE;
  }

  public Optional<NodeAnnouncement> lookup(final PeerId peer) {
    return Optional.ofNullable(byPeer.get(peer));
  }

  /**
   * Where the peer bound to {@code account} listens (its newest binding), each address ending in
   * its {@code /p2p/<peer id>}; empty when no peer has bound that account or announced an address.
   */
  public Optional<Multiaddr> address(final EthAddress account) {
    return byPeer.values().stream().filter(a -> a.binding().account().equals(account))
        .max(Comparator.comparingLong(a -> a.binding().issuedAt()))
        .flatMap(a -> a.dialable().stream().findFirst());
  }

  /** Where {@code peer} listens, as it announced, with its {@code /p2p/<peer id>}. */
  public Optional<Multiaddr> address(final PeerId peer) {
    return lookup(peer).flatMap(a -> a.dialable().stream().findFirst());
  }

  public int size() {
    return byPeer.size();
  }
}
