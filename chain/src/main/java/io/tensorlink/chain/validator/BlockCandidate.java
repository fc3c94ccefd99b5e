package io.tensorlink.chain.validator;

import io.tensorlink.chain.store.BlockKey;
import java.math.BigInteger;
import java.util.Arrays;
import org.web3j.utils.Numeric;

/**
 * A PoL block header as the validator handles it: the fields the service itself needs (where the
 * block sits in the job's hash chain, which steps it covers and which chain block its sample's
 * randomness is the hash of), its hash (what validators sign
 * and the next block's parent) and the header's wire form, which only the {@link BlockFormat},
 * {@link BlockVerifier} and {@link AnchorClient} interpret.
 */
public record BlockCandidate(
    BigInteger jobId, long index, byte[] parent, long stepFrom, long stepTo, long randomnessBlock, byte[] blockHash,
    byte[] encoded) {
  public BlockCandidate {
    if (parent.length != 32 || blockHash.length != 32) {
      throw new IllegalArgumentException("parent and block hash must be 32 bytes");
    }
    if (stepTo <= stepFrom || stepFrom < 0) {
      throw new IllegalArgumentException("block step range [" + stepFrom + ", " + stepTo + ") is empty or negative");
    }
    parent = parent.clone();
    blockHash = blockHash.clone();
    encoded = encoded.clone();
  }

  public BlockKey key() {
    return new BlockKey(jobId, index);
  }

  @Override
  public byte[] parent() {
    return parent.clone();
  }

  @Override
  public byte[] blockHash() {
    return blockHash.clone();
  }

  @Override
  public byte[] encoded() {
    return encoded.clone();
  }

  public boolean sameHash(final byte[] hash) {
    return Arrays.equals(blockHash, hash);
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof BlockCandidate c && c.jobId.equals(jobId) && c.index == index && Arrays.equals(c.blockHash, blockHash)
        && Arrays.equals(c.encoded, encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(blockHash);
  }

  @Override
  public String toString() {
    return "block " + index + " of job " + jobId + " [" + stepFrom + ", " + stepTo + ") " + Numeric.toHexString(blockHash);
  }
}
