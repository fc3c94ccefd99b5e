package io.tensorlink.chain.xmr;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.monero.escrow.EscrowTerms;
import io.tensorlink.monero.escrow.ReleasePlan;
import io.tensorlink.monero.escrow.Role;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link VerifiedWork} here is a stand-in map: the PoL/validator code that implements it is written elsewhere. */
class PolPayoutPolicyTest {
  private static final String WORKER = "0x00000000000000000000000000000000000000a1";
  private static final EscrowTerms TERMS = new EscrowTerms("job-7/" + WORKER,
      Map.of(Role.CLIENT, "0xc", Role.WORKER, WORKER, Role.ARBITER, "0xa"), 1_000_000, 1_000, 5_000, 1_000,
      "4worker", "4client", "4arbiter");

  private static PolPayoutPolicy policy(final Optional<VerifiedWork.Evidence> evidence) {
    return new PolPayoutPolicy((job, worker) -> job.equals(BigInteger.valueOf(7)) && worker.equals(WORKER)
        ? evidence : Optional.empty(), BigInteger.valueOf(7), WORKER.toUpperCase().replace("0X", "0x"));
  }

  @Test
  void noFinalEvidenceMeansNoRelease() {
    assertThat(policy(Optional.empty()).releasePlan(TERMS)).isEmpty();
  }

  @Test
  void verifiedStepsAtThePricePerStepPlusTheArbiterFee() {
    assertThat(policy(Optional.of(new VerifiedWork.Evidence(420, false))).releasePlan(TERMS))
        .contains(new ReleasePlan(420_000, 5_000));
  }

  @Test
  void aSlashedWorkerGetsNothingAndPayIsCappedByTheDeposit() {
    assertThat(policy(Optional.of(new VerifiedWork.Evidence(420, true))).releasePlan(TERMS))
        .contains(new ReleasePlan(0, 5_000));
    assertThat(policy(Optional.of(new VerifiedWork.Evidence(Long.MAX_VALUE / 2, false))).releasePlan(TERMS))
        .contains(new ReleasePlan(TERMS.workerCap(), 5_000));
  }
}
