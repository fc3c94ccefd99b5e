package io.tensorlink.chain.job.market;

import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.pol.wire.WireException;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.rlp.RLP;
import org.apache.tuweni.rlp.RLPException;

/**
 * The client's assignment on {@link #TOPIC}, with the bids it was computed from, so that a node
 * which missed some bid can check each listed bid and recompute the same assignment.
 *
 * <p>Wire: RLP {@code [assignmentRlp, [signedBidRlp…]]}.
 */
public record AssignmentMessage(Assignment assignment, List<SignedBid> bids) {
  public static final String TOPIC = "/tl/assign/1";
  public static final int MAX_SIZE = 1000 * 1024;
  public static final int MAX_BIDS = 1024;

  public AssignmentMessage {
    bids = List.copyOf(bids);
    if (bids.size() > MAX_BIDS) {
      throw new IllegalArgumentException(bids.size() + " bids exceed " + MAX_BIDS);
    }
  }

  public byte[] encode() {
    return RLP.encodeList(w -> {
      w.writeValue(PolCodec.encode(assignment));
      w.writeList(bids, (l, b) -> l.writeValue(b.encode()));
    }).toArray();
  }

  public static AssignmentMessage decode(final byte[] wire) {
    if (wire.length > MAX_SIZE) {
      throw new WireException("assignment message of " + wire.length + " bytes exceeds " + MAX_SIZE);
    }
    try {
      return RLP.decodeList(Bytes.wrap(wire), r -> {
        final Assignment a = PolCodec.decodeAssignment(r.readValue());
        final List<SignedBid> bids = r.readListContents(x -> SignedBid.decode(x.readValue()));
        if (!r.isComplete()) {
          throw new WireException("assignment message has trailing fields");
        }
        return new AssignmentMessage(a, bids);
      });
    } catch (RLPException | IllegalArgumentException e) {
      throw new WireException("malformed assignment message: " + e.getMessage(), e);
    }
  }
}
