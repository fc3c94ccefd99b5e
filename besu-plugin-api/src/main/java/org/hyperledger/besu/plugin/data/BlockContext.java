package org.hyperledger.besu.plugin.data;

/** Mirror: a block as BlockchainService returns it (only the header is used). */
public interface BlockContext {
  BlockHeader getBlockHeader();
}
