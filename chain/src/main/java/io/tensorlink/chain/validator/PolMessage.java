package io.tensorlink.chain.validator;

import org.apache.tuweni.bytes.Bytes;

/**
 * Messages on {@code /tl/pol/1}. Wire form (RLP list):
 *
 * <ul>
 *   <li>proposal: {@code [1, header, attestation]} — the leader's header (the {@link BlockFormat}'s
 *       wire form) with the leader's own attestation, which proves it is an active validator;
 *   <li>attestation: {@code [2, attestation]}.
 * </ul>
 */
public sealed interface PolMessage {
  int PROPOSAL = 1;
  int ATTESTATION = 2;

  byte[] encode();

  /** A leader's header and its own attestation over it. */
  record Proposal(byte[] header, Attestation proposer) implements PolMessage {
    public Proposal {
      header = header.clone();
    }

    @Override
    public byte[] header() {
      return header.clone();
    }

    @Override
    public byte[] encode() {
      return Rlp.encodeList(w -> {
        w.writeInt(PROPOSAL);
        w.writeByteArray(header);
        w.writeRLP(Bytes.wrap(proposer.encode()));
      });
    }
  }

  /** A validator's attestation. */
  record Vote(Attestation attestation) implements PolMessage {
    @Override
    public byte[] encode() {
      return Rlp.encodeList(w -> {
        w.writeInt(ATTESTATION);
        w.writeRLP(Bytes.wrap(attestation.encode()));
      });
    }
  }

  /** @throws MalformedMessageException naming the problem */
  static PolMessage decode(final byte[] wire) {
    return Rlp.decodeList(wire, "PoL message", r -> {
      final int kind = r.readInt();
      return switch (kind) {
        case PROPOSAL -> new Proposal(r.readByteArray(), r.readList(Attestation::read));
        case ATTESTATION -> new Vote(r.readList(Attestation::read));
        default -> throw new MalformedMessageException("unknown PoL message kind " + kind);
      };
    });
  }
}
