package io.tensorlink.besu.rules;

import static io.tensorlink.besu.Fixtures.ANCHOR;
import static io.tensorlink.besu.Fixtures.KEYS;
import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.besu.Fixtures;
import io.tensorlink.besu.StandInBesu;
import io.tensorlink.besu.anchor.AnchorState;
import io.tensorlink.besu.anchor.Head;
import io.tensorlink.besu.anchor.SubmitCall;
import java.util.Optional;
import org.hyperledger.besu.plugin.data.TransactionSelectionResult;
import org.junit.jupiter.api.Test;

/** The proposer-side selector leaves out exactly the submissions this node's own verifier rejected. */
class SubmissionSelectorFactoryTest {
  private final StandInBesu.Selection selection = new StandInBesu.Selection();

  SubmissionSelectorFactoryTest() {
    final AnchorState state = new AnchorState(ANCHOR, Fixtures.STAKE_MANAGER);
    KEYS.subList(0, 4).forEach(k -> state.apply(Fixtures.joined(k, Fixtures.STAKE, 1)));
    // This node re-executed block 1's sample and found a mismatch; it has nothing against block 0.
    selection.registerPluginTransactionSelectorFactory(new SubmissionSelectorFactory(state, new SubmissionChecks(Fixtures.DOMAIN),
        header -> header.index() == 1 ? Optional.of("record 0x12 re-executes to a different gradRoot") : Optional.empty()));
  }

  @Test
  void leavesOutSignersBelowTwoThirdsOfTheLiveStake() {
    assertThat(selection.preProcess(StandInBesu.tx(ANCHOR, Fixtures.submit(Fixtures.header(0, Head.ZERO), KEYS.subList(0, 2)))).toString())
        .contains("quorum: signers hold 80000000000000000000000 of 160000000000000000000000 live stake, below 2/3");
  }

  @Test
  void leavesOutWhatThisNodesVerifierRejected() {
    final TransactionSelectionResult rejected = selection.preProcess(
        StandInBesu.tx(ANCHOR, Fixtures.submit(Fixtures.header(1, Fixtures.keccak("p")), KEYS.subList(0, 3))));
    assertThat(rejected).isNotSameAs(TransactionSelectionResult.SELECTED);
    assertThat(rejected.toString()).contains("this node's verifier rejected the PoL block: record 0x12 re-executes to a different gradRoot");
  }

  @Test
  void selectsEverythingElse() {
    assertThat(selection.preProcess(StandInBesu.tx(ANCHOR, Fixtures.submit(Fixtures.header(0, Head.ZERO), KEYS.subList(0, 3)))))
        .isSameAs(TransactionSelectionResult.SELECTED);
    final byte[] garbage = new byte[4 + 32];
    System.arraycopy(SubmitCall.SELECTOR, 0, garbage, 0, 4);
    assertThat(selection.preProcess(StandInBesu.tx(ANCHOR, garbage))).isSameAs(TransactionSelectionResult.SELECTED);
    assertThat(selection.preProcess(StandInBesu.tx(Fixtures.STAKE_MANAGER,
        Fixtures.submit(Fixtures.header(1, Fixtures.keccak("p")), KEYS.subList(0, 3))))).isSameAs(TransactionSelectionResult.SELECTED);
  }
}
