package io.tensorlink.chain.job.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class FrameHeaderTest {

  @Test
  void roundTripsEveryField() {
    final FrameHeader h = new FrameHeader(BigInteger.TWO.pow(255).add(BigInteger.TEN), 1L << 40, 7,
        FrameKind.GRADIENT, 3, 2);
    final byte[] wire = h.encode();
    assertThat(wire).hasSize(FrameHeader.SIZE);
    assertThat(FrameHeader.decode(wire)).isEqualTo(h);
  }

  @Test
  void refusesMalformedHeadersByName() {
    final byte[] good = new FrameHeader(BigInteger.ONE, 0, 0, FrameKind.ACTIVATION, 0, 0).encode();
    assertThatThrownBy(() -> FrameHeader.decode(new byte[10])).hasMessageContaining("10 bytes, expected 54");
    final byte[] version = good.clone();
    version[0] = 2;
    assertThatThrownBy(() -> FrameHeader.decode(version)).hasMessageContaining("version 2");
    final byte[] kind = good.clone();
    kind[1] = 9;
    assertThatThrownBy(() -> FrameHeader.decode(kind)).hasMessageContaining("unknown frame kind 9");
    final byte[] negative = good.clone();
    negative[34] = (byte) 0x80;
    assertThatThrownBy(() -> FrameHeader.decode(negative)).isInstanceOf(FrameRejectedException.class)
        .hasMessageContaining("negative");
    assertThatThrownBy(() -> new FrameHeader(BigInteger.ONE, 0, 1, FrameKind.REPLICA_GRADS, 0, 0))
        .hasMessageContaining("micro-batch must be 0");
  }

  @Test
  void microBatchPlanCoversTheBatchInOrder() {
    final MicroBatchPlan p = new MicroBatchPlan(10, 4);
    assertThat(new int[] {p.rows(0), p.rows(1), p.rows(2), p.rows(3)}).containsExactly(3, 3, 2, 2);
    assertThat(new int[] {p.start(0), p.start(1), p.start(2), p.start(3)}).containsExactly(0, 3, 6, 8);
    assertThatThrownBy(() -> new MicroBatchPlan(2, 3)).hasMessageContaining("cannot cut a batch of 2");
  }
}
