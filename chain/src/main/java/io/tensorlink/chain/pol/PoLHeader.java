package io.tensorlink.chain.pol;

import java.math.BigInteger;
import org.apache.tuweni.bytes.Bytes32;

/**
 * A PoL block header over steps {@code [stepFrom, stepTo)} of a job (half-open, as {@code PoLAnchor}
 * checks: the next block starts at {@code stepTo}), signed by validators and
 * anchored by {@code PoLAnchor.submit}. {@code randomness} is {@code blockhash(randomnessBlock)},
 * fixed by the proposer after the records were published; it seeds every validator's sample.
 */
public record PoLHeader(BigInteger jobId, long index, Bytes32 parent, long stepFrom, long stepTo, Bytes32 stepsRoot,
    Bytes32 payoutsRoot, Bytes32 checkpointRoot, Bytes32 randomness, long randomnessBlock) {

  public static final String TYPE = "PoLBlock(uint256 jobId,uint64 index,bytes32 parent,uint64 stepFrom,uint64 stepTo,"
      + "bytes32 stepsRoot,bytes32 payoutsRoot,bytes32 checkpointRoot,bytes32 randomness,uint64 randomnessBlock)";
  public static final Bytes32 TYPE_HASH = Abi.keccak(TYPE);

  public PoLHeader {
    Checks.uint256("jobId", jobId);
    Checks.nonNegative("index", index);
    Checks.nonNegative("stepFrom", stepFrom);
    Checks.nonNegative("randomnessBlock", randomnessBlock);
    if (stepTo <= stepFrom) {
      throw new IllegalArgumentException("stepTo " + stepTo + " must be after stepFrom " + stepFrom + " (steps [stepFrom, stepTo))");
    }
    Checks.present("parent", parent);
    Checks.present("stepsRoot", stepsRoot);
    Checks.present("payoutsRoot", payoutsRoot);
    Checks.present("checkpointRoot", checkpointRoot);
    Checks.present("randomness", randomness);
  }

  /** hashStruct(header): the block hash, which the next block carries as {@code parent}. */
  public Bytes32 blockHash() {
    return Abi.words(11).bytes32(TYPE_HASH).uint(jobId).uint64(index).bytes32(parent).uint64(stepFrom).uint64(stepTo)
        .bytes32(stepsRoot).bytes32(payoutsRoot).bytes32(checkpointRoot).bytes32(randomness).uint64(randomnessBlock)
        .keccak();
  }

  /** What validators sign. */
  public Bytes32 digest(final PolDomain domain) {
    return domain.digest(blockHash());
  }
}
