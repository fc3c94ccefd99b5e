package io.tensorlink.chain.validator;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.store.StoredEntry;
import io.tensorlink.chain.pol.PoLHeader;
import io.tensorlink.chain.validator.pol.PolHeaders;
import io.tensorlink.contracts.merkle.MerkleTree;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * A stand-in for pol-core's protocol (record wire form, header building, verification) until it
 * reaches main: records are {@code [jobId, step, stage, replica, worker, payload]}, 2 stages × 1
 * replica, 4 steps per block, pol-core's {@code PoLHeader}s whose stepsRoot is the Merkle root of the record leaves.
 * A record whose payload starts with {@code fraud} is what re-execution would catch.
 * The payoutsRoot mixes in the proposer's randomness, so two leaders build different valid headers.
 */
final class TestProtocol extends FixedBlockProtocol implements RecordInspector {
  static byte[] record(final BigInteger jobId, final long step, final int stage, final String worker, final String payload) {
    return Rlp.encodeList(w -> {
      w.writeBigInteger(jobId);
      w.writeLong(step);
      w.writeInt(stage);
      w.writeInt(0);
      w.writeByteArray(EthAddress.bytes(worker));
      w.writeByteArray(payload.getBytes(StandardCharsets.UTF_8));
    });
  }

  private record Decoded(RecordKey key, String worker, String payload) {}

  private static Decoded decodeRecord(final byte[] wire) {
    return Rlp.decodeList(wire, "test record", r -> new Decoded(
        new RecordKey(r.readBigInteger(), r.readLong(), r.readInt(), r.readInt()), Numeric.toHexString(Rlp.readFixed(r, 20, "worker")),
        new String(r.readByteArray(), StandardCharsets.UTF_8)));
  }

  @Override
  public InspectedRecord inspect(final JobState job, final byte[] wire) {
    final Decoded d = decodeRecord(wire);
    if (!job.workers().contains(d.worker())) {
      throw new MalformedMessageException("record signed by " + d.worker() + ", who is not assigned to job " + job.jobId());
    }
    if (d.key().stage() >= STAGES || d.key().replica() != 0) {
      throw new MalformedMessageException("no stage " + d.key().stage() + " replica " + d.key().replica() + " in this job");
    }
    return new InspectedRecord(d.key(), Hash.sha3(wire), d.worker());
  }

  @Override
  protected Roots roots(final JobState job, final List<StoredEntry<RecordKey>> records, final ChainRandomness randomness) {
    final byte[] payouts = Hash.sha3(concat(String.join(",", job.workers()).getBytes(StandardCharsets.UTF_8), randomness.blockHash()));
    return new Roots(Bytes32.wrap(stepsRoot(records)), Bytes32.wrap(payouts), Bytes32.wrap(checkpointRoot(records)));
  }

  @Override
  public Verdict verify(final JobState job, final BlockCandidate header, final List<StoredEntry<RecordKey>> records,
      final String validator) {
    if (records.size() < (header.stepTo() - header.stepFrom()) * STAGES) {
      return new Verdict.Incomplete((header.stepTo() - header.stepFrom()) * STAGES - records.size() + " records");
    }
    final PoLHeader h = PolHeaders.decode(header.encoded());
    if (!Arrays.equals(h.stepsRoot().toArray(), stepsRoot(records))) {
      return new Verdict.Invalid("stepsRoot does not match the records");
    }
    if (!Arrays.equals(h.checkpointRoot().toArray(), checkpointRoot(records))) {
      return new Verdict.Invalid("checkpointRoot does not match the last step's records");
    }
    for (final StoredEntry<RecordKey> r : records) {
      if (isFraud(job, r.key(), r.value())) {
        return new Verdict.Fraud(r.key(), "re-execution disagrees with the record");
      }
    }
    return new Verdict.Valid(List.of(Hash.sha3(records.get(0).value())));
  }

  @Override
  public boolean isFraud(final JobState job, final RecordKey record, final byte[] wire) {
    return decodeRecord(wire).payload().startsWith("fraud");
  }

  private static byte[] stepsRoot(final List<StoredEntry<RecordKey>> records) {
    final List<byte[]> leaves = new ArrayList<>();
    records.forEach(r -> leaves.add(Hash.sha3(r.value())));
    return MerkleTree.of(leaves).root();
  }

  private static byte[] checkpointRoot(final List<StoredEntry<RecordKey>> records) {
    return Hash.sha3(records.get(records.size() - 1).value());
  }

  private static byte[] concat(final byte[] a, final byte[] b) {
    final byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
