package io.tensorlink.chain.pol.wire;

import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.Attestation;
import io.tensorlink.chain.pol.Attestation.SampleVerdict;
import io.tensorlink.chain.pol.Bid;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.NodeBinding;
import io.tensorlink.chain.pol.PoLHeader;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import java.math.BigInteger;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.rlp.RLP;
import org.apache.tuweni.rlp.RLPException;
import org.apache.tuweni.rlp.RLPWriter;

/**
 * The RLP wire form of the PoL messages (docs/pol.md lists the field order). Each message is one
 * RLP list of its fields in declaration order; integers are minimal big-endian (zero is the empty
 * string), hashes 32 bytes, addresses 20, signatures 65, enums their ordinal.
 *
 * <p>Decoding is strict: an input over the message's size limit, truncated, with extra items or
 * trailing bytes, with a non-minimal integer or a wrong-size value is rejected with a {@link
 * WireException} naming the message and field. Because the decoder re-encodes what it read and
 * requires the same bytes, every message has exactly one accepted encoding.
 */
public final class PolCodec {
  /** Generous bounds: the fixed messages are far smaller; attestations grow 36 bytes per sample. */
  public static final int MAX_RECORD = 1024;
  public static final int MAX_HEADER = 512;
  public static final int MAX_BID = 512;
  public static final int MAX_BINDING = 512;
  public static final int MAX_ATTESTATION = 256 + 40 * Attestation.MAX_SAMPLED;
  public static final int MAX_ASSIGNMENT = 256 + 24 * 65_536;
  private static final int MAX_PEER_ID = 128;
  private static final int MAX_WORKERS = 65_536;

  private PolCodec() {}

  // ---- StepRecord ------------------------------------------------------------------------------

  public static Bytes encode(final StepRecord r) {
    return flat(RLP.encodeList(w -> writeRecord(w, r)));
  }

  private static void writeRecord(final RLPWriter w, final StepRecord r) {
    uint(w, r.jobId());
    uint64(w, r.step());
    uint64(w, r.stage());
    uint64(w, r.replica());
    uint64(w, r.stages());
    uint64(w, r.replicas());
    w.writeValue(r.worker().value());
    for (final Bytes h : new Bytes[] {r.batchCommitment(), r.paramsBefore(), r.optStateBefore(), r.actIn(), r.actOut(),
        r.gradIn(), r.gradOut(), r.gradRoot(), r.reduceRoot(), r.paramsAfter(), r.optStateAfter()}) {
      w.writeValue(h);
    }
    uint64(w, r.lossBits());
  }

  public static StepRecord decodeRecord(final Bytes input) {
    return decode(input, "StepRecord", MAX_RECORD, PolCodec::readRecord, PolCodec::encode);
  }

  private static StepRecord readRecord(final Fields f) {
    return new StepRecord(f.uint("jobId", 256), f.uint63("step"), f.uint31("stage"), f.uint31("replica"),
        f.uint31("stages"), f.uint31("replicas"), f.address("worker"), f.bytes32("batchCommitment"),
        f.bytes32("paramsBefore"), f.bytes32("optStateBefore"), f.bytes32("actIn"), f.bytes32("actOut"),
        f.bytes32("gradIn"), f.bytes32("gradOut"), f.bytes32("gradRoot"), f.bytes32("reduceRoot"),
        f.bytes32("paramsAfter"), f.bytes32("optStateAfter"), f.uint64("lossBits"));
  }

  // ---- SignedStepRecord: [record, signature] ----------------------------------------------------

  public static Bytes encode(final SignedStepRecord s) {
    return flat(RLP.encodeList(w -> {
      w.writeList(l -> writeRecord(l, s.record()));
      w.writeValue(s.signature().value());
    }));
  }

  public static SignedStepRecord decodeSignedRecord(final Bytes input) {
    return decode(input, "SignedStepRecord", MAX_RECORD + 80,
        f -> new SignedStepRecord(f.struct("record", PolCodec::readRecord), f.signature("signature")), PolCodec::encode);
  }

