package io.tensorlink.chain.validator;

import io.tensorlink.chain.pol.EthAddress;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import org.web3j.utils.Numeric;

/**
 * What the validator knows of one job (value of the store's jobs column, RLP): learnt from the
 * escrow's events and advanced by each anchored block.
 *
 * <p>Wire form: {@code [jobId, specHash(32), status, assignmentHash(32), [worker(20)...], nextIndex, nextStep, head(32)]}.
 *
 * @param workers assigned worker addresses (lower-case 0x text)
 * @param nextIndex the index of the next block to anchor
 * @param nextStep the first step the next block covers
 * @param head the last anchored block's hash (zero before the first)
 */
public record JobState(
    BigInteger jobId, byte[] specHash, Status status, byte[] assignmentHash, List<String> workers, long nextIndex, long nextStep,
    byte[] head) {
  /** Where a job stands for the validator. */
  public enum Status {
    /** Created, not yet assigned: nothing to validate. */
    OPEN,
    /** Assigned: records flow, blocks are proposed and anchored. */
    ACTIVE,
    /** Completed, cancelled or refunded: no further blocks. */
    FINISHED
  }

  public JobState {
    workers = workers.stream().map(EthAddress::lower).toList();
    specHash = specHash.clone();
    assignmentHash = assignmentHash.clone();
    head = head.clone();
  }

  public static JobState created(final BigInteger jobId, final byte[] specHash) {
    return new JobState(jobId, specHash, Status.OPEN, new byte[32], List.of(), 0, 0, new byte[32]);
  }

  public JobState assigned(final byte[] hash, final List<String> assignedWorkers) {
    return new JobState(jobId, specHash, Status.ACTIVE, hash, assignedWorkers, nextIndex, nextStep, head);
  }

  public JobState anchored(final long index, final long stepTo, final byte[] blockHash) {
    return new JobState(jobId, specHash, status, assignmentHash, workers, index + 1, stepTo, blockHash);
  }

  public JobState finished() {
    return new JobState(jobId, specHash, Status.FINISHED, assignmentHash, workers, nextIndex, nextStep, head);
  }

  @Override
  public byte[] specHash() {
    return specHash.clone();
  }

  @Override
  public byte[] assignmentHash() {
    return assignmentHash.clone();
  }

  @Override
  public byte[] head() {
    return head.clone();
  }

  public byte[] encode() {
    return Rlp.encodeList(w -> {
      w.writeBigInteger(jobId);
      w.writeByteArray(specHash);
      w.writeString(status.name().toLowerCase(Locale.ROOT));
      w.writeByteArray(assignmentHash);
      w.writeList(workers, (lw, a) -> lw.writeByteArray(EthAddress.bytes(a)));
      w.writeLong(nextIndex);
      w.writeLong(nextStep);
      w.writeByteArray(head);
    });
  }

  public static JobState decode(final byte[] wire) {
    return Rlp.decodeList(wire, "job state", r -> new JobState(
        r.readBigInteger(),
        Rlp.readFixed(r, 32, "spec hash"),
        Status.valueOf(r.readString().toUpperCase(Locale.ROOT)),
        Rlp.readFixed(r, 32, "assignment hash"),
        r.readListContents(lr -> Numeric.toHexString(Rlp.readFixed(lr, 20, "worker"))),
        r.readLong(),
        r.readLong(),
        Rlp.readFixed(r, 32, "head")));
  }
}
