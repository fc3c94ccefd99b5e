package io.tensorlink.chain.validator.pol;

import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.pol.wire.WireException;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.store.StoredEntry;
import io.tensorlink.contracts.merkle.MerkleTree;
import io.tensorlink.contracts.pol.PayoutTree;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.crypto.Hash;

/**
 * The records of one PoL block as stored by the validator (pol-core's {@code SignedStepRecord} wire
 * form, already inspected on arrival) and the three roots a header commits to over them:
 *
 * <ul>
 *   <li>{@code stepsRoot}: OpenZeppelin sorted-pair Merkle root of the record leaves (EIP-712
 *       record hashes), what {@code DisputeCourt.challenge} proves a record against;
 *   <li>{@code payoutsRoot}: {@link PayoutTree} of each worker's share of the block's pool, in
 *       proportion to its records (every cell of a step costs the same here: one record, one
 *       share); the pool is what {@code JobEscrow} reserves for the block, {@code steps × price}
 *       minus the validator and protocol fees, each rounded down as the escrow rounds them;
 *   <li>{@code checkpointRoot}: {@code keccak256(paramsAfter₀ ‖ optStateAfter₀ ‖ paramsAfter₁ ‖ …)}
 *       over the stages of replica 0 at the block's last step (replicas agree, structurally checked):
 *       the next block's starting roots are checked against it.
 * </ul>
 */
public final class BlockRecords {
  private static final BigInteger BPS = BigInteger.valueOf(10_000);

  private final List<SignedStepRecord> records;

  private BlockRecords(final List<SignedStepRecord> records) {
    this.records = List.copyOf(records);
  }

  /** @throws IllegalArgumentException if a stored record does not decode (the store was written by another version) */
  public static BlockRecords decode(final List<StoredEntry<RecordKey>> stored) {
    final List<SignedStepRecord> out = new ArrayList<>(stored.size());
    for (final StoredEntry<RecordKey> e : stored) {
      try {
        out.add(PolCodec.decodeSignedRecord(Bytes.wrap(e.value())));
      } catch (WireException ex) {
        throw new IllegalArgumentException("stored record " + e.key() + " is not a signed step record: " + ex.getMessage(), ex);
      }
    }
    return new BlockRecords(out);
  }

  public List<SignedStepRecord> signed() {
    return records;
  }

  /** Whether every (step, stage, replica) cell of {@code [stepFrom, stepTo)} has a record. */
  public boolean complete(final JobContext job, final long stepFrom, final long stepTo) {
    return missing(job, stepFrom, stepTo) == 0;
  }

  /** How many cells of {@code [stepFrom, stepTo)} have no record. */
  public long missing(final JobContext job, final long stepFrom, final long stepTo) {
    final long cells = (stepTo - stepFrom) * job.spec().stages() * job.spec().replicas();
    final long present = records.stream().map(SignedStepRecord::record)
        .filter(r -> r.step() >= stepFrom && r.step() < stepTo)
        .map(r -> List.of(r.step(), (long) r.stage(), (long) r.replica())).distinct().count();
    return cells - present;
  }

  public Bytes32 stepsRoot() {
    return Bytes32.wrap(MerkleTree.of(records.stream().map(s -> s.leaf().toArray()).toList()).root());
  }

  /**
   * @param validatorFeeBps the job's validator fee (basis points of the block's gross amount)
   * @param protocolFeeBps the job's protocol fee
   * @return zero if nobody is owed anything (a job with price 0)
   */
  public Bytes32 payoutsRoot(final JobContext job, final long steps, final int validatorFeeBps, final int protocolFeeBps) {
    final BigInteger gross = BigInteger.valueOf(steps).multiply(job.spec().pricePerStep());
    final BigInteger pool = gross.subtract(gross.multiply(BigInteger.valueOf(validatorFeeBps)).divide(BPS))
        .subtract(gross.multiply(BigInteger.valueOf(protocolFeeBps)).divide(BPS));
    final Map<String, Long> perWorker = new LinkedHashMap<>();
    records.forEach(s -> perWorker.merge(s.record().worker().toString(), 1L, Long::sum));
    final Map<String, BigInteger> amounts = new LinkedHashMap<>();
    perWorker.forEach((worker, n) -> {
      final BigInteger amount = pool.multiply(BigInteger.valueOf(n)).divide(BigInteger.valueOf(records.size()));
      if (amount.signum() > 0) {
        amounts.put(worker, amount);
      }
    });
    return amounts.isEmpty() ? Bytes32.ZERO : Bytes32.wrap(PayoutTree.of(amounts).root());
  }

  /** The checkpoint root after the block's last step, {@code stepTo - 1}. */
  public Bytes32 checkpointRoot(final JobContext job, final long stepTo) {
    final Bytes32[][] roots = new Bytes32[job.spec().stages()][];
    for (final SignedStepRecord s : records) {
      final StepRecord r = s.record();
      if (r.step() == stepTo - 1 && r.replica() == 0) {
        roots[r.stage()] = new Bytes32[] {r.paramsAfter(), r.optStateAfter()};
      }
    }
    return checkpointRoot(List.of(roots));
  }

  /** {@code keccak256(params₀ ‖ state₀ ‖ params₁ ‖ …)} of per-stage {paramsRoot, optStateRoot} pairs. */
  public static Bytes32 checkpointRoot(final List<Bytes32[]> stageRoots) {
    final byte[] packed = new byte[64 * stageRoots.size()];
    for (int s = 0; s < stageRoots.size(); s++) {
      final Bytes32[] pair = stageRoots.get(s);
      if (pair == null) {
        throw new IllegalArgumentException("no record of stage " + s + " replica 0 at the block's last step");
      }
      System.arraycopy(pair[0].toArrayUnsafe(), 0, packed, 64 * s, 32);
      System.arraycopy(pair[1].toArrayUnsafe(), 0, packed, 64 * s + 32, 32);
    }
    return Bytes32.wrap(Hash.sha3(packed));
  }

  /** Per stage {paramsBefore, optStateBefore} of replica 0 at {@code step}, or null entries where missing. */
  public List<Bytes32[]> rootsBefore(final JobContext job, final long step) {
    final Bytes32[][] roots = new Bytes32[job.spec().stages()][];
    for (final SignedStepRecord s : records) {
      final StepRecord r = s.record();
      if (r.step() == step && r.replica() == 0) {
        roots[r.stage()] = new Bytes32[] {r.paramsBefore(), r.optStateBefore()};
      }
    }
    return java.util.Arrays.asList(roots);
  }
}