  // ---- PoLHeader -------------------------------------------------------------------------------

  public static Bytes encode(final PoLHeader h) {
    return flat(RLP.encodeList(w -> {
      uint(w, h.jobId());
      uint64(w, h.index());
      w.writeValue(h.parent());
      uint64(w, h.stepFrom());
      uint64(w, h.stepTo());
      w.writeValue(h.stepsRoot());
      w.writeValue(h.payoutsRoot());
      w.writeValue(h.checkpointRoot());
      w.writeValue(h.randomness());
      uint64(w, h.randomnessBlock());
    }));
  }

  public static PoLHeader decodeHeader(final Bytes input) {
    return decode(input, "PoLHeader", MAX_HEADER, f -> new PoLHeader(f.uint("jobId", 256), f.uint63("index"),
        f.bytes32("parent"), f.uint63("stepFrom"), f.uint63("stepTo"), f.bytes32("stepsRoot"), f.bytes32("payoutsRoot"),
        f.bytes32("checkpointRoot"), f.bytes32("randomness"), f.uint63("randomnessBlock")), PolCodec::encode);
  }

  // ---- Attestation: [blockHash, validator, [[leaf, verdict]…], headerSig, verdictsSig] ----------

  public static Bytes encode(final Attestation a) {
    return flat(RLP.encodeList(w -> {
      w.writeValue(a.blockHash());
      w.writeValue(a.validator().value());
      w.writeList(a.sampled(), (l, v) -> l.writeList(e -> {
        e.writeValue(v.leaf());
        uint64(e, v.verdict().ordinal());
      }));
      w.writeValue(a.headerSignature().value());
      w.writeValue(a.verdictsSignature().value());
    }));
  }

  public static Attestation decodeAttestation(final Bytes input) {
    return decode(input, "Attestation", MAX_ATTESTATION, f -> new Attestation(f.bytes32("blockHash"),
        f.address("validator"), f.list("sampled", Attestation.MAX_SAMPLED,
            item -> item.struct("entry", e -> new SampleVerdict(e.bytes32("leaf"),
                ordinal(Attestation.Verdict.values(), e.uint31("verdict"), "verdict")))),
        f.signature("headerSignature"), f.signature("verdictsSignature")), PolCodec::encode);
  }

  // ---- Bid -------------------------------------------------------------------------------------

  public static Bytes encode(final Bid b) {
    return flat(RLP.encodeList(w -> {
      uint(w, b.jobId());
      w.writeValue(b.worker().value());
      uint(w, b.pricePerStep());
      uint64(w, b.backend().ordinal());
      uint64(w, b.expiresAt());
      w.writeValue(b.signature().value());
    }));
  }

  public static Bid decodeBid(final Bytes input) {
    return decode(input, "Bid", MAX_BID, f -> new Bid(f.uint("jobId", 256), f.address("worker"),
        f.uint("pricePerStep", 256), ordinal(Bid.Backend.values(), f.uint31("backend"), "backend"),
        f.uint63("expiresAt"), f.signature("signature")), PolCodec::encode);
  }

  // ---- Assignment: [jobId, randomness, stages, replicas, [workers…], [standbys…]] ---------------

  public static Bytes encode(final Assignment a) {
    return flat(RLP.encodeList(w -> {
      uint(w, a.jobId());
      w.writeValue(a.randomness());
      uint64(w, a.stages());
      uint64(w, a.replicas());
      w.writeList(a.workers(), (l, x) -> l.writeValue(x.value()));
      w.writeList(a.standbys(), (l, x) -> l.writeValue(x.value()));
    }));
  }

  public static Assignment decodeAssignment(final Bytes input) {
    return decode(input, "Assignment", MAX_ASSIGNMENT, f -> new Assignment(f.uint("jobId", 256),
        f.bytes32("randomness"), f.uint31("stages"), f.uint31("replicas"),
        f.list("workers", MAX_WORKERS, PolCodec::bareAddress), f.list("standbys", MAX_WORKERS, PolCodec::bareAddress)),
        PolCodec::encode);
  }

