package io.tensorlink.chain.validator.dispute;

import io.tensorlink.chain.store.BlockKey;
import io.tensorlink.chain.store.RecordKey;
import java.util.Objects;

/**
 * The record a validator disputes: {@code record} in the block anchored at {@code block} under
 * {@code blockHash}, by the transaction mined in chain block {@code anchoredIn}.
 */
public record ChallengeTarget(BlockKey block, byte[] blockHash, long anchoredIn, RecordKey record) {
  public ChallengeTarget {
    Objects.requireNonNull(block, "block");
    Objects.requireNonNull(record, "record");
    if (blockHash.length != 32) {
      throw new IllegalArgumentException("block hash must be 32 bytes, got " + blockHash.length);
    }
    if (!record.jobId().equals(block.jobId())) {
      throw new IllegalArgumentException("record of job " + record.jobId() + " in a block of job " + block.jobId());
    }
    blockHash = blockHash.clone();
  }

  @Override
  public byte[] blockHash() {
    return blockHash.clone();
  }
}
