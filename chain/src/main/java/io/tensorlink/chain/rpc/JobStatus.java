package io.tensorlink.chain.rpc;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A job's anchoring progress as this node has seen it on chain.
 *
 * @param jobId the escrow's job id
 * @param state the escrow's state name (e.g. Active), or "Unknown" when only anchors were seen
 * @param anchoredBlocks number of PoL blocks anchored (= the next block's index)
 * @param nextStep first step the next block must cover
 * @param lastBlockHash hash of the last anchored block (0x-hex, zero before the first)
 */
public record JobStatus(BigInteger jobId, String state, long anchoredBlocks, long nextStep, String lastBlockHash) {
  public JobStatus {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(lastBlockHash, "lastBlockHash");
  }

  Map<String, Object> toJson() {
    final Map<String, Object> m = new LinkedHashMap<>();
    m.put("jobId", Quantity.hex(jobId));
    m.put("state", state);
    m.put("anchoredBlocks", Quantity.hex(anchoredBlocks));
    m.put("nextStep", Quantity.hex(nextStep));
    m.put("lastBlockHash", lastBlockHash);
    return m;
  }
}
