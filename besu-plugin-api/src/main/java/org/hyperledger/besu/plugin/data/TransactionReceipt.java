package org.hyperledger.besu.plugin.data;

import java.util.List;

/** Mirror: a transaction's receipt (only its logs are read). */
public interface TransactionReceipt {
  List<? extends Log> getLogs();
}
