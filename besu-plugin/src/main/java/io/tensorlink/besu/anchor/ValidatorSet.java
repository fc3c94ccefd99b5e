package io.tensorlink.besu.anchor;

import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;

/**
 * A validator set with stakes (addresses 0x-hex lower case), as StakeManager's snapshot returns it.
 *
 * @param epoch the epoch it was frozen for, or -1 for the live set
 */
public record ValidatorSet(long epoch, Map<String, BigInteger> stakes) {
  public ValidatorSet {
    stakes = java.util.Collections.unmodifiableMap(new TreeMap<>(stakes));
  }

  public BigInteger total() {
    return stakes.values().stream().reduce(BigInteger.ZERO, BigInteger::add);
  }

  public int size() {
    return stakes.size();
  }
}
