package org.hyperledger.besu.plugin.data;

import java.util.List;

/** Mirror: what a block-added listener receives. */
public interface AddedBlockContext {
  BlockHeader getBlockHeader();

  List<? extends TransactionReceipt> getTransactionReceipts();
}
