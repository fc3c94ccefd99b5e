package io.tensorlink.chain.job.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class CheckpointMessagesTest {
  @Test
  void requestsAndResponsesRoundTrip() {
    final CheckpointMessages.Request r = new CheckpointMessages.Request(BigInteger.TWO.pow(255), 3, 1, 400);
    assertThat(CheckpointMessages.decodeRequest(CheckpointMessages.encode(r))).isEqualTo(r);
    final CheckpointMessages.Response a = new CheckpointMessages.Response(CheckpointMessages.UNAVAILABLE, 400, "none ✓");
    assertThat(CheckpointMessages.decodeResponse(CheckpointMessages.encode(a))).isEqualTo(a);
  }

  @Test
  void malformedMessagesAreRefusedByName() {
    final byte[] request = CheckpointMessages.encode(new CheckpointMessages.Request(BigInteger.ONE, 0, 0, 4));
    assertThatThrownBy(() -> CheckpointMessages.decodeRequest(java.util.Arrays.copyOf(request, 48)))
        .hasMessage("request must be 49 bytes, got 48");
    final byte[] badVersion = request.clone();
    badVersion[0] = 2;
    assertThatThrownBy(() -> CheckpointMessages.decodeRequest(badVersion)).hasMessage("request version 2, expected 1");
    final byte[] negative = request.clone();
    negative[33] = (byte) 0x80;
    assertThatThrownBy(() -> CheckpointMessages.decodeRequest(negative)).hasMessageContaining("negative");

    final byte[] response = CheckpointMessages.encode(new CheckpointMessages.Response(CheckpointMessages.OK, 4, "ab"));
    final byte[] status = response.clone();
    status[1] = 7;
    assertThatThrownBy(() -> CheckpointMessages.decodeResponse(status)).hasMessage("unknown response status 7");
    assertThatThrownBy(() -> CheckpointMessages.decodeResponse(java.util.Arrays.copyOf(response, 13)))
        .hasMessage("response reason length 2 but 1 bytes follow");
  }

  @Test
  void payloadFramingIsChecked() {
    final NamedTensors params = NamedTensors.builder().add("w", Tensor.of(new float[] {1, 2, 3}, 3)).build();
    final NamedTensors state = NamedTensors.builder().add("m", Tensor.of(new float[] {0.5f}, 1)).build();
    final byte[] payload = CheckpointMessages.encodePayload(params, state);
    final CheckpointMessages.Tensors back = CheckpointMessages.decodePayload(payload, 1 << 20);
    assertThat(back.params()).isEqualTo(params);
    assertThat(back.state()).isEqualTo(state);

    assertThatThrownBy(() -> CheckpointMessages.decodePayload(payload, payload.length - 1))
        .hasMessageContaining("payload must be 4.." + (payload.length - 1) + " bytes");
    final byte[] lying = payload.clone();
    ByteBuffer.wrap(lying).putInt(payload.length);
    assertThatThrownBy(() -> CheckpointMessages.decodePayload(lying, 1 << 20)).hasMessageContaining("exceeds");
    final byte[] truncated = java.util.Arrays.copyOf(payload, payload.length - 2);
    assertThatThrownBy(() -> CheckpointMessages.decodePayload(truncated, 1 << 20))
        .isInstanceOf(MalformedCheckpointException.class).hasMessageContaining("do not decode");
  }
}
