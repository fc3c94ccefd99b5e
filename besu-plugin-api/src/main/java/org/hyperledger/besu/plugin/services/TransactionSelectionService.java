package org.hyperledger.besu.plugin.services;

import org.hyperledger.besu.plugin.services.txselection.PluginTransactionSelectorFactory;

/** Mirror: lets a plugin filter the transactions the local node puts into the blocks it proposes. */
public interface TransactionSelectionService extends BesuService {
  void registerPluginTransactionSelectorFactory(PluginTransactionSelectorFactory transactionSelectorFactory);
}
