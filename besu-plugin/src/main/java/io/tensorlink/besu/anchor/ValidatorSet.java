package io.tensorlink.besu.anchor;

import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;

/** StakeManager's live active set: member addresses (0x-hex lower case) with their active stake. */
public record ValidatorSet(Map<String, BigInteger> stakes) {
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
