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
 * whose signers hold less than 2/3 of the live stake, and those whose PoL block its own verifier
 * rejected. This is where verdicts that are not certain to match the contract, or that differ
 * between nodes, belong: a selector only shapes the blocks this node proposes, other nodes still
 * import them by the rule.
 */
public final class SubmissionSelectorFactory implements PluginTransactionSelectorFactory {
  private final AnchorState state;
  private final SubmissionChecks checks;
  private final OwnVerdicts verdicts;

  public SubmissionSelectorFactory(final AnchorState state, final SubmissionChecks checks, final OwnVerdicts verdicts) {
    this.state = state;
    this.checks = checks;
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
      return SubmitCall.ifSubmit(tx.getPayload().toArray()).flatMap(call -> checks.stakeShare(call, state.liveSet())
          .map(reason -> "TensorLink: " + reason)
          .or(() -> verdicts.rejection(call.header()).map(reason -> "TensorLink: this node's verifier rejected the PoL block: " + reason)));
    } catch (MalformedCalldataException e) {
      return Optional.empty(); // the validation rule already keeps malformed calls out
    }
  }
}
