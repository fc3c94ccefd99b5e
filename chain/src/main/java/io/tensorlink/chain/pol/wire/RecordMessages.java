package io.tensorlink.chain.pol.wire;

import java.math.BigInteger;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.rlp.RLP;

/**
 * The {@code /tl/records/1.0.0} messages, carried as bulk messages (docs/validator.md, catching
 * up): a request {@code [jobId, fromStep, toStep]} with an empty payload, and an answer whose
 * metadata is {@code [count]} and whose payload is {@code [[record…]]}, each record the byte
 * string it was gossiped as. The answer is at most {@link #MAX_RECORDS} records of at most
 * {@link #MAX_RECORD_BYTES} each; what they contain is checked by the receiver as if gossiped.
 */
public final class RecordMessages {
  /** The widest step range one request may ask for. */
  public static final long MAX_STEPS = 4096;
  public static final int MAX_RECORDS = 2048;
  public static final int MAX_RECORD_BYTES = 4096;
  /** The largest answer payload: every record at its limit, with RLP prefixes. */
  public static final int MAX_ANSWER = MAX_RECORDS * (MAX_RECORD_BYTES + 8) + 8;
  private static final int MAX_REQUEST = 128;
  private static final int MAX_META = 32;

  private RecordMessages() {}

  /** Steps [fromStep, toStep) of a job. */
  public record Request(BigInteger jobId, long fromStep, long toStep) {
    public Request {
      if (jobId.signum() < 0 || fromStep < 0 || toStep <= fromStep || toStep - fromStep > MAX_STEPS) {
        throw new WireException("RecordsRequest: steps [" + fromStep + ", " + toStep + ") of job " + jobId
            + " is not a range of 1.." + MAX_STEPS + " steps");
      }
    }
  }

  public static Bytes encode(final Request r) {
    return PolCodec.flat(RLP.encodeList(w -> {
      PolCodec.uint(w, r.jobId());
      PolCodec.uint64(w, r.fromStep());
      PolCodec.uint64(w, r.toStep());
    }));
  }

  public static Request decodeRequest(final Bytes input) {
    return PolCodec.decode(input, "RecordsRequest", MAX_REQUEST,
        f -> new Request(f.uint("jobId", 256), f.uint63("fromStep"), f.uint63("toStep")), RecordMessages::encode);
  }

  /** The answer's metadata: how many records its payload holds. */
  public static Bytes encodeCount(final int count) {
    return PolCodec.flat(RLP.encodeList(w -> PolCodec.uint64(w, count)));
  }

  public static int decodeCount(final Bytes input) {
    final int count = PolCodec.decode(input, "RecordsAnswer", MAX_META, f -> f.uint31("count"), RecordMessages::encodeCount);
    if (count > MAX_RECORDS) {
      throw new WireException("RecordsAnswer: " + count + " records, more than " + MAX_RECORDS);
    }
    return count;
  }

  /** The records of {@code held} one answer can carry: those within the size limit, at most {@link #MAX_RECORDS}. */
  public static List<byte[]> fitting(final List<byte[]> held) {
    return held.stream().filter(r -> r.length <= MAX_RECORD_BYTES).limit(MAX_RECORDS).toList();
  }

  /** The answer's payload; {@code records} must be {@link #fitting}. */
  public static Bytes encodeRecords(final List<byte[]> records) {
    return PolCodec.flat(RLP.encodeList(w -> w.writeList(list -> records.forEach(r -> list.writeValue(Bytes.wrap(r))))));
  }

  public static List<byte[]> decodeRecords(final Bytes input, final int count) {
    final List<byte[]> records = PolCodec.decodeStructure(input, "RecordsAnswer.records", MAX_ANSWER,
        f -> f.list("records", MAX_RECORDS, item -> item.bytes("record", MAX_RECORD_BYTES).toArray()));
    if (records.size() != count) {
      throw new WireException("RecordsAnswer: " + records.size() + " records where the metadata says " + count);
    }
    return records;
  }
}
