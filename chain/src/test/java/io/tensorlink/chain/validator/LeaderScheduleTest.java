package io.tensorlink.chain.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;

class LeaderScheduleTest {
  private static final List<ValidatorSet.Member> MEMBERS = List.of(
      member("0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc", 40),
      member("0x70997970c51812dc3a010c7d01b50e0d17dc79c8", 40),
      member("0x90f79bf6eb2c4f870365e785982e1f101e93b906", 50),
      member("0x15d34aaf54267db7d7c367839aaf71a00a2c6a65", 45));

  @Test
  void round0IsTheSeedModuloTheSizeOfTheAddressOrderedSet() {
    final ValidatorSet set = set(MEMBERS);
    final byte[] preimage = new byte[40];
    preimage[31] = 9;
    preimage[39] = 3;
    final int expected = new BigInteger(1, Hash.sha3(preimage)).mod(BigInteger.valueOf(4)).intValue();
    assertThat(LeaderSchedule.leader(set, BigInteger.valueOf(9), 3, 0)).isEqualTo(set.addresses().get(expected));
    assertThat(set.addresses()).containsExactly(
        "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65", "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc",
        "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "0x90f79bf6eb2c4f870365e785982e1f101e93b906");
  }

  @Test
  void everyNodeComputesTheSameScheduleWhateverOrderItLearntTheSetIn() {
    final List<ValidatorSet.Member> reversed = new ArrayList<>(MEMBERS);
    java.util.Collections.reverse(reversed);
    for (long index = 0; index < 20; index++) {
      assertThat(LeaderSchedule.leader(set(reversed), BigInteger.TEN, index, 0))
          .isEqualTo(LeaderSchedule.leader(set(MEMBERS), BigInteger.TEN, index, 0));
    }
  }

  @Test
  void successiveRoundsHandOverToEveryMemberInTurnThenWrap() {
    final ValidatorSet set = set(MEMBERS);
    final Set<String> leaders = new HashSet<>();
    for (int round = 0; round < 4; round++) {
      leaders.add(LeaderSchedule.leader(set, BigInteger.ONE, 7, round));
    }
    assertThat(leaders).hasSize(4);
    assertThat(LeaderSchedule.leader(set, BigInteger.ONE, 7, 4)).isEqualTo(LeaderSchedule.leader(set, BigInteger.ONE, 7, 0));
    assertThat(LeaderSchedule.leader(set, BigInteger.ONE, 7, Long.MAX_VALUE)).isIn(set.addresses());
  }

  @Test
  void leadersSpreadOverTheSetAcrossBlocks() {
    final ValidatorSet set = set(MEMBERS);
    final Set<String> leaders = new HashSet<>();
    for (long index = 0; index < 64; index++) {
      leaders.add(LeaderSchedule.leader(set, BigInteger.TWO, index, 0));
    }
    assertThat(leaders).hasSize(4);
  }

  @Test
  void anEmptySetOrANegativeRoundIsAnError() {
    assertThatThrownBy(() -> LeaderSchedule.leader(set(List.of()), BigInteger.ONE, 0, 0)).hasMessageContaining("no active validators");
    assertThatThrownBy(() -> LeaderSchedule.leader(set(MEMBERS), BigInteger.ONE, 0, -1)).hasMessageContaining("round must not be negative");
  }

  @Test
  void quorumIsTwoThirdsOfTheSnapshotStakeCountingEachActiveSignerOnce() {
    final ValidatorSet equal = new ValidatorSet(BigInteger.ONE,
        List.of(member(MEMBERS.get(0).address(), 1), member(MEMBERS.get(1).address(), 1), member(MEMBERS.get(2).address(), 1)),
        BigInteger.valueOf(3));
    assertThat(equal.isQuorum(List.of(MEMBERS.get(0).address()))).isFalse();
    assertThat(equal.isQuorum(List.of(MEMBERS.get(0).address(), MEMBERS.get(0).address().toUpperCase().replace("0X", "0x"))))
        .as("the same signer twice").isFalse();
    assertThat(equal.isQuorum(List.of(MEMBERS.get(0).address(), MEMBERS.get(1).address()))).as("exactly 2/3").isTrue();
    assertThat(equal.isQuorum(List.of(MEMBERS.get(0).address(), MEMBERS.get(3).address()))).as("an outsider counts 0").isFalse();

    final ValidatorSet weighted = set(MEMBERS); // 40 + 40 + 50 + 45 = 175; 2/3 needs >= 116.67
    assertThat(weighted.isQuorum(List.of(MEMBERS.get(0).address(), MEMBERS.get(1).address(), MEMBERS.get(3).address()))).isTrue();
    assertThat(weighted.isQuorum(List.of(MEMBERS.get(0).address(), MEMBERS.get(2).address()))).isFalse();
  }

  private static ValidatorSet.Member member(final String address, final long stake) {
    return new ValidatorSet.Member(address, BigInteger.valueOf(stake));
  }

  private static ValidatorSet set(final List<ValidatorSet.Member> members) {
    return new ValidatorSet(BigInteger.ONE, members,
        members.stream().map(ValidatorSet.Member::stake).reduce(BigInteger.ZERO, BigInteger::add));
  }
}
