package io.tensorlink.chain.validator;

import io.tensorlink.chain.pol.Attestation;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.pol.wire.WireException;
import io.tensorlink.chain.store.AttestationKey;
import io.tensorlink.chain.store.BlockKey;
import java.math.BigInteger;
import org.apache.tuweni.bytes.Bytes;

/**
 * Messages on {@code /tl/pol/1}. Wire form (RLP list); {@code attestation} is a byte string holding
 * pol-core's {@link Attestation} in {@link PolCodec}'s form (header signature plus the signed
 * verdicts of the records the validator re-executed), as {@code header} holds the header's:
 *
 * <ul>
 *   <li>proposal: {@code [1, header, attestation]} — the leader's header (the {@link BlockFormat}'s
 *       wire form) with the leader's own attestation, which proves it is an active validator;
 *   <li>vote: {@code [2, jobId, index, attestation]}.
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
        w.writeByteArray(PolCodec.encode(proposer).toArrayUnsafe());
      });
    }
  }

  /** A validator's attestation of block {@code index} of job {@code jobId}. */
  record Vote(BigInteger jobId, long index, Attestation attestation) implements PolMessage {
    public BlockKey block() {
      return new BlockKey(jobId, index);
    }

    @Override
    public byte[] encode() {
      return Rlp.encodeList(w -> {
        w.writeInt(ATTESTATION);
        w.writeBigInteger(jobId);
        w.writeLong(index);
        w.writeByteArray(PolCodec.encode(attestation).toArrayUnsafe());
      });
    }
  }

  /** Where {@code attestation} of block {@code block} is stored: one entry per (block, header hash, validator). */
  static AttestationKey storeKey(final BlockKey block, final Attestation attestation) {
    return new AttestationKey(block, attestation.blockHash().toArray(), attestation.validator().toArray());
  }

  /** @throws MalformedMessageException naming the problem */
  static PolMessage decode(final byte[] wire) {
    return Rlp.decodeList(wire, "PoL message", r -> {
      final int kind = r.readInt();
      return switch (kind) {
        case PROPOSAL -> new Proposal(r.readByteArray(), attestation(Bytes.wrap(r.readByteArray())));
        case ATTESTATION -> new Vote(r.readBigInteger(), r.readLong(), attestation(Bytes.wrap(r.readByteArray())));
        default -> throw new MalformedMessageException("unknown PoL message kind " + kind);
      };
    });
  }

  /** pol-core's attestation from its wire form, or {@link MalformedMessageException} naming the field. */
  static Attestation attestation(final Bytes wire) {
    try {
      return PolCodec.decodeAttestation(wire);
    } catch (WireException | IllegalArgumentException e) {
      throw new MalformedMessageException("malformed attestation: " + e.getMessage(), e);
    }
  }
}
