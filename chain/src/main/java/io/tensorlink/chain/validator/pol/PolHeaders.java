package io.tensorlink.chain.validator.pol;

import io.tensorlink.chain.pol.PoLHeader;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.pol.wire.WireException;
import io.tensorlink.chain.validator.BlockCandidate;
import io.tensorlink.chain.validator.MalformedMessageException;
import io.tensorlink.contracts.generated.PoLAnchor.PoLBlock;
import java.math.BigInteger;
import org.apache.tuweni.bytes.Bytes;

/**
 * pol-core's {@link PoLHeader} as the validator and the anchor see it: its {@code PolCodec} wire
 * form inside a {@link BlockCandidate}, and the {@code PoLAnchor.PoLBlock} struct {@code submit}
 * takes. Step ranges are half-open {@code [stepFrom, stepTo)}, as {@code PoLAnchor} (v2) checks them.
 */
public final class PolHeaders {
  private PolHeaders() {}

  public static BlockCandidate candidate(final PoLHeader header) {
    return new BlockCandidate(header.jobId(), header.index(), header.parent().toArray(), header.stepFrom(), header.stepTo(),
        header.randomnessBlock(), header.blockHash().toArray(), PolCodec.encode(header).toArray());
  }

  /** @throws MalformedMessageException naming what is wrong */
  public static PoLHeader decode(final byte[] wire) {
    try {
      return PolCodec.decodeHeader(Bytes.wrap(wire));
    } catch (WireException | IllegalArgumentException e) {
      throw new MalformedMessageException("not a PoL header: " + e.getMessage(), e);
    }
  }

  /** The struct {@code PoLAnchor.submit} takes. */
  public static PoLBlock toPoLBlock(final PoLHeader h) {
    return new PoLBlock(h.jobId(), BigInteger.valueOf(h.index()), h.parent().toArray(), BigInteger.valueOf(h.stepFrom()),
        BigInteger.valueOf(h.stepTo()), h.stepsRoot().toArray(), h.payoutsRoot().toArray(), h.checkpointRoot().toArray(),
        h.randomness().toArray(), BigInteger.valueOf(h.randomnessBlock()));
  }
}
