package io.tensorlink.chain.node;

import io.tensorlink.chain.pol.NodeBinding;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.pol.wire.WireException;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.rlp.RLP;
import org.apache.tuweni.rlp.RLPException;

/**
 * What a node gossips on {@link #TOPIC}: its signed binding (peer ID ↔ account), the roles it
 * runs and where it listens. Wire form: RLP {@code [bindingRlp, [role...], [multiaddr...]]}: the
 * binding's own RLP as a byte string, roles as lower-case strings, listen addresses in multiaddr
 * binary form without {@code /p2p/}. The roles are advisory (a peer proves a role by what it
 * signs, not by saying so); the binding is checked. The addresses are covered by the gossip
 * message's signature (its author is the bound peer), and a dial to one proves the peer ID again
 * (Noise), so a wrong address can only fail, never impersonate.
 */
public record NodeAnnouncement(NodeBinding binding, Set<Role> roles, List<Multiaddr> addresses) {
  public static final String TOPIC = "/tl/nodes/1";
  /** At most this many listen addresses are announced (a node listens on one or two). */
  public static final int MAX_ADDRESSES = 8;
  public static final int MAX_SIZE = PolCodec.MAX_BINDING + 64 + MAX_ADDRESSES * 64;

  public NodeAnnouncement {
    roles = Set.copyOf(roles);
    addresses = List.copyOf(addresses);
    if (addresses.size() > MAX_ADDRESSES) {
      throw new IllegalArgumentException(addresses.size() + " listen addresses, at most " + MAX_ADDRESSES);
    }
  }

  /**
   * This node's announcement now: its binding signed at the current time by {@code identity}'s
   * account, and the addresses {@code host} listens on.
   */
  public static NodeAnnouncement current(final Host host, final NodeIdentity identity, final Set<Role> roles) {
    return current(host, identity, roles, host.listenAddresses());
  }

  /**
   * As {@link #current(Host, NodeIdentity, Set)} with {@code addresses} announced instead of the
   * listen addresses: a node that is not reachable directly puts its relay circuit addresses first.
   */
  public static NodeAnnouncement current(final Host host, final NodeIdentity identity, final Set<Role> roles,
      final List<Multiaddr> addresses) {
    final NodeBinding binding = NodeBinding.sign(host.peerId(), System.currentTimeMillis() / 1000, identity.domain(),
        identity.account());
    return new NodeAnnouncement(binding, roles, addresses.stream().map(Multiaddr::withoutPeerId).limit(MAX_ADDRESSES).toList());
  }

  /** The addresses a peer can dial this node at, each ending in its {@code /p2p/<peer id>}. */
  public List<Multiaddr> dialable() {
    return addresses.stream().map(a -> a.withPeerId(binding.peer())).toList();
  }

  public byte[] encode() {
    final Bytes binding = PolCodec.encode(this.binding);
    return RLP.encodeList(w -> {
      w.writeValue(binding);
      w.writeList(l -> roles.stream().sorted().forEach(r -> l.writeString(r.label())));
      w.writeList(l -> addresses.forEach(a -> l.writeValue(Bytes.wrap(a.bytes()))));
    }).toArrayUnsafe();
  }

  /** Decodes and bounds-checks an announcement; the binding's signature is the caller's to check. */
  public static NodeAnnouncement decode(final byte[] wire) {
    if (wire.length > MAX_SIZE) {
      throw new WireException("node announcement of " + wire.length + " bytes exceeds " + MAX_SIZE);
    }
    try {
      return RLP.decodeList(Bytes.wrap(wire), r -> {
        final NodeBinding binding = PolCodec.decodeBinding(r.readValue());
        final List<String> labels = new ArrayList<>();
        r.readList(l -> {
          while (!l.isComplete()) {
            labels.add(l.readString());
          }
          return null;
        });
        final List<Multiaddr> addresses = new ArrayList<>();
        r.readList(l -> {
          while (!l.isComplete()) {
            addresses.add(Multiaddr.fromBytes(l.readValue().toArrayUnsafe()));
          }
          return null;
        });
        if (!r.isComplete()) {
          throw new WireException("node announcement has trailing fields");
        }
        return new NodeAnnouncement(binding, labels.isEmpty() ? Set.of() : Role.parseList(String.join(",", labels)),
            addresses);
      });
    } catch (RLPException | IllegalArgumentException e) {
      throw new WireException("malformed node announcement: " + e.getMessage(), e);
    }
  }
}
