package io.tensorlink.chain.validator;

import io.tensorlink.chain.store.BlockKey;
import io.tensorlink.chain.store.RecordKey;
import java.math.BigInteger;

/** The dispute court as the validator uses it: challenge a fraudulent anchored record, vote as a committee member. */
public interface DisputeClient {
  /** Opens a dispute over {@code record} (wire form {@code wire}) in the block anchored at {@code block} with hash {@code blockHash}. */
  void challenge(BlockKey block, byte[] blockHash, RecordKey record, byte[] wire);

  /** Casts this validator's committee vote on dispute {@code disputeId}. */
  void vote(BigInteger disputeId, boolean fraud);
}
