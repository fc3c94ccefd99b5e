package io.tensorlink.chain.node;

import io.tensorlink.chain.pol.NodeBinding;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.pol.wire.WireException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.rlp.RLP;
import org.apache.tuweni.rlp.RLPException;

/**
 * What a node gossips on {@link #TOPIC}: its signed binding (peer ID ↔ account) and the roles it
 * runs. Wire form: RLP {@code [bindingRlp, [role...]]}: the binding's own RLP as a byte string, roles as
 * lower-case strings. The roles are
 * advisory (a peer proves a role by what it signs, not by saying so); the binding is checked.
 */
public record NodeAnnouncement(NodeBinding binding, Set<Role> roles) {
  public static final String TOPIC = "/tl/nodes/1";
  public static final int MAX_SIZE = PolCodec.MAX_BINDING + 64;

  public NodeAnnouncement {
    roles = Set.copyOf(roles);
  }

  public byte[] encode() {
    final Bytes binding = PolCodec.encode(this.binding);
    return RLP.encodeList(w -> {
      w.writeValue(binding);
      w.writeList(l -> roles.stream().sorted().forEach(r -> l.writeString(r.label())));
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
        if (!r.isComplete()) {
          throw new WireException("node announcement has trailing fields");
        }
        return new NodeAnnouncement(binding, labels.isEmpty() ? Set.of() : Role.parseList(String.join(",", labels)));
      });
    } catch (RLPException | IllegalArgumentException e) {
      throw new WireException("malformed node announcement: " + e.getMessage(), e);
    }
  }
}
