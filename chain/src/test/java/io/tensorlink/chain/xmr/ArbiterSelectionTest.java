package io.tensorlink.chain.xmr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArbiterSelectionTest {
  private static final String CLIENT = "0x00000000000000000000000000000000000000c1";
  private static final String WORKER = "0x00000000000000000000000000000000000000a1";
  private static final List<String> ACTIVE = List.of(
      "0x1111111111111111111111111111111111111111", "0x2222222222222222222222222222222222222222",
      "0x3333333333333333333333333333333333333333", CLIENT, WORKER);

  @Test
  void sameInputsSameArbiterWhateverTheOrderOrCase() {
    final String a = ArbiterSelection.select(BigInteger.valueOf(42), CLIENT, WORKER, ACTIVE);
    final List<String> shuffled = new ArrayList<>(ACTIVE.stream().map(String::toUpperCase).map(s -> "0x" + s.substring(2)).toList());
    Collections.reverse(shuffled);
    assertThat(ArbiterSelection.select(BigInteger.valueOf(42), CLIENT.toUpperCase().replace("0X", "0x"), WORKER, shuffled))
        .isEqualTo(a);
  }

  @Test
  void neverTheClientOrTheWorkerAndEveryCandidateGetsChosenAcrossJobs() {
    final Set<String> chosen = new HashSet<>();
    for (int job = 0; job < 64; job++) {
      final String a = ArbiterSelection.select(BigInteger.valueOf(job), CLIENT, WORKER, ACTIVE);
      assertThat(a).isNotIn(CLIENT, WORKER);
      chosen.add(a);
    }
    assertThat(chosen).hasSize(3);
  }

  @Test
  void noOtherValidatorIsAClearError() {
    assertThatThrownBy(() -> ArbiterSelection.select(BigInteger.ONE, CLIENT, WORKER, List.of(CLIENT, WORKER)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no active validator other than");
    assertThatThrownBy(() -> ArbiterSelection.select(BigInteger.ONE, CLIENT, WORKER, List.of("0x12")))
        .hasMessageContaining("not an account address: 0x12");
  }
}
