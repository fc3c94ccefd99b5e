package io.tensorlink.chain.job.result;

import io.tensorlink.chain.store.BlockKey;
import io.tensorlink.chain.validator.suite.AnchoredHeaders;
import io.tensorlink.contracts.ContractSuite;
import java.math.BigInteger;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.protocol.Web3j;
import org.web3j.tuples.generated.Tuple3;

/**
 * The checkpoint commitment of a job's latest anchored PoL block, as the PoLAnchor holds it: the
 * block's {@code checkpointRoot} over the stages of replica 0 after {@code step} steps (the block's
 * {@code stepTo}).
 */
public record AnchoredCheckpoint(BigInteger jobId, long blockIndex, long step, Bytes32 checkpointRoot,
    String transactionHash) {

  /**
   * Reads the job's head from the anchor ({@code head(jobId)}: last block hash and count) and the
   * header anchored under that hash from its events (rebuilt and hash-checked by
   * {@link AnchoredHeaders}).
   *
   * @return empty when the job has no anchored block
   * @throws IllegalStateException when the anchor or its events cannot be read
   */
  public static Optional<AnchoredCheckpoint> latest(final Web3j web3j, final ContractSuite suite, final BigInteger jobId) {
    final Tuple3<byte[], BigInteger, BigInteger> head;
    try {
      head = suite.anchor().head(jobId).send();
    } catch (Exception e) {
      throw new IllegalStateException("PoLAnchor.head(" + jobId + ") failed: " + e.getMessage(), e);
    }
    final long count = head.component2().longValueExact();
    if (count == 0) {
      return Optional.empty();
    }
    final AnchoredHeaders headers = new AnchoredHeaders(web3j, suite.anchor().getContractAddress(),
        suite.deployment().startBlock());
    final AnchoredHeaders.Anchored a = headers.find(new BlockKey(jobId, count - 1), head.component1(), 0)
        .orElseThrow(() -> new IllegalStateException("block " + (count - 1) + " of job " + jobId
            + " is anchored but its BlockAnchored/BlockCommitted events were not found"));
    return Optional.of(new AnchoredCheckpoint(jobId, count - 1, a.header().stepTo.longValueExact(),
        Bytes32.wrap(a.header().checkpointRoot), a.transactionHash()));
  }
}
