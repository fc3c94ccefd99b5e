package io.tensorlink.chain.rpc;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * What the {@code tl_*} JSON-RPC methods read. The standalone node and the Besu plugin each
 * implement it over their own state; {@link TlRpcMethods} turns it into the same JSON for both.
 * Implementations must be safe to call from several RPC threads at once.
 */
public interface TlNode {
  NodeInfo nodeInfo();

  /** Empty when the node knows nothing of the job. */
  Optional<JobStatus> jobStatus(BigInteger jobId);

  /** Empty when block {@code index} of the job is not anchored (as far as this node has seen). */
  Optional<PolBlockView> polBlock(BigInteger jobId, long index);

  List<PeerInfo> peers();

  /** This node's verdict on one step record; {@code UNKNOWN} when it does not hold the record. */
  RecordVerdict verifyRecord(RecordRef record);

  /**
   * The records this node holds for steps {@code [fromStep, toStep)} of a job (the range is at most
   * {@link JobRecords#MAX_STEPS}); empty when it keeps no records of the job. The default keeps none
   * (a node without a record store, the Besu plugin).
   */
  default Optional<JobRecords> jobRecords(final BigInteger jobId, final long fromStep, final long toStep) {
    return Optional.empty();
  }
}
