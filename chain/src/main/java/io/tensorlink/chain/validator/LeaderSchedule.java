package io.tensorlink.chain.validator;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import org.web3j.crypto.Hash;

/**
 * Who proposes a job's block: a pure function of the epoch's active set, the job id, the block
 * index and the round. Round 0's leader is {@code members[keccak256(jobId ‖ index) mod n]} (members
 * in ascending address order, jobId as 32 bytes and index as 8 bytes big-endian); round r's is the
 * r-th next member, wrapping. Every node computes the same schedule from the same snapshot.
 */
public final class LeaderSchedule {
  private LeaderSchedule() {}

  public static String leader(final ValidatorSet set, final BigInteger jobId, final long index, final long round) {
    if (set.isEmpty()) {
      throw new IllegalStateException("no active validators: nobody can lead block " + index + " of job " + jobId);
    }
    if (round < 0) {
      throw new IllegalArgumentException("round must not be negative, got " + round);
    }
    final int n = set.members().size();
    final int start = seed(jobId, index).mod(BigInteger.valueOf(n)).intValue();
    return set.members().get((int) ((start + round % n) % n)).address();
  }

  static BigInteger seed(final BigInteger jobId, final long index) {
    final ByteBuffer b = ByteBuffer.allocate(40);
    final byte[] id = jobId.toByteArray();
    final int skip = id.length > 32 ? id.length - 32 : 0;
    b.position(32 - (id.length - skip));
    b.put(id, skip, id.length - skip);
    b.putLong(index);
    return new BigInteger(1, Hash.sha3(b.array()));
  }
}
