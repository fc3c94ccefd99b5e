package org.hyperledger.besu.plugin.services.txselection;

import org.hyperledger.besu.plugin.data.TransactionProcessingResult;
import org.hyperledger.besu.plugin.data.TransactionSelectionResult;

/** Mirror: judges candidate transactions before and after their execution during block building. */
public interface PluginTransactionSelector {
  PluginTransactionSelector ACCEPT_ALL = new PluginTransactionSelector() {
    @Override
    public TransactionSelectionResult evaluateTransactionPreProcessing(final TransactionEvaluationContext evaluationContext) {
      return TransactionSelectionResult.SELECTED;
    }

    @Override
    public TransactionSelectionResult evaluateTransactionPostProcessing(
        final TransactionEvaluationContext evaluationContext, final TransactionProcessingResult processingResult) {
      return TransactionSelectionResult.SELECTED;
    }
  };

  TransactionSelectionResult evaluateTransactionPreProcessing(TransactionEvaluationContext evaluationContext);

  TransactionSelectionResult evaluateTransactionPostProcessing(
      TransactionEvaluationContext evaluationContext, TransactionProcessingResult processingResult);
}
