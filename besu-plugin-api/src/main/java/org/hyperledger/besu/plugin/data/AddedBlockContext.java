package org.hyperledger.besu.plugin.data;

/** Mirror: what a block-added listener receives (only the header is used). */
public interface AddedBlockContext {
  BlockHeader getBlockHeader();
}
