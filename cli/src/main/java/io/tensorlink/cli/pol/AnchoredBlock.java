package io.tensorlink.cli.pol;

import io.tensorlink.contracts.generated.PoLAnchor.PoLBlock;
import java.math.BigInteger;
import java.util.List;

/**
 * One anchored PoL block as the chain tells it: the header rebuilt from the anchoring transaction's
 * {@code BlockAnchored} and {@code BlockCommitted} events, its signers, and where it was anchored.
 *
 * @param header the v2 header exactly as signed (its hash is {@code blockHash})
 * @param blockHash hashStruct(header), as the anchor emitted it
 * @param signers the validators whose signatures the anchor accepted, ascending
 * @param signedStake the signers' weight in the epoch (wei of TL)
 * @param totalStake the epoch's total weight (wei of TL)
 * @param transactionHash the anchoring transaction
 * @param chainBlock the chain block that holds it
 * @param anchoredAt that block's timestamp (Unix seconds)
 */
public record AnchoredBlock(PoLBlock header, byte[] blockHash, List<String> signers, BigInteger signedStake,
    BigInteger totalStake, String transactionHash, long chainBlock, long anchoredAt) {
  public AnchoredBlock {
    signers = List.copyOf(signers);
    blockHash = blockHash.clone();
  }

  @Override
  public byte[] blockHash() {
    return blockHash.clone();
  }

  public long index() {
    return header.index.longValueExact();
  }
}
