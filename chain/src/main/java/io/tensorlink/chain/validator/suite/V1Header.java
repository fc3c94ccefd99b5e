package io.tensorlink.chain.validator.suite;

import io.tensorlink.chain.validator.BlockCandidate;
import io.tensorlink.chain.validator.Rlp;
import io.tensorlink.contracts.generated.PoLAnchor.PoLBlock;
import io.tensorlink.contracts.pol.PoLBlocks;
import java.math.BigInteger;

/**
 * The header today's {@code PoLAnchor} (v1) anchors: {@code PoLBlock(jobId, index, parent, stepFrom,
 * stepTo, stepsRoot, payoutsRoot, checkpointRoot)}. Wire form: the RLP list of those eight fields.
 * Contracts v2 add {@code randomness} and {@code randomnessBlock}; pol-core's {@code PoLHeader}
 * replaces this type then.
 */
public record V1Header(BigInteger jobId, long index, byte[] parent, long stepFrom, long stepTo, byte[] stepsRoot,
    byte[] payoutsRoot, byte[] checkpointRoot) {

  public PoLBlock toPoLBlock() {
    return new PoLBlock(jobId, BigInteger.valueOf(index), parent, BigInteger.valueOf(stepFrom), BigInteger.valueOf(stepTo),
        stepsRoot, payoutsRoot, checkpointRoot);
  }

  /** hashStruct(header), as {@code PoLAnchor.hashBlock} computes it. */
  public byte[] hash() {
    return PoLBlocks.hash(toPoLBlock());
  }

  public byte[] encode() {
    return Rlp.encodeList(w -> {
      w.writeBigInteger(jobId);
      w.writeLong(index);
      w.writeByteArray(parent);
      w.writeLong(stepFrom);
      w.writeLong(stepTo);
      w.writeByteArray(stepsRoot);
      w.writeByteArray(payoutsRoot);
      w.writeByteArray(checkpointRoot);
    });
  }

  public BlockCandidate toCandidate() {
    return new BlockCandidate(jobId, index, parent, stepFrom, stepTo, hash(), encode());
  }

  /** @throws io.tensorlink.chain.validator.MalformedMessageException naming the bad field */
  public static V1Header decode(final byte[] wire) {
    return Rlp.decodeList(wire, "v1 PoL header", r -> new V1Header(r.readBigInteger(), r.readLong(),
        Rlp.readFixed(r, 32, "parent"), r.readLong(), r.readLong(), Rlp.readFixed(r, 32, "stepsRoot"),
        Rlp.readFixed(r, 32, "payoutsRoot"), Rlp.readFixed(r, 32, "checkpointRoot")));
  }
}
