package io.tensorlink.chain.job.market;

import io.tensorlink.chain.pol.EthAddress;
import java.math.BigInteger;
import org.apache.tuweni.bytes.Bytes32;

/**
 * What {@code JobEscrow} stores for a job, as far as the market checks it.
 *
 * @param status JobEscrow's status ordinal (0 none, 1 open, 2 active, …)
 * @param verifyMode 0 exact, 1 tolerant
 */
public record OnChainJob(BigInteger jobId, EthAddress client, int status, long deadline, BigInteger pricePerStep,
    BigInteger budget, int verifyRatePpm, int verifyMode, int tolerancePpmL2, Bytes32 specHash, Bytes32 paramsHash,
    Bytes32 assignmentHash) {
  public static final int OPEN = 1;
  public static final int ACTIVE = 2;
}
