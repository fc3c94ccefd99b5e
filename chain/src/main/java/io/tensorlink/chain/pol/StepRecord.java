package io.tensorlink.chain.pol;

import java.math.BigInteger;
import org.apache.tuweni.bytes.Bytes32;

/**
 * What one worker claims for one (step, stage, replica) of a job: the inputs it started from, the
 * pipeline links it exchanged with its neighbour stages, its local and reduced gradient roots and
 * the state it ended in. Signed by the worker as EIP-712 typed data ({@link SignedStepRecord});
 * its {@link #recordHash()} is its leaf in the block's {@code stepsRoot}.
 *
 * <p>Links: {@code actIn} of stage s equals {@code actOut} of stage s−1, and {@code gradOut} of
 * stage s (the gradient of its input) equals {@code gradIn} of stage s−1. Links that do not exist
 * are zero: stage 0 has no {@code actIn}/{@code gradOut}, the last stage no {@code actOut}/{@code
 * gradIn}; {@code batchCommitment} is zero for stages &gt; 0. Those rules are structural checks
 * ({@code verify.StructuralChecker}), not construction rules: the signing form must hash any
 * field values (PROTOCOL.md's vector V1 fills every field).
 *
 * @param lossBits the last stage's {@code Double.doubleToRawLongBits} of this replica's loss
 *     contribution (its loss sum / the global divisor); 0 on other stages
 */
public record StepRecord(
    BigInteger jobId, long step, int stage, int replica, int stages, int replicas, EthAddress worker,
    Bytes32 batchCommitment, Bytes32 paramsBefore, Bytes32 optStateBefore,
    Bytes32 actIn, Bytes32 actOut, Bytes32 gradIn, Bytes32 gradOut,
    Bytes32 gradRoot, Bytes32 reduceRoot, Bytes32 paramsAfter, Bytes32 optStateAfter, long lossBits) {

  public static final String TYPE = "StepRecord(uint256 jobId,uint64 step,uint32 stage,uint32 replica,uint32 stages,"
      + "uint32 replicas,address worker,bytes32 batchCommitment,bytes32 paramsBefore,bytes32 optStateBefore,"
      + "bytes32 actIn,bytes32 actOut,bytes32 gradIn,bytes32 gradOut,bytes32 gradRoot,bytes32 reduceRoot,"
      + "bytes32 paramsAfter,bytes32 optStateAfter,uint64 lossBits)";
  public static final Bytes32 TYPE_HASH = Abi.keccak(TYPE);
  private static final int WORDS = 20;

  public StepRecord {
    Checks.uint256("jobId", jobId);
    Checks.nonNegative("step", step);
    Checks.topology(stage, replica, stages, replicas);
    Checks.present("worker", worker);
    Checks.present("batchCommitment", batchCommitment);
    Checks.present("paramsBefore", paramsBefore);
    Checks.present("optStateBefore", optStateBefore);
    Checks.present("actIn", actIn);
    Checks.present("actOut", actOut);
    Checks.present("gradIn", gradIn);
    Checks.present("gradOut", gradOut);
    Checks.present("gradRoot", gradRoot);
    Checks.present("reduceRoot", reduceRoot);
    Checks.present("paramsAfter", paramsAfter);
    Checks.present("optStateAfter", optStateAfter);
  }

  public boolean isFirstStage() {
    return stage == 0;
  }

  public boolean isLastStage() {
    return stage == stages - 1;
  }

  /** hashStruct(record), the record's leaf. */
  public Bytes32 recordHash() {
    return Abi.words(WORDS).bytes32(TYPE_HASH).uint(jobId).uint64(step).uint64(Integer.toUnsignedLong(stage))
        .uint64(Integer.toUnsignedLong(replica)).uint64(Integer.toUnsignedLong(stages))
        .uint64(Integer.toUnsignedLong(replicas)).address(worker).bytes32(batchCommitment).bytes32(paramsBefore)
        .bytes32(optStateBefore).bytes32(actIn).bytes32(actOut).bytes32(gradIn).bytes32(gradOut).bytes32(gradRoot)
        .bytes32(reduceRoot).bytes32(paramsAfter).bytes32(optStateAfter).uint64(lossBits).keccak();
  }

  /** What the worker signs. */
  public Bytes32 digest(final PolDomain domain) {
    return domain.digest(recordHash());
  }
}
