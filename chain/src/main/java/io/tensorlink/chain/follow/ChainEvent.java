package io.tensorlink.chain.follow;

import java.math.BigInteger;
import java.util.List;

/** A contract event the validator acts on, with its position in the chain. */
public sealed interface ChainEvent {
  /** The chain block the event was emitted in. */
  long blockNumber();

  /** {@code JobEscrow.JobCreated}. */
  record JobCreated(long blockNumber, BigInteger jobId, String client, byte[] specHash) implements ChainEvent {}

  /** {@code JobEscrow.JobAssigned}. */
  record JobAssigned(long blockNumber, BigInteger jobId, byte[] assignmentHash, List<String> workers) implements ChainEvent {}

  /** {@code JobEscrow.JobCompleted}, {@code JobCancelled} or {@code JobRefunded}: no more blocks. */
  record JobFinished(long blockNumber, BigInteger jobId) implements ChainEvent {}

  /** {@code PoLAnchor.BlockAnchored}; steps {@code [stepFrom, stepTo)}, {@code checkpointRoot} the roots after the last. */
  record BlockAnchored(long blockNumber, BigInteger jobId, long index, byte[] blockHash, long stepFrom, long stepTo,
      byte[] checkpointRoot, List<String> signers) implements ChainEvent {}

  /**
   * {@code DisputeCourt.DisputeOpened}: {@code worker}'s record at {@code step} in block {@code blockIndex} is disputed;
   * the committee is drawn from the hash of chain block {@code drawBlock}.
   */
  record DisputeOpened(long blockNumber, BigInteger disputeId, BigInteger jobId, long blockIndex, String worker, long step,
      long drawBlock) implements ChainEvent {}

  /** {@code DisputeCourt.CommitteeDrawn}: who votes on dispute {@code disputeId}. */
  record CommitteeDrawn(long blockNumber, BigInteger disputeId, List<String> committee) implements ChainEvent {}

  /** {@code DisputeCourt.DataRequested}: request {@code requestId} demands the record at (step, stage, replica) of block {@code blockIndex}. */
  record DataRequested(long blockNumber, BigInteger requestId, BigInteger jobId, long blockIndex, long step, int stage, int replica)
      implements ChainEvent {}
}
