package org.hyperledger.besu.plugin.data;

/** Mirror: the block header fields the plugin reads. */
public interface BlockHeader {
  long getNumber();

  long getTimestamp();
}
