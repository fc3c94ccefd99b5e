package org.hyperledger.besu.plugin.data;

import org.hyperledger.besu.datatypes.Hash;

/** Mirror: the block header fields the plugin reads. */
public interface BlockHeader {
  long getNumber();

  Hash getBlockHash();
}
