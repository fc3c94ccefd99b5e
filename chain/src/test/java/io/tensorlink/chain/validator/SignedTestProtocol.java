package io.tensorlink.chain.validator;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.PoLHeader;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.store.StoredEntry;
import io.tensorlink.chain.validator.pol.PolHeaders;
import io.tensorlink.contracts.merkle.MerkleTree;
import io.tensorlink.contracts.pol.PayoutTree;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.crypto.Credentials;

/**
 * The block side for dispute tests on anvil, over pol-core's signed step records (what the court
 * checks: EIP-712 record hashes as the stepsRoot's leaves, the worker's signature): 2 stages × 1
 * replica, 4 steps per block, a real payout tree (1 TL per worker and block). Verification stands
 * in for pol-core's sampled re-execution (s3-polverify's production verifier replaces it): a record
 * whose {@code paramsAfter} is {@link #FRAUD_MARK} is what re-execution catches; {@code verify}
 * finds it only for the validators in {@code obliged} (whose mandatory sample held it), while
 * {@code isFraud} (a committee member's full re-execution) always does.
 */
public final class SignedTestProtocol extends FixedBlockProtocol {  static final BigInteger PAYOUT = AnvilSuite.tl(1);
  static final Bytes32 FRAUD_MARK = Bytes32.fromHexString("0x" + "f4".repeat(32));

  private final Set<String> obliged;

  public SignedTestProtocol(final Set<String> obliged) {
    this.obliged = obliged.stream().map(EthAddress::lower).collect(java.util.stream.Collectors.toSet());
  }

  /** A signed record of {@code worker} at (step, stage), fraudulent when {@code fraud}. */
  public static byte[] record(final PolDomain domain, final BigInteger jobId, final long step, final int stage, final Credentials worker,
      final boolean fraud) {
    final Bytes32 params = fraud ? FRAUD_MARK : word("params", step, stage);
    final StepRecord r = new StepRecord(jobId, step, stage, 0, STAGES, 1, EthAddress.of(worker.getAddress()),
        stage == 0 ? word("batch", step, stage) : Bytes32.ZERO, word("before", step, stage), word("opt", step, stage),
        stage == 0 ? Bytes32.ZERO : word("act", step, 0), stage == 0 ? word("act", step, 0) : Bytes32.ZERO,
        stage == 0 ? word("grad", step, 1) : Bytes32.ZERO, stage == 0 ? Bytes32.ZERO : word("grad", step, 1),
        word("gradRoot", step, stage), word("reduce", step, stage), params, word("optAfter", step, stage),
        stage == STAGES - 1 ? Double.doubleToRawLongBits(1.0 / (step + 1)) : 0);
    return PolCodec.encode(SignedStepRecord.sign(r, domain, worker)).toArray();
  }

  static SignedStepRecord signed(final byte[] wire) {
    return PolCodec.decodeSignedRecord(Bytes.wrap(wire));
  }

  /** The payouts of every block: {@link #PAYOUT} to each assigned worker. */
  static PayoutTree payouts(final JobState job) {
    final Map<String, BigInteger> amounts = new LinkedHashMap<>();
    job.workers().forEach(w -> amounts.put(w, PAYOUT));
    return PayoutTree.of(amounts);
  }

  static MerkleTree steps(final List<StoredEntry<RecordKey>> records) {
    final List<byte[]> leaves = new ArrayList<>();
    records.forEach(r -> leaves.add(signed(r.value()).leaf().toArray()));
    return MerkleTree.of(leaves);
  }

  @Override
  protected Roots roots(final JobState job, final List<StoredEntry<RecordKey>> records, final ChainRandomness randomness) {
    final Bytes32 checkpoint = signed(records.get(records.size() - 1).value()).record().paramsAfter();
    return new Roots(Bytes32.wrap(steps(records).root()), Bytes32.wrap(payouts(job).root()), checkpoint);
  }

  @Override
  public Verdict verify(final JobState job, final BlockCandidate header, final List<StoredEntry<RecordKey>> records,
      final String validator) {
    final long expected = (header.stepTo() - header.stepFrom()) * STAGES;
    if (records.size() < expected) {
      return new Verdict.Incomplete(expected - records.size() + " records");
    }
    final PoLHeader h = PolHeaders.decode(header.encoded());
    if (!Arrays.equals(h.stepsRoot().toArray(), steps(records).root())) {
      return new Verdict.Invalid("stepsRoot does not match the records");
    }
    if (!Arrays.equals(h.payoutsRoot().toArray(), payouts(job).root())) {
      return new Verdict.Invalid("payoutsRoot does not match the job's payouts");
    }
    if (obliged.contains(EthAddress.lower(validator))) {
      for (final StoredEntry<RecordKey> r : records) {
        if (isFraud(job, r.key(), r.value())) {
          return new Verdict.Fraud(r.key(), "re-execution disagrees with paramsAfter");
        }
      }
    }
    return new Verdict.Valid(List.of());
  }

  @Override
  public boolean isFraud(final JobState job, final RecordKey record, final byte[] wire) {
    return signed(wire).record().paramsAfter().equals(FRAUD_MARK);
  }

  private static Bytes32 word(final String what, final long step, final int stage) {
    return io.tensorlink.chain.pol.Abi.keccak(what + "@" + step + "/" + stage);
  }
}
