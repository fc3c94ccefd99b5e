package io.tensorlink.besu.rules;

import io.tensorlink.besu.anchor.AnchorState;
import io.tensorlink.besu.anchor.MalformedCalldataException;
import io.tensorlink.besu.anchor.SubmitCall;
import java.util.Optional;
import org.hyperledger.besu.datatypes.Transaction;
import org.hyperledger.besu.plugin.data.TransactionProcessingResult;
import org.hyperledger.besu.plugin.data.TransactionSelectionResult;
import org.hyperledger.besu.plugin.services.txselection.PluginTransactionSelector;
import org.hyperledger.besu.plugin.services.txselection.PluginTransactionSelectorFactory;
import org.hyperledger.besu.plugin.services.txselection.SelectorsStateManager;
import org.hyperledger.besu.plugin.services.txselection.TransactionEvaluationContext;

/**
 * Proposer-side filter: when this node builds a block it leaves out {@code PoLAnchor.submit} calls
 * whose PoL block its own verifier rejected. This is where non-deterministic verdicts belong: a
 * selector only shapes the blocks this node proposes, other nodes still import them by the rule.
 */
public final class SubmissionSelectorFactory implements PluginTransactionSelectorFactory {
  private final AnchorState state;
  private final OwnVerdicts verdicts;

  public SubmissionSelectorFactory(final AnchorState state, final OwnVerdicts verdicts) {
    this.state = state;
    this.verdicts = verdicts;
  }

  @Override
  public PluginTransactionSelector create(final SelectorsStateManager selectorsStateManager) {
    return new PluginTransactionSelector() {
      @Override
      public TransactionSelectionResult evaluateTransactionPreProcessing(final TransactionEvaluationContext context) {
        return judge(context.getPendingTransaction().getTransaction())
            .map(TransactionSelectionResult::invalid)
            .orElse(TransactionSelectionResult.SELECTED);
      }

      @Override
      public TransactionSelectionResult evaluateTransactionPostProcessing(
          final TransactionEvaluationContext context, final TransactionProcessingResult processingResult) {
        return TransactionSelectionResult.SELECTED;
      }
    };
  }

  private Optional<String> judge(final Transaction tx) {
    final Optional<String> to = tx.getTo().map(String::valueOf);
    if (to.isEmpty() || !to.get().equalsIgnoreCase(state.anchorAddress())) {
      return Optional.empty();
    }
    try {
      return SubmitCall.ifSubmit(tx.getPayload().toArray())
          .flatMap(call -> verdicts.rejection(call.header()))
          .map(reason -> "TensorLink: this node's verifier rejected the PoL block: " + reason);
    } catch (MalformedCalldataException e) {
      return Optional.empty(); // the validation rule already keeps malformed calls out
    }
  }
}
