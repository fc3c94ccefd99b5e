package io.tensorlink.chain.job.market;

import io.tensorlink.chain.pol.Assignment;

/**
 * Told once per job when this node has accepted its assignment (recomputed alike and recorded by
 * the escrow). The worker role starts its cell from here ({@link JobContexts#build} gives the
 * job's {@code JobContext}).
 */
@FunctionalInterface
public interface AssignmentListener {
  void assigned(MarketJob job, Assignment assignment);
}
