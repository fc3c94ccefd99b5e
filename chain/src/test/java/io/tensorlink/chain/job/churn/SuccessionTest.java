package io.tensorlink.chain.job.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.TestKeys;
import io.tensorlink.chain.pol.wire.WireException;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

/** The takeover rule every node applies alike, and the takeover message's wire and signature. */
class SuccessionTest {
  private static final BigInteger JOB = BigInteger.valueOf(7);
  // a 2x1 job: cells held by keys 0 and 1, standbys 2 then 3; key 4 is nobody's
  private static final Succession START = new Succession(new Assignment(JOB, Bytes32.ZERO, 2, 1,
      List.of(TestKeys.address(0), TestKeys.address(1)), List.of(TestKeys.address(2), TestKeys.address(3))));
  private static final EthAddress GONE = TestKeys.address(1);

  @Test
  void theFirstLiveStandbyTakesTheCellAndLeavesTheStandbyList() {
    assertThat(START.replacement(Set.of(GONE))).contains(TestKeys.address(2));
    assertThat(START.replacement(Set.of(GONE, TestKeys.address(2)))).contains(TestKeys.address(3));
    final Takeover t = Takeover.sign(JOB, 1, 0, GONE, 4, TestKeys.DOMAIN, TestKeys.ANVIL.get(2));
    assertThat(START.refusal(t, Set.of(GONE), 4, TestKeys.DOMAIN)).isEmpty();
    final Succession next = START.apply(t);
    assertThat(next.current().workers()).containsExactly(TestKeys.address(0), TestKeys.address(2));
    assertThat(next.current().standbys()).containsExactly(TestKeys.address(3));
    // the second standby may take the next gone worker's cell
    final Takeover second = Takeover.sign(JOB, 0, 0, TestKeys.address(0), 4, TestKeys.DOMAIN, TestKeys.ANVIL.get(3));
    assertThat(next.refusal(second, Set.of(GONE, TestKeys.address(0)), 4, TestKeys.DOMAIN)).isEmpty();
    // no standby left: nobody replaces
    assertThat(next.apply(second).replacement(Set.of())).isEmpty();
  }

  @Test
  void takeoversAgainstTheRuleAreRefusedWithTheirReason() {
    final Set<EthAddress> gone = Set.of(GONE);
    assertThat(refusal(Takeover.sign(JOB, 1, 0, GONE, 4, TestKeys.DOMAIN, TestKeys.ANVIL.get(4)), gone))
        .contains(TestKeys.address(4) + " is not a standby of job 7");
    final Takeover honest = Takeover.sign(JOB, 1, 0, GONE, 4, TestKeys.DOMAIN, TestKeys.ANVIL.get(2));
    final Takeover forged = new Takeover(JOB, 1, 0, GONE, TestKeys.address(2), 4,
        Takeover.sign(JOB, 1, 0, GONE, 4, TestKeys.DOMAIN, TestKeys.ANVIL.get(4)).signature());
    assertThat(refusal(forged, gone)).contains("it is not signed by the standby " + TestKeys.address(2) + " it names");
    assertThat(refusal(Takeover.sign(JOB, 1, 0, GONE, 4, TestKeys.DOMAIN, TestKeys.ANVIL.get(3)), gone))
        .contains("the first live standby is " + TestKeys.address(2) + ", not " + TestKeys.address(3));
    assertThat(START.refusal(honest, Set.of(), 4, TestKeys.DOMAIN))
        .contains("worker " + GONE + " is not declared gone here");
    assertThat(START.refusal(honest, gone, 8, TestKeys.DOMAIN))
        .contains("it resumes at step 4 but the last anchored block ends before step 8");
    assertThat(refusal(Takeover.sign(JOB, 0, 0, GONE, 4, TestKeys.DOMAIN, TestKeys.ANVIL.get(2)), gone))
        .contains("cell (0, 0) is held by " + TestKeys.address(0) + ", not " + GONE);
    assertThat(refusal(Takeover.sign(JOB, 2, 0, GONE, 4, TestKeys.DOMAIN, TestKeys.ANVIL.get(2)), gone))
        .contains("cell (2, 0) is not in the 2x1 job");
    assertThat(refusal(Takeover.sign(BigInteger.TWO, 1, 0, GONE, 4, TestKeys.DOMAIN, TestKeys.ANVIL.get(2)), gone))
        .contains("it is for job 2, not 7");
    // replayed after it was applied: the cell is the standby's now
    assertThat(START.apply(honest).refusal(honest, gone, 4, TestKeys.DOMAIN)).isPresent();
  }

  @Test
  void wireRoundTripsAndRejectsMalformedMessages() {
    final Takeover t = Takeover.sign(JOB, 1, 0, GONE, 4, TestKeys.DOMAIN, TestKeys.ANVIL.get(2));
    assertThat(Takeover.decode(t.encode())).isEqualTo(t);
    assertThat(Takeover.decode(t.encode()).signedByStandby(TestKeys.DOMAIN)).isTrue();
    assertThatThrownBy(() -> Takeover.decode(Bytes.fromHexString("0xc3010203"))).isInstanceOf(WireException.class)
        .hasMessageContaining("malformed takeover");
    assertThatThrownBy(() -> Takeover.decode(Bytes.wrap(new byte[300]))).isInstanceOf(WireException.class)
        .hasMessageContaining("exceeds");
    assertThatThrownBy(() -> new Takeover(JOB, -1, 0, GONE, GONE, 0, t.signature()))
        .hasMessageContaining("out of range");
  }

  private static Optional<String> refusal(final Takeover t, final Set<EthAddress> gone) {
    return START.refusal(t, gone, 4, TestKeys.DOMAIN);
  }
}