  private static EthAddress bareAddress(final Fields f) {
    return f.address("address");
  }

  // ---- NodeBinding -----------------------------------------------------------------------------

  public static Bytes encode(final NodeBinding b) {
    return flat(RLP.encodeList(w -> {
      w.writeValue(b.peerId());
      w.writeValue(b.account().value());
      uint64(w, b.issuedAt());
      w.writeValue(b.signature().value());
    }));
  }

  public static NodeBinding decodeBinding(final Bytes input) {
    return decode(input, "NodeBinding", MAX_BINDING, f -> new NodeBinding(f.bytes("peerId", MAX_PEER_ID),
        f.address("account"), f.uint63("issuedAt"), f.signature("signature")), PolCodec::encode);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /**
   * Decodes one message: size limit, RLP structure, field rules, the type's own validation, then
   * the canonical-encoding check.
   */
  static <T> T decode(final Bytes input, final String what, final int maxBytes, final Function<Fields, T> body,
      final Function<T, Bytes> encoder) {
    final T value = decodeStructure(input, what, maxBytes, body);
    if (!encoder.apply(value).equals(input)) {
      throw new WireException(what + ": trailing bytes after the message or a non-canonical RLP length");
    }
    return value;
  }

  /**
   * The decoding without the re-encoding comparison, for large messages (tensor sets): the input
   * must still be exactly one RLP list (no trailing bytes) and every field passes its checks.
   */
  static <T> T decodeStructure(final Bytes input, final String what, final int maxBytes,
      final Function<Fields, T> body) {
    if (input == null || input.isEmpty()) {
      throw new WireException(what + ": empty input");
    }
    if (input.size() > maxBytes) {
      throw new WireException(what + ": " + input.size() + " bytes, more than the limit of " + maxBytes);
    }
    final T value;
    try {
      value = RLP.decodeList(input, false, r -> {
        final Fields f = new Fields(r, what);
        final T t = body.apply(f);
        f.end();
        return t;
      });
    } catch (RLPException e) {
      throw new WireException(what + ": malformed RLP (" + e.getMessage() + ")", e);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new WireException(what + ": " + e.getMessage(), e);
    }
    if (itemLength(input) != input.size()) {
      throw new WireException(what + ": trailing bytes after the message");
    }
    return value;
  }

  /** The length of the RLP item at the start of {@code b}, from its prefix (b is a valid list here). */
  private static long itemLength(final Bytes b) {
    final int p = b.get(0) & 0xff;
    if (p <= 0xbf) {
      throw new WireException("not an RLP list");
    }
    if (p <= 0xf7) {
      return 1L + p - 0xc0;
    }
    final int lenlen = p - 0xf7;
    long len = 0;
    for (int i = 1; i <= lenlen; i++) {
      len = (len << 8) | (b.get(i) & 0xff);
    }
    return 1L + lenlen + len;
  }

  /** tuweni returns concatenations whose byte access is slow; every message leaves here as one array. */
  static Bytes flat(final Bytes b) {
    return Bytes.wrap(b.toArrayUnsafe());
  }

  private static <E extends Enum<E>> E ordinal(final E[] values, final int ordinal, final String field) {
    if (ordinal >= values.length) {
      throw new WireException(field + " " + ordinal + " is not one of " + java.util.Arrays.toString(values));
    }
    return values[ordinal];
  }

  static void uint(final RLPWriter w, final BigInteger v) {
    final byte[] b = v.toByteArray();
    final int skip = b[0] == 0 ? 1 : 0;
    w.writeValue(Bytes.wrap(java.util.Arrays.copyOfRange(b, skip, b.length)));
  }

  /** A uint64 from a long's 64 bits. */
  static void uint64(final RLPWriter w, final long v) {
    uint(w, new BigInteger(Long.toUnsignedString(v)));
  }
}
