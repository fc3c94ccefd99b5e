package org.hyperledger.besu.plugin.services;

import java.util.List;
import java.util.Optional;
import org.hyperledger.besu.datatypes.Hash;
import org.hyperledger.besu.plugin.data.BlockContext;
import org.hyperledger.besu.plugin.data.BlockHeader;
import org.hyperledger.besu.plugin.data.TransactionReceipt;

/** Mirror: reads of the local chain (used to catch up on blocks imported before the plugin started). */
public interface BlockchainService extends BesuService {
  Optional<BlockContext> getBlockByNumber(long number);

  Optional<List<TransactionReceipt>> getReceiptsByBlockHash(Hash blockHash);

  BlockHeader getChainHeadHeader();
}
