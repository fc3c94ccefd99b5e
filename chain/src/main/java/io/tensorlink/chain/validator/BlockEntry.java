package io.tensorlink.chain.validator;

import java.util.Locale;

/**
 * Value of the store's blocks column for (job, index): the header this validator signed, or the
 * block the chain anchored. Wire form (RLP): {@code [status, blockHash(32), stepFrom, stepTo, header]}
 * ({@code header} is empty for an anchored block whose header this node never saw).
 */
public record BlockEntry(Status status, byte[] blockHash, long stepFrom, long stepTo, byte[] header) {
  /** Where the block stands. */
  public enum Status {
    /** This node signed the header (the signing guard holds its hash). */
    SIGNED,
    /** The anchor accepted a header for this (job, index). */
    ANCHORED
  }

  public BlockEntry {
    blockHash = blockHash.clone();
    header = header.clone();
  }

  public static BlockEntry signed(final BlockCandidate c) {
    return new BlockEntry(Status.SIGNED, c.blockHash(), c.stepFrom(), c.stepTo(), c.encoded());
  }

  @Override
  public byte[] blockHash() {
    return blockHash.clone();
  }

  @Override
  public byte[] header() {
    return header.clone();
  }

  public byte[] encode() {
    return Rlp.encodeList(w -> {
      w.writeString(status.name().toLowerCase(Locale.ROOT));
      w.writeByteArray(blockHash);
      w.writeLong(stepFrom);
      w.writeLong(stepTo);
      w.writeByteArray(header);
    });
  }

  public static BlockEntry decode(final byte[] wire) {
    return Rlp.decodeList(wire, "block entry", r -> new BlockEntry(
        Status.valueOf(r.readString().toUpperCase(Locale.ROOT)), Rlp.readFixed(r, 32, "block hash"), r.readLong(), r.readLong(),
        r.readByteArray()));
  }
}
