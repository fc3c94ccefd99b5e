package io.tensorlink.chain.pol.work;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class InputArchiveTest {
  private static final NamedTensors T = NamedTensors.builder().add("x", Tensor.of(new float[] {1f}, 1)).build();

  @Test
  void keepsPerKindAndForgetsFinishedSteps() {
    final InputArchive a = new InputArchive();
    for (long step = 0; step < 5; step++) {
      a.put(new RecordKey(BigInteger.ONE, step, 0, 0), InputKind.PARAMS_BEFORE, T);
    }
    final RecordKey three = new RecordKey(BigInteger.ONE, 3, 0, 0);
    assertThat(a.get(three, InputKind.PARAMS_BEFORE)).contains(T);
    assertThat(a.get(three, InputKind.ACT_IN)).isEmpty();
    a.remove(three, InputKind.PARAMS_BEFORE);
    assertThat(a.get(three, InputKind.PARAMS_BEFORE)).isEmpty();
    a.forget(2);
    assertThat(a.size()).isEqualTo(2);
    assertThat(a.get(new RecordKey(BigInteger.ONE, 2, 0, 0), InputKind.PARAMS_BEFORE)).isEmpty();
    assertThat(a.get(new RecordKey(BigInteger.ONE, 4, 0, 0), InputKind.PARAMS_BEFORE)).contains(T);
  }
}
