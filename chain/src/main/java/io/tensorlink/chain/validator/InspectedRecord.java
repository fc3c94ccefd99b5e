package io.tensorlink.chain.validator;

import io.tensorlink.chain.store.RecordKey;

/**
 * A step record that passed its standalone checks (decodes, signed by an assigned worker of the
 * job): where it is stored and its leaf in the block's {@code stepsRoot}.
 */
public record InspectedRecord(RecordKey key, byte[] leaf, String worker) {
  public InspectedRecord {
    if (leaf.length != 32) {
      throw new IllegalArgumentException("a record leaf is 32 bytes, got " + leaf.length);
    }
    leaf = leaf.clone();
  }

  @Override
  public byte[] leaf() {
    return leaf.clone();
  }
}
