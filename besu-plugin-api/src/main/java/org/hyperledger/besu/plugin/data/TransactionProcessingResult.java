package org.hyperledger.besu.plugin.data;

/** Mirror: the outcome of executing a candidate transaction (not inspected by the plugin). */
public interface TransactionProcessingResult {}
