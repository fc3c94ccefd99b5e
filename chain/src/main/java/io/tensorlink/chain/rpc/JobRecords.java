package io.tensorlink.chain.rpc;

import io.tensorlink.chain.pol.StepRecord;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The step records a node holds for a range of a job's steps, reduced to what a client needs to
 * fetch and check the model ({@code tl-cli job result}) and to follow the job ({@code job watch}):
 * each cell's worker, roots after the step and loss. Hints only: the client checks the roots
 * against the anchored checkpointRoot (docs/jobs-result.md).
 *
 * @param steps the job's total steps, or -1 when the node does not know the spec
 */
public record JobRecords(BigInteger jobId, long steps, int stages, int replicas, List<Entry> records) {
  /** At most this many steps per call. */
  public static final long MAX_STEPS = 10_000;

  /** One record: {@code lossBits} is the raw uint64 (a double's bits; 0 off the last stage). */
  public record Entry(long step, int stage, int replica, String worker, String paramsAfter, String optStateAfter,
      long lossBits) {
    public static Entry of(final StepRecord r) {
      return new Entry(r.step(), r.stage(), r.replica(), r.worker().toString(), r.paramsAfter().toHexString(),
          r.optStateAfter().toHexString(), r.lossBits());
    }

    Map<String, Object> toJson() {
      final Map<String, Object> m = new LinkedHashMap<>();
      m.put("step", Quantity.hex(step));
      m.put("stage", Quantity.hex(stage));
      m.put("replica", Quantity.hex(replica));
      m.put("worker", worker);
      m.put("paramsAfter", paramsAfter);
      m.put("optStateAfter", optStateAfter);
      m.put("lossBits", Quantity.hex(new BigInteger(Long.toUnsignedString(lossBits))));
      return m;
    }
  }

  public JobRecords {
    Objects.requireNonNull(jobId, "jobId");
    records = List.copyOf(records);
  }

  Map<String, Object> toJson() {
    final Map<String, Object> m = new LinkedHashMap<>();
    m.put("jobId", Quantity.hex(jobId));
    m.put("steps", steps < 0 ? null : Quantity.hex(steps));
    m.put("stages", Quantity.hex(stages));
    m.put("replicas", Quantity.hex(replicas));
    m.put("records", records.stream().map(Entry::toJson).toList());
    return m;
  }
}
