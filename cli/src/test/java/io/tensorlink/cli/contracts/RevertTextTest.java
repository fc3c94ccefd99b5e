package io.tensorlink.cli.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.contracts.revert.DecodedRevert;
import io.tensorlink.contracts.revert.DecodedRevert.Arg;
import java.util.List;
import org.junit.jupiter.api.Test;

class RevertTextTest {
  @Test
  void amountsTimesStatusesAndAddressesInHumanUnits() {
    final DecodedRevert stake = new DecodedRevert("StakeManagerInsufficientStake", List.of(
        new Arg("account", "address", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"),
        new Arg("stake", "uint256", "100000000000000000000"),
        new Arg("needed", "uint256", "39900000000000000000000")), "0x");
    assertThat(RevertText.human(stake))
        .isEqualTo("StakeManagerInsufficientStake(account=0x70997970C51812dc3A010C7d01b50e0d17dc79C8, stake=100 TL, needed=39,900 TL)");

    final DecodedRevert status = new DecodedRevert("JobEscrowWrongStatus", List.of(
        new Arg("jobId", "uint256", "1"), new Arg("status", "uint8", "4")), "0x");
    assertThat(RevertText.human(status)).isEqualTo("JobEscrowWrongStatus(jobId=1, status=Cancelled)");

    final DecodedRevert time = new DecodedRevert("StakeManagerStillUnbonding", List.of(
        new Arg("releaseAt", "uint64", "1800000000"), new Arg("nowTs", "uint256", "1799999999")), "0x");
    assertThat(RevertText.human(time)).isEqualTo("StakeManagerStillUnbonding(releaseAt=2027-01-15T08:00:00Z, nowTs=2027-01-15T07:59:59Z)");

    final DecodedRevert bounds = new DecodedRevert("JobEscrowParamOutOfBounds", List.of(
        new Arg("name", "string", "fee"), new Arg("value", "uint256", "7")), "0x");
    assertThat(RevertText.human(bounds)).isEqualTo("JobEscrowParamOutOfBounds(name=fee, value=7)");
    assertThat(RevertText.jobStatus(java.math.BigInteger.valueOf(9))).isEqualTo("status 9");

    final DecodedRevert dispute = new DecodedRevert("DisputeCourtWrongStatus", List.of(
        new Arg("disputeId", "uint256", "3"), new Arg("status", "uint8", "2")), "0x");
    assertThat(RevertText.human(dispute)).isEqualTo("DisputeCourtWrongStatus(disputeId=3, status=Voting)");

    final DecodedRevert locked = new DecodedRevert("StakeManagerStakeLocked", List.of(
        new Arg("account", "address", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"),
        new Arg("locked", "uint256", "1500000000000000000000"), new Arg("until", "uint64", "1800000000")), "0x");
    assertThat(RevertText.human(locked))
        .isEqualTo("StakeManagerStakeLocked(account=0x70997970C51812dc3A010C7d01b50e0d17dc79C8, locked=1,500 TL, until=2027-01-15T08:00:00Z)");

    final DecodedRevert quorum = new DecodedRevert("PoLAnchorInsufficientStake", List.of(
        new Arg("signedStake", "uint256", "40000000000000000000000"), new Arg("totalStake", "uint256", "120000000000000000000000")), "0x");
    assertThat(RevertText.human(quorum)).isEqualTo("PoLAnchorInsufficientStake(signedStake=40,000 TL, totalStake=120,000 TL)");
  }
}
