package org.hyperledger.besu.plugin.services.txselection;

import org.hyperledger.besu.datatypes.PendingTransaction;

/** Mirror: the candidate being evaluated. */
public interface TransactionEvaluationContext {
  PendingTransaction getPendingTransaction();
}
