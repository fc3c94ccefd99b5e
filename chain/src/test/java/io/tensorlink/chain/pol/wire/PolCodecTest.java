package io.tensorlink.chain.pol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.chain.pol.Abi;
import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.Attestation;
import io.tensorlink.chain.pol.Attestation.SampleVerdict;
import io.tensorlink.chain.pol.Bid;
import io.tensorlink.chain.pol.NodeBinding;
import io.tensorlink.chain.pol.PoLHeader;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.pol.TestKeys;
import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.peer.PeerId;
import java.math.BigInteger;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

/** Round trips, the canonical-encoding rule and malformed input (random, truncated, oversized). */
class PolCodecTest {

  @Provide
  Arbitrary<StepRecord> records() {
    final Arbitrary<Bytes32> h = Arbitraries.bytes().array(byte[].class).ofSize(32).map(Bytes32::wrap);
    final Arbitrary<Bytes32> maybeZero = Arbitraries.oneOf(h, Arbitraries.just(Bytes32.ZERO));
    final Arbitrary<int[]> topo = Arbitraries.integers().between(1, 64).tuple2().flatMap(t ->
        Combinators.combine(Arbitraries.integers().between(0, t.get1() - 1), Arbitraries.integers().between(0, t.get2() - 1))
            .as((s, r) -> new int[] {s, r, t.get1(), t.get2()}));
    return Combinators.combine(Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.TWO.pow(256).subtract(BigInteger.ONE)),
        Arbitraries.longs().between(0, Long.MAX_VALUE), topo, maybeZero.list().ofSize(11), Arbitraries.longs())
        .as((job, step, t, hs, loss) -> new StepRecord(job, step, t[0], t[1], t[2], t[3], TestKeys.address(t[0] % 6),
            hs.get(0), hs.get(1), hs.get(2), hs.get(3), hs.get(4), hs.get(5), hs.get(6), hs.get(7), hs.get(8),
            hs.get(9), hs.get(10), loss));
  }

  @Property(tries = 300)
  void recordRoundTrips(@ForAll("records") final StepRecord r) {
    assertThat(PolCodec.decodeRecord(PolCodec.encode(r))).isEqualTo(r);
  }

  @Property(tries = 200)
  void everyTruncationIsRejected(@ForAll("records") final StepRecord r, @ForAll @IntRange(min = 1, max = 400) final int cut) {
    final Bytes full = PolCodec.encode(r);
    final Bytes truncated = full.slice(0, Math.max(0, full.size() - cut));
    assertThatThrownBy(() -> PolCodec.decodeRecord(truncated)).isInstanceOf(WireException.class)
        .hasMessageStartingWith("StepRecord");
  }

  @Property(tries = 1000)
  void randomBytesOnlyEverFailWithWireException(@ForAll final byte[] junk) {
    for (final Function<Bytes, ?> decoder : List.<Function<Bytes, ?>>of(PolCodec::decodeRecord,
        PolCodec::decodeSignedRecord, PolCodec::decodeHeader, PolCodec::decodeAttestation, PolCodec::decodeBid,
        PolCodec::decodeAssignment, PolCodec::decodeBinding)) {
      try {
        decoder.apply(Bytes.wrap(junk));
      } catch (WireException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
  }

  @Property(tries = 300)
  void flippedByteIsRejectedOrDecodesToADifferentRecord(@ForAll("records") final StepRecord r,
      @ForAll @IntRange(min = 0, max = 10_000) final int where, @ForAll @IntRange(min = 1, max = 255) final int xor) {
    final byte[] b = PolCodec.encode(r).toArray();
    b[where % b.length] ^= (byte) xor;
    try {
      assertThat(PolCodec.decodeRecord(Bytes.wrap(b))).isNotEqualTo(r);
    } catch (WireException expected) {
      assertThat(expected.getMessage()).startsWith("StepRecord");
    }
  }

  @Test
  void trailingBytesOversizeAndNonMinimalIntegersAreRejected() {
    final StepRecord r = io.tensorlink.chain.pol.GoldenVectorsTestAccess.v1();
    final Bytes enc = PolCodec.encode(r);
    assertThatThrownBy(() -> PolCodec.decodeRecord(Bytes.concatenate(enc, Bytes.of(0))))
        .isInstanceOf(WireException.class).hasMessageContaining("trailing bytes");
    assertThatThrownBy(() -> PolCodec.decodeRecord(Bytes.wrap(new byte[PolCodec.MAX_RECORD + 1])))
        .hasMessageContaining("more than the limit of " + PolCodec.MAX_RECORD);
    assertThatThrownBy(() -> PolCodec.decodeRecord(Bytes.EMPTY)).hasMessageContaining("empty input");
    // jobId 1 written as 0x0001 (two bytes, leading zero)
    final Bytes nonMinimal = org.apache.tuweni.rlp.RLP.encodeList(w -> {
      w.writeValue(Bytes.of(0, 1));
      w.writeLong(7);
    });
    assertThatThrownBy(() -> PolCodec.decodeRecord(nonMinimal)).hasMessageContaining("StepRecord.jobId")
        .hasMessageContaining("leading zero");
    final Bytes shortList = org.apache.tuweni.rlp.RLP.encodeList(w -> w.writeLong(1));
    assertThatThrownBy(() -> PolCodec.decodeRecord(shortList)).hasMessageContaining("StepRecord.step: missing");
    final Bytes shortHash = org.apache.tuweni.rlp.RLP.encodeList(w -> {
      for (int i = 0; i < 6; i++) {
        w.writeLong(1);
      }
      w.writeValue(TestKeys.address(0).value());
      w.writeValue(Bytes.of(1, 2, 3));
    });
    assertThatThrownBy(() -> PolCodec.decodeRecord(shortHash))
        .hasMessageContaining("StepRecord.batchCommitment: expected 32 bytes, got 3");
  }

  @Test
  void everyMessageRoundTrips() {
    final var domain = TestKeys.DOMAIN;
    final StepRecord r = io.tensorlink.chain.pol.GoldenVectorsTestAccess.v1();
    final SignedStepRecord s = SignedStepRecord.sign(r, domain, TestKeys.ANVIL.get(1));
    assertThat(PolCodec.decodeSignedRecord(PolCodec.encode(s))).isEqualTo(s);
    final PoLHeader h = new PoLHeader(BigInteger.TEN, 3, Abi.keccak("x"), 30, 39, Abi.keccak("s"), Abi.keccak("p"),
        Abi.keccak("c"), Abi.keccak("r"), 99);
    final Attestation a = Attestation.sign(h, List.of(new SampleVerdict(Abi.keccak("2"), Attestation.Verdict.VALID),
        new SampleVerdict(Abi.keccak("1"), Attestation.Verdict.INVALID)), domain, TestKeys.ANVIL.get(2));
    assertThat(PolCodec.decodeAttestation(PolCodec.encode(a))).isEqualTo(a);
    final Bid bid = Bid.sign(BigInteger.TEN, BigInteger.valueOf(1000), Bid.Backend.CUDA, 12345, domain,
        TestKeys.ANVIL.get(3));
    assertThat(PolCodec.decodeBid(PolCodec.encode(bid))).isEqualTo(bid);
    final Assignment as = new Assignment(BigInteger.TEN, Abi.keccak("r"), 2, 1,
        List.of(TestKeys.address(0), TestKeys.address(1)), List.of(TestKeys.address(2)));
    assertThat(PolCodec.decodeAssignment(PolCodec.encode(as))).isEqualTo(as);
    final NodeBinding nb = NodeBinding.sign(PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey()), 7,
        domain, TestKeys.ANVIL.get(4));
    assertThat(PolCodec.decodeBinding(PolCodec.encode(nb))).isEqualTo(nb);
  }

  @Test
  void unknownEnumOrdinalsAndBadSignaturesAreNamed() {
    final Bid bid = Bid.sign(BigInteger.TEN, BigInteger.ONE, Bid.Backend.CPU, 1, TestKeys.DOMAIN, TestKeys.ANVIL.get(3));
    final byte[] enc = PolCodec.encode(bid).toArray();
    // the backend field is the byte after jobId (0x0a), worker (0x94 + 20) and price (0x01): 0x80 (= 0)
    final int backendAt = indexOf(enc, (byte) 0x80, 2 + 1 + 21 + 1);
    enc[backendAt] = 0x07;
    assertThatThrownBy(() -> PolCodec.decodeBid(Bytes.wrap(enc))).hasMessageContaining("backend 7 is not one of");
    final byte[] sig = PolCodec.encode(bid).toArray();
    sig[sig.length - 1] = 30; // v must be 27/28
    assertThatThrownBy(() -> PolCodec.decodeBid(Bytes.wrap(sig))).hasMessageContaining("Bid.signature: signature v");
  }

  private static int indexOf(final byte[] a, final byte b, final int from) {
    for (int i = from; i < a.length; i++) {
      if (a[i] == b) {
        return i;
      }
    }
    throw new AssertionError("byte not found");
  }

}
