package io.tensorlink.monero.escrow;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.monero.rpc.WalletRpc.Destination;
import io.tensorlink.monero.rpc.WalletRpc.TransferDescription;
import io.tensorlink.monero.rpc.WalletRpc.TransferDescription.Description;
import io.tensorlink.monero.rpc.WalletRpc.TransferDescription.Recipient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayoutCheckTest {
  private static final EscrowTerms TERMS = new EscrowTerms("job-1/w", Map.of(Role.CLIENT, "c", Role.WORKER, "w",
      Role.ARBITER, "a"), 10_000, 10, 100, 50, "4worker", "4client", "4arbiter");
  private static final String ESCROW = "4escrow";
  private static final List<Destination> PLAN = new ReleasePlan(4_200, 100).destinations(TERMS);

  private static TransferDescription tx(final long change, final String changeAddress, final long fee, final Recipient... r) {
    return new TransferDescription(List.of(new Description(10_000, 10_000 - fee, List.of(r), changeAddress, change, fee)));
  }

  @Test
  void exactPlanWithChangeBackToTheEscrowPasses() {
    assertThat(PayoutCheck.releaseRefusal(tx(5_650, ESCROW, 50, new Recipient("4arbiter", 100), new Recipient("4worker", 4_200)),
        TERMS, ESCROW, PLAN)).isEmpty();
  }

  @Test
  void moreForTheWorkerIsNamedAsSuch() {
    assertThat(PayoutCheck.releaseRefusal(tx(5_550, ESCROW, 50, new Recipient("4worker", 4_300), new Recipient("4arbiter", 100)),
        TERMS, ESCROW, PLAN)).contains("the tx set pays the worker 4300 piconero but its verified amount is 4200");
  }

  @Test
  void extraRecipientChangeElsewhereAndHighFeeAreRefused() {
    assertThat(PayoutCheck.releaseRefusal(tx(5_600, ESCROW, 50, new Recipient("4worker", 4_200), new Recipient("4arbiter", 100),
        new Recipient("4thief", 50)), TERMS, ESCROW, PLAN)).get().asString().contains("but the verified plan is");
    assertThat(PayoutCheck.releaseRefusal(tx(5_650, "4thief", 50, new Recipient("4worker", 4_200), new Recipient("4arbiter", 100)),
        TERMS, ESCROW, PLAN)).get().asString().contains("change of 5650 piconero to 4thief");
    assertThat(PayoutCheck.releaseRefusal(tx(5_600, ESCROW, 51, new Recipient("4worker", 4_200), new Recipient("4arbiter", 100)),
        TERMS, ESCROW, PLAN)).get().asString().contains("network fee 51 exceeds the terms' maximum 50");
    assertThat(PayoutCheck.releaseRefusal(new TransferDescription(List.of()), TERMS, ESCROW, PLAN))
        .get().asString().contains("holds 0 transactions");
  }

  @Test
  void refundSweepsOnlyToTheClient() {
    assertThat(PayoutCheck.refundRefusal(tx(0, "", 40, new Recipient("4client", 5_600)), TERMS)).isEmpty();
    assertThat(PayoutCheck.refundRefusal(tx(0, "", 40, new Recipient("4worker", 5_600)), TERMS))
        .get().asString().contains("must pay only the client's refund address 4client");
    assertThat(PayoutCheck.refundRefusal(tx(100, ESCROW, 40, new Recipient("4client", 5_500)), TERMS))
        .get().asString().contains("keeps 100 piconero as change");
  }

  @Test
  void releasePlanPaysVerifiedStepsCappedAndNothingWhenSlashed() {
    assertThat(ReleasePlan.forVerifiedSteps(TERMS, 420, false)).isEqualTo(new ReleasePlan(4_200, 100));
    assertThat(ReleasePlan.forVerifiedSteps(TERMS, 420, true)).isEqualTo(new ReleasePlan(0, 100));
    assertThat(ReleasePlan.forVerifiedSteps(TERMS, Long.MAX_VALUE, false).workerAmount()).isEqualTo(TERMS.workerCap());
    assertThat(new ReleasePlan(0, 0).destinations(TERMS)).isEmpty();
  }
}
