package io.tensorlink.chain.validator;

import io.tensorlink.chain.store.BlockKey;
import io.tensorlink.chain.store.RecordKey;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link DisputeClient} that records what the validator asked for (v1's court is replaced by contracts v2). */
class RecordingDisputes implements DisputeClient {
  record Challenge(BlockKey block, byte[] blockHash, RecordKey record) {}

  record Vote(BigInteger disputeId, boolean fraud) {}

  final List<Challenge> challenges = new CopyOnWriteArrayList<>();
  final List<Vote> votes = new CopyOnWriteArrayList<>();

  @Override
  public void challenge(final BlockKey block, final byte[] blockHash, final RecordKey record, final byte[] wire) {
    challenges.add(new Challenge(block, blockHash, record));
  }

  @Override
  public void vote(final BigInteger disputeId, final boolean fraud) {
    votes.add(new Vote(disputeId, fraud));
  }
}
