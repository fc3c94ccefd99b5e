package org.hyperledger.besu.plugin.services;

import org.hyperledger.besu.plugin.services.txvalidator.TransactionValidationRule;

/** Mirror: registers extra transaction validation rules (pool admission, block creation and import). */
public interface TransactionValidatorService extends BesuService {
  void registerTransactionValidatorRule(TransactionValidationRule rule);
}
