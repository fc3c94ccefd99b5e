package io.tensorlink.contracts.pol;

import io.tensorlink.contracts.generated.DisputeCourt.StepRecord;
import org.web3j.crypto.Credentials;

/**
 * EIP-712 hashing and signing of v2 {@code StepRecord}s as the DisputeCourt checks them. A record's
 * struct hash is also its leaf in the block's {@code stepsRoot} (no extra hashing). The chain
 * module owns the protocol's record type; this is the contracts' binding-level view of it.
 */
public final class StepRecords {
  /** The EIP-712 type string (PoL v2). */
  public static final String TYPE =
      "StepRecord(uint256 jobId,uint64 step,uint32 stage,uint32 replica,uint32 stages,uint32 replicas,"
          + "address worker,bytes32 batchCommitment,bytes32 paramsBefore,bytes32 optStateBefore,bytes32 actIn,"
          + "bytes32 actOut,bytes32 gradIn,bytes32 gradOut,bytes32 gradRoot,bytes32 reduceRoot,bytes32 paramsAfter,"
          + "bytes32 optStateAfter,uint64 lossBits)";

  private StepRecords() {}

  /** recordHash = hashStruct(record): the record's leaf in the block's stepsRoot. */
  public static byte[] hash(final StepRecord record) {
    return Eip712Domain.structHash(TYPE, record);
  }

  /** The digest the worker signs (the PoLAnchor's domain). */
  public static byte[] digest(final Eip712Domain domain, final StepRecord record) {
    return domain.digest(hash(record));
  }

  /** The worker's 65-byte {@code r ‖ s ‖ v} signature over the record's digest. */
  public static byte[] sign(final Credentials worker, final Eip712Domain domain, final StepRecord record) {
    return Eip712Domain.sign(worker, digest(domain, record));
  }
}
