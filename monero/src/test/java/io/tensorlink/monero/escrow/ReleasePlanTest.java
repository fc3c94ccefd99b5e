package io.tensorlink.monero.escrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleasePlanTest {
  private static final EscrowTerms TERMS = new EscrowTerms("job-1/w", Map.of(Role.CLIENT, "c", Role.WORKER, "w",
      Role.ARBITER, "a"), 10_000, 10, 100, 50, "4worker", "4client", "4arbiter");

  @Test
  void anAnchoredAmountIsPaidAsIsCappedByTheDepositAndNotAtAllWhenSlashed() {
    assertThat(ReleasePlan.forVerifiedAmount(TERMS, BigInteger.valueOf(1_234), false)).isEqualTo(new ReleasePlan(1_234, 100));
    assertThat(ReleasePlan.forVerifiedAmount(TERMS, BigInteger.TEN.pow(30), false))
        .isEqualTo(new ReleasePlan(TERMS.workerCap(), 100));
    assertThat(ReleasePlan.forVerifiedAmount(TERMS, BigInteger.valueOf(1_234), true)).isEqualTo(new ReleasePlan(0, 100));
    assertThatThrownBy(() -> ReleasePlan.forVerifiedAmount(TERMS, BigInteger.valueOf(-1), false))
        .hasMessageContaining("must not be negative");
  }
}
