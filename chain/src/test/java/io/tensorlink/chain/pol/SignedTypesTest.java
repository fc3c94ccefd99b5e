package io.tensorlink.chain.pol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.chain.pol.Attestation.SampleVerdict;
import io.tensorlink.chain.pol.Attestation.Verdict;
import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.peer.PeerId;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;

/** Signatures of attestations, bids and bindings, and the deterministic assignment. */
class SignedTypesTest {
  private static final PolDomain D = TestKeys.DOMAIN;
  private static final PoLHeader H = GoldenVectorsTest.h1();

  @Test
  void attestationSignsHeaderAndVerdictsAndCannotBeReattached() {
    final List<SampleVerdict> verdicts = List.of(new SampleVerdict(Abi.keccak("l1"), Verdict.VALID),
        new SampleVerdict(Abi.keccak("l2"), Verdict.VALID));
    final Attestation a = Attestation.sign(H, verdicts, D, TestKeys.ANVIL.get(2));
    assertThat(a.valid(H, D)).isTrue();
    assertThat(a.headerSignature().recover(H.digest(D))).isEqualTo(TestKeys.address(2));
    // someone else's list under the validator's header signature
    final Attestation forged = new Attestation(a.blockHash(), a.validator(),
        List.of(new SampleVerdict(Abi.keccak("l1"), Verdict.VALID)), a.headerSignature(), a.verdictsSignature());
    assertThat(forged.valid(H, D)).isFalse();
    final Attestation otherValidator = new Attestation(a.blockHash(), TestKeys.address(3), a.sampled(),
        a.headerSignature(), a.verdictsSignature());
    assertThat(otherValidator.valid(H, D)).isFalse();
    final PoLHeader other = new PoLHeader(BigInteger.TWO, 0, H.parent(), 0, 9, H.stepsRoot(), H.payoutsRoot(),
        H.checkpointRoot(), H.randomness(), 42);
    assertThat(a.valid(other, D)).as("another header").isFalse();
    final List<SampleVerdict> unsorted = new ArrayList<>(a.sampled());
    java.util.Collections.reverse(unsorted);
    assertThatThrownBy(() -> new Attestation(a.blockHash(), a.validator(), unsorted, a.headerSignature(),
        a.verdictsSignature())).hasMessageContaining("strictly ascending");
  }

  @Test
  void bidAndBindingSignatures() {
    final Bid bid = Bid.sign(BigInteger.ONE, BigInteger.TEN, Bid.Backend.CPU, 100, D, TestKeys.ANVIL.get(1));
    assertThat(bid.signatureValid(D)).isTrue();
    final Bid cheaper = new Bid(bid.jobId(), bid.worker(), BigInteger.ONE, bid.backend(), 100, bid.signature());
    assertThat(cheaper.signatureValid(D)).isFalse();
    final PeerId peer = PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
    final NodeBinding b = NodeBinding.sign(peer, 5, D, TestKeys.ANVIL.get(1));
    assertThat(b.signatureValid(D)).isTrue();
    assertThat(b.peer()).isEqualTo(peer);
    final PeerId other = PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
    assertThat(new NodeBinding(Bytes.wrap(other.bytes()), b.account(), 5, b.signature()).signatureValid(D)).isFalse();
    assertThatThrownBy(() -> new NodeBinding(Bytes.of(1, 2, 3), b.account(), 5, b.signature()))
        .hasMessageContaining("peerId is not a libp2p peer ID");
  }

  @Test
  void assignmentIsDeterministicAndSkipsInvalidBids() {
    final BigInteger job = BigInteger.valueOf(9);
    final List<Bid> bids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      bids.add(Bid.sign(job, BigInteger.valueOf(i % 2 == 0 ? 5 : 7), Bid.Backend.CPU, 1000, D, TestKeys.ANVIL.get(i)));
    }
    final Bid forged = new Bid(job, TestKeys.address(5), BigInteger.ONE, Bid.Backend.CPU, 1000, bids.get(0).signature());
    final Bid expired = Bid.sign(job, BigInteger.ONE, Bid.Backend.CPU, 10, D, TestKeys.ANVIL.get(4));
    final Bid cuda = Bid.sign(job, BigInteger.ONE, Bid.Backend.CUDA, 1000, D, TestKeys.ANVIL.get(3));
    final List<Bid> all = new ArrayList<>(List.of(forged, expired, cuda));
    all.addAll(bids);
    final Assignment a = Assignment.compute(job, 2, 2, 1, all, Abi.keccak("rand"), 500, BigInteger.TEN, false, D);
    java.util.Collections.reverse(all);
    final Assignment b = Assignment.compute(job, 2, 2, 1, all, Abi.keccak("rand"), 500, BigInteger.TEN, false, D);
    assertThat(b).isEqualTo(a);
    assertThat(b.hash()).isEqualTo(a.hash());
    // the three price-5 bidders (accounts 0, 2, 4) come first, the forged/expired/CUDA bids never count
    assertThat(a.workers().subList(0, 3)).containsExactlyInAnyOrder(TestKeys.address(0), TestKeys.address(2),
        TestKeys.address(4));
    assertThat(a.standbys()).hasSize(1);
    assertThat(a.cellOf(a.worker(1, 1))).hasValueSatisfying(c -> assertThat(c).containsExactly(1, 1));
    final Assignment otherSeed = Assignment.compute(job, 2, 2, 1, all, Abi.keccak("rand2"), 500, BigInteger.TEN, false, D);
    assertThat(otherSeed.hash()).isNotEqualTo(a.hash());
    assertThatThrownBy(() -> Assignment.compute(job, 3, 3, 0, all, Abi.keccak("r"), 500, BigInteger.TEN, false, D))
        .hasMessageContaining("needs 9 workers but has 6 valid bids");
  }
}
