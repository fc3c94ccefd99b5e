package io.tensorlink.chain.rpc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A node's verdict on a step record.
 *
 * @param status VALID (re-executed or structurally checked and fine), INVALID, or UNKNOWN (the node
 *     does not hold the record or has not checked it)
 * @param recordHash the record's EIP-712 struct hash (0x-hex), or null when unknown
 * @param reason why, for INVALID and UNKNOWN; null for VALID
 */
public record RecordVerdict(Status status, String recordHash, String reason) {
  public enum Status { VALID, INVALID, UNKNOWN }

  public RecordVerdict {
    Objects.requireNonNull(status, "status");
    if (status != Status.VALID && (reason == null || reason.isBlank())) {
      throw new IllegalArgumentException(status + " needs a reason");
    }
  }

  Map<String, Object> toJson() {
    final Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", status.name().toLowerCase(java.util.Locale.ROOT));
    m.put("recordHash", recordHash);
    m.put("reason", reason);
    return m;
  }
}
