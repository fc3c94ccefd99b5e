package org.hyperledger.besu.plugin.services.txvalidator;

import java.util.Optional;
import org.hyperledger.besu.datatypes.Transaction;

/** Mirror: a rule returns the reason a transaction is invalid, or empty when it is valid. */
@FunctionalInterface
public interface TransactionValidationRule {
  Optional<String> validate(Transaction transaction);
}
