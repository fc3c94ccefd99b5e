package org.hyperledger.besu.datatypes;

/** Mirror: a transaction waiting in the pool. */
public interface PendingTransaction {
  Transaction getTransaction();
}
