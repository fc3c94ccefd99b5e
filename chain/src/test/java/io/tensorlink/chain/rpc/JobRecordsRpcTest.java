package io.tensorlink.chain.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code tl_jobRecords}: the records a node holds for a step range, as hex quantities; null when it keeps none. */
class JobRecordsRpcTest {
  private static final String ROOT = "0x" + "cd".repeat(32);

  private final TlRpcMethods methods = new TlRpcMethods(new TlNode() {
    @Override
    public NodeInfo nodeInfo() {
      return TlRpcMethodsTest.NODE.nodeInfo();
    }

    @Override
    public Optional<JobStatus> jobStatus(final BigInteger jobId) {
      return Optional.empty();
    }

    @Override
    public Optional<PolBlockView> polBlock(final BigInteger jobId, final long index) {
      return Optional.empty();
    }

    @Override
    public List<PeerInfo> peers() {
      return List.of();
    }

    @Override
    public RecordVerdict verifyRecord(final RecordRef record) {
      return new RecordVerdict(RecordVerdict.Status.UNKNOWN, null, "none");
    }

    @Override
    public Optional<JobRecords> jobRecords(final BigInteger jobId, final long fromStep, final long toStep) {
      return jobId.equals(BigInteger.ONE) ? Optional.of(new JobRecords(jobId, 400, 2, 1, List.of(new JobRecords.Entry(
          fromStep, 1, 0, "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", ROOT, ROOT, Double.doubleToRawLongBits(0.5)))))
          : Optional.empty();
    }
  });

  @Test
  void answersTheRangeAsHexQuantities() {
    @SuppressWarnings("unchecked")
    final Map<String, Object> answer = (Map<String, Object>) methods.call("jobRecords", List.of("0x1", "0x7", "0x8"));
    assertThat(answer).containsEntry("jobId", "0x1").containsEntry("steps", "0x190").containsEntry("stages", "0x2")
        .containsEntry("replicas", "0x1");
    assertThat(answer.get("records")).isEqualTo(List.of(Map.of("step", "0x7", "stage", "0x1", "replica", "0x0",
        "worker", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "paramsAfter", ROOT, "optStateAfter", ROOT,
        "lossBits", "0x3fe0000000000000")));
    assertThat(methods.call("jobRecords", List.of("0x2", "0x0", "0x1"))).isNull();
  }

  @Test
  void aBackwardOrTooLongRangeIsInvalidParams() {
    assertThatThrownBy(() -> methods.call("jobRecords", List.of("0x1", "0x5", "0x4")))
        .isInstanceOf(TlRpcException.class).hasMessageContaining("toStep must be in [fromStep, fromStep + 10000], got 5..4");
    assertThatThrownBy(() -> methods.call("jobRecords", List.of("0x1", "0", "10001")))
        .isInstanceOf(TlRpcException.class).hasMessageContaining("got 0..10001");
  }

  @Test
  void aNodeWithoutARecordStoreAnswersNull() {
    assertThat(new TlRpcMethods(TlRpcMethodsTest.NODE).call("jobRecords", List.of("0x1", "0x0", "0x1"))).isNull();
  }
}
