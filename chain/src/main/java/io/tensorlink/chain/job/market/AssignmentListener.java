package io.tensorlink.chain.job.market;

import io.tensorlink.chain.pol.Assignment;

/**
 * Told once per job when this node has accepted its assignment (recomputed alike and recorded by
 * the escrow). The worker role starts its cell from here: it builds the job's {@code JobContext}
 * from {@code job.spec()}, the model the spec names and the data its {@code ChunkFetcher} fetched.
 */
@FunctionalInterface
public interface AssignmentListener {
  void assigned(MarketJob job, Assignment assignment);
}
